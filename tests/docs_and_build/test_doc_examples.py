"""The examples of the README and docs/integrations.md answer what the pages show.

The README's curl example, sent to a real gunicorn, answers exactly what the docs show: the two
fields in the README, the whole answer in docs/example-answer.json. The FHIR and CDS Hooks calls
of docs/integrations.md are read from its ``sh`` blocks (the ``jq`` filters are replayed in
Python) and sent to the service. The outputs shown must be what it answers now, so a knowledge
change that alters them fails here instead of misleading a reader.
"""

import json
import re

import pytest

from service.config import PROJECT_ROOT
from tests.support.example_answer import (
    ANSWER_FILE,
    README,
    curl_request,
    example_blocks,
    jq_fields,
    shown,
)
from tests.support.gunicorn import running_gunicorn

STALE = "the example is stale: run `.venv/bin/python -m tests.support.example_answer`"
INTEGRATIONS = (PROJECT_ROOT / "docs" / "integrations.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"```(\w+)\n(.*?)\n```", INTEGRATIONS, flags=re.S)


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    blocks = example_blocks(README.read_text(encoding="utf-8"))
    method, path, headers, body = curl_request(blocks["command"])
    fields = jq_fields(blocks["command"])
    assert (method, path, fields) == ("POST", "/v1/advice", ["urgency", "summary"])
    log = tmp_path_factory.mktemp("example") / "gunicorn.log"
    with running_gunicorn(log, workers=1) as server:
        response = server.request(method, path, body, headers)
    assert response.status == 200
    return json.loads(response.body), fields, json.loads(blocks["output"])


@pytest.mark.server
def test_the_readme_shows_the_fields_its_jq_filter_keeps_of_the_real_answer(example):
    answer, fields, output = example
    assert output == shown(answer, fields), STALE


@pytest.mark.server
def test_docs_example_answer_json_is_the_whole_real_answer(example):
    answer, _, _ = example
    assert json.loads(ANSWER_FILE.read_text(encoding="utf-8")) == answer, STALE


def curls(block: str) -> list[str]:
    """Each curl command of a shell block, its continuation lines joined, its pipe cut off."""
    commands = re.split(r"\n(?=curl )", block)
    return [command.split("\n  | ")[0].rstrip(" \\") for command in commands
            if command.startswith("curl ")]


def shown_after(index: int, language: str) -> str:
    return next(text for lang, text in BLOCKS[index + 1:] if lang == language)


def send(client, command: str):
    method, path, headers, body = curl_request(command)
    return client.open(path, method=method, headers=headers, data=body)


def test_the_fhir_example_answers_what_the_page_shows(client):
    index, block = next((i, text) for i, (lang, text) in enumerate(BLOCKS)
                        if lang == "sh" and "application/fhir+json" in text)
    answer = send(client, curls(block)[-1]).get_json()
    page_shows = json.loads(shown_after(index, "json"))
    assert {"urgency": answer["urgency"], "summary": answer["summary"]} == page_shows


def test_the_cds_hooks_example_answers_the_cards_and_status_the_page_shows(client):
    index, block = next((i, text) for i, (lang, text) in enumerate(BLOCKS)
                        if lang == "sh" and "/cds-services/leg-cramps-advice" in text)
    discovery, call, feedback = curls(block)
    assert send(client, discovery).status_code == 200
    cards = send(client, call).get_json()["cards"]
    lines = [json.dumps({"indicator": card["indicator"], "summary": card["summary"]},
                        ensure_ascii=False, separators=(",", ":")) for card in cards]
    lines.append(str(send(client, feedback).status_code))
    assert lines == shown_after(index, "text").splitlines()


def test_the_fhir_server_examples_answer_fhir_resources(client):
    block = next(text for lang, text in BLOCKS if lang == "sh" and "/v1/fhir/metadata" in text)
    answers = [send(client, command) for command in curls(block)]

    assert [answer.status_code for answer in answers] == [200, 200]
    assert [answer.get_json(force=True)["resourceType"] for answer in answers] == [
        "CapabilityStatement", "Bundle"]
    assert answers[1].get_json(force=True)["total"] == 1


def test_the_free_text_example_of_docs_api_md_answers_the_draft_it_shows(client):
    """docs/api.md's curl example of ``POST /v1/intake/parse``, sent to the real parser."""
    api = (PROJECT_ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    section = api.split("## Free text: `POST /v1/intake/parse`", 1)[1]
    blocks = re.findall(r"```(\w+)\n(.*?)\n```", section, flags=re.S)
    (command,), shown_draft = curls(blocks[0][1]), json.loads(blocks[1][1])
    response = send(client, command)
    assert response.status_code == 200
    assert response.get_json() == shown_draft
