"""The README's curl example: read it, and regenerate its output from the real service.

``python -m tests.support.example_answer`` rewrites the output block after the example's curl
command with what the service answers now (run it after changing the knowledge base);
``tests/api/test_readme_example.py`` checks that a real server answers exactly that.
"""

import json
import re
import shlex

from service.config import PROJECT_ROOT

README = PROJECT_ROOT / "README.md"
MARKER = "<!-- example: generated, see tests/api/test_readme_example.py -->"
BLOCKS = re.compile(r"```sh\n(?P<command>.*?)\n```.*?```json\n(?P<output>.*?)\n```", re.DOTALL)


def example_blocks(text: str) -> re.Match:
    """The curl command and the output shown after the README's example marker."""
    start = text.index(MARKER)
    match = BLOCKS.search(text, start)
    if match is None:
        raise ValueError("no ```sh block followed by a ```json block after the example marker")
    return match


def curl_request(command: str) -> tuple[str, str, dict[str, str], bytes]:
    """Method, path, headers and body of the README's curl command."""
    words = shlex.split(command.replace("\\\n", " "))
    method, headers, body, url = "GET", {}, b"", ""
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


def main() -> None:
    """Rewrite the README's example output with the service's answer to its curl command."""
    from service import create_app

    text = README.read_text(encoding="utf-8")
    match = example_blocks(text)
    method, path, headers, body = curl_request(match["command"])
    response = create_app().test_client().open(path, method=method, headers=headers, data=body)
    output = json.dumps(response.get_json(), indent=2, ensure_ascii=False)
    README.write_text(text[: match.start("output")] + output + text[match.end("output"):])


if __name__ == "__main__":
    main()
