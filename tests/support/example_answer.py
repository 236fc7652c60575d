"""The README's example: its curl command, the two fields it shows, and the whole answer.

The README shows one ``curl ... | jq '{urgency, summary}'`` command and its output; the whole
answer to the same request is docs/example-answer.json. ``python -m tests.support.example_answer``
rewrites both with what the service answers now (run it after changing the knowledge base);
tests/docs_and_build/test_doc_examples.py checks that a real gunicorn answers exactly that.
"""

import json
import re
import shlex

from service.config import PROJECT_ROOT

README = PROJECT_ROOT / "README.md"
ANSWER_FILE = PROJECT_ROOT / "docs" / "example-answer.json"
MARKER = "<!-- example: generated, see tests/docs_and_build/test_doc_examples.py -->"
BLOCKS = re.compile(r"```sh\n(?P<command>.*?)\n```\s*```json\n(?P<output>.*?)\n```", re.DOTALL)
#: The one jq filter the example uses: an object of some of the answer's fields.
JQ_FIELDS = re.compile(r"\|\s*jq\s+'\{(?P<fields>[\w, ]+)\}'\s*$")


def example_blocks(text: str) -> re.Match:
    """The curl command and the output shown after the README's example marker."""
    match = BLOCKS.search(text, text.index(MARKER))
    if match is None:
        raise ValueError("no ```sh block followed by a ```json block after the example marker")
    return match


def curl_request(command: str) -> tuple[str, str, dict[str, str], bytes]:
    """Method, path, headers and body of a curl command (a ``| jq`` after it is left out)."""
    command = command.replace("\\\n", " ")
    jq = JQ_FIELDS.search(command)
    words = shlex.split(command[: jq.start()] if jq else command)
    method, headers, body = "GET", {}, b""
    for flag, value in zip(words, words[1:], strict=False):
        if flag == "-X":
            method = value
        elif flag == "-H":
            name, _, header_value = value.partition(":")
            headers[name.strip()] = header_value.strip()
        elif flag in ("-d", "--data"):
            body = value.encode()
    url = next(word for word in words if word.startswith("http"))
    path = "/" + url.split("://", 1)[1].split("/", 1)[1]
    return method, path, headers, body


def jq_fields(command: str) -> list[str]:
    """The fields a command's closing ``| jq '{field, ...}'`` keeps of the answer."""
    jq = JQ_FIELDS.search(command.replace("\\\n", " "))
    if jq is None:
        raise ValueError("the example must end in | jq '{field, ...}'")
    return [field.strip() for field in jq["fields"].split(",")]


def shown(answer: dict, fields: list[str]) -> dict:
    """What ``jq '{field, ...}'`` prints of ``answer``."""
    return {field: answer.get(field) for field in fields}


def as_text(document: dict) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False)


def main() -> None:
    """Rewrite the README's example output and docs/example-answer.json from the service."""
    from service import create_app

    text = README.read_text(encoding="utf-8")
    match = example_blocks(text)
    method, path, headers, body = curl_request(match["command"])
    fields = jq_fields(match["command"])
    answer = create_app().test_client().open(path, method=method, headers=headers,
                                              data=body).get_json()
    README.write_text(text[: match.start("output")] + as_text(shown(answer, fields))
                      + text[match.end("output"):], encoding="utf-8")
    ANSWER_FILE.write_text(as_text(answer) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
