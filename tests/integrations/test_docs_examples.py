"""The curl examples of docs/integrations.md answer what the page shows.

The page's FHIR and CDS Hooks calls are read from its ``sh`` blocks (the ``jq`` filters are
replayed in Python) and sent to the service; the outputs shown after them must be what it
answers now, so a knowledge change that alters them fails here instead of misleading a reader.
"""

import json
import re

from service.config import PROJECT_ROOT
from tests.support.example_answer import curl_request

PAGE = (PROJECT_ROOT / "docs" / "integrations.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"```(\w+)\n(.*?)\n```", PAGE, flags=re.S)


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
    shown = json.loads(shown_after(index, "json"))
    assert {"urgency": answer["urgency"], "summary": answer["summary"]} == shown


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
