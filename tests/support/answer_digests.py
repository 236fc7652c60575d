"""What every rules-file example is answered, byte for byte, as digests: the same on every Python.

``tests/rules/answer-digests.json`` maps each example (``<file>: <name>``) to the SHA-256 of the
body ``POST /v1/advice`` answers it. ``make test`` checks it on the interpreter it picks and on
each other supported Python present (tests/rules/test_examples.py), so the answers are the same
bytes on all of them. ``python -m tests.support.answer_digests`` rewrites the file
with what this interpreter answers now: run it after changing the knowledge base, on any Python.
"""

import hashlib
import json

from service import create_app
from service.config import PROJECT_ROOT
from tests.support.knowledge import project_knowledge

DIGESTS_FILE = PROJECT_ROOT / "tests" / "rules" / "answer-digests.json"


def answer_digests() -> dict[str, str]:
    """The SHA-256 of the JSON answer to each rules-file example, by example."""
    app = create_app({"TESTING": True, "ANSWER_CACHE_SIZE": 0, "CDS_HOOKS_AUTH": "off"})
    client = app.test_client()
    digests = {}
    for example in project_knowledge().examples:
        response = client.post("/v1/advice", json=example.profile)
        assert response.status_code == 200, (example.name, response.get_data(as_text=True))
        digests[f"{example.file}: {example.name}"] = hashlib.sha256(response.data).hexdigest()
    return digests


def recorded_digests() -> dict[str, str]:
    return json.loads(DIGESTS_FILE.read_text(encoding="utf-8"))


def main() -> None:
    DIGESTS_FILE.write_text(json.dumps(answer_digests(), indent=2, ensure_ascii=False) + "\n",
                            encoding="utf-8")
    print(f"wrote {DIGESTS_FILE.relative_to(PROJECT_ROOT)}")


if __name__ == "__main__":
    main()
