"""Every example of the rules files, tested once, in every form its answer takes.

An example is a profile and what its answer must and must not hold. One test per example sends
its profile in each form a client may use and checks each answer where its reader relies on it,
each form a subtest, so a failure names the example and the form:

- the JSON answer, through ``client`` (so openapi.yaml describes it): what the example expects;
  the bytes tests/rules/answer-digests.json records (``make test`` runs this module on every
  supported Python present, so all of them answer the same bytes); the bytes Flask writes of
  the answer's plain form;
- the FHIR R4 GuidanceResponse: valid to fhir.resources, the same advice, every contained
  request reached from its result;
- a FHIR QuestionnaireResponse of the same profile: the same JSON answer, byte for byte;
- the CDS Hooks cards of that intake: the specification's card rules, and links that lead to a
  guidance page or an item of the knowledge-base page.

FHIR.js, a validator independent of the service, checks every example's GuidanceResponses in one
run of Node.js (marked ``server``: it starts a process).
"""

import hashlib
import json
import re
import sys
import uuid
from urllib.parse import urlsplit

import pytest
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from service.advice import Advisor
from service.contract.vocabulary import CAUSE_GROUPS
from tests.support.answer_digests import recorded_digests
from tests.support.answer_forms import FHIR, cards_for, contained, guidance, plain_form_bytes
from tests.support.fhir_builders import response_to
from tests.support.fhir_validator import fhir_js_errors
from tests.support.knowledge import project_knowledge
from tests.support.rules_examples import (
    empty_values,
    example_id,
    guidance_urls,
    mismatches,
    referenced,
)

EXAMPLES = project_knowledge().examples
RECORDED = recorded_digests()
REGENERATE = "python -m tests.support.answer_digests (after a knowledge-base change)"
GUIDANCE_URLS = guidance_urls()
INDICATORS = ("info", "warning", "critical")
SECOND_PERSON = re.compile(r"\b(you|your|yourself)\b", re.IGNORECASE)
#: The parts of an answer whose texts the GuidanceResponse tells the patient, in its order.
TOLD = ("warnings", "emergency_steps", "lifestyle_rules", "medication_info")


@pytest.fixture(scope="module")
def page_anchors(app) -> set[str]:
    html = app.test_client().get("/knowledge-base").get_data(as_text=True)
    return set(re.findall(r'<article id="([^"]+)"', html))


@pytest.mark.parametrize("example", EXAMPLES, ids=example_id)
def test_every_example_of_the_rules_files_gets_its_expected_advice_in_every_form(
    example, app, client, questionnaire, page_anchors, subtests
):
    response = client.post("/v1/advice", json=example.profile)
    assert response.status_code == 200, response.get_json()
    answer = response.get_json()

    with subtests.test("the JSON answer holds what the example expects"):
        assert mismatches(example, answer, app.extensions[Advisor].kb) == []

    with subtests.test("every cause group of the answer is as dangerous as the contract says"):
        assert {group["id"]: group["dangerous"] for group in answer["cause_groups"]} == {
            group["id"]: CAUSE_GROUPS[group["id"]] for group in answer["cause_groups"]}

    with subtests.test("the JSON answer is the bytes recorded for every Python"):
        assert hashlib.sha256(response.data).hexdigest() == RECORDED.get(example_id(example)), (
            f"Python {sys.version.split()[0]} answers other bytes than recorded: {REGENERATE}")

    with subtests.test("the JSON answer is byte for byte what Flask writes of its plain form"):
        assert response.data == plain_form_bytes(app, example.profile)

    with subtests.test("the GuidanceResponse is valid R4 and gives the same advice"):
        resource = guidance(client, example.profile)
        assert answer["knowledge_base"]["version"] in resource["moduleCodeableConcept"]["text"]
        assert [note["text"] for note in resource["note"]] == [answer["summary"],
                                                               answer["disclaimer"]]
        referrals = [r["code"]["text"] for r in contained(resource, "ServiceRequest")]
        assert len(referrals) == len(answer["referral"]["specialists"]) + len(
            answer["referral"]["tests"])
        told = [r["payload"][0]["contentString"]
                for r in contained(resource, "CommunicationRequest")]
        assert told == [item["text"] for key in TOLD for item in answer[key]] + [
            question["question"] for question in answer["follow_up_questions"]]
        group, ids = resource["contained"][0], {r["id"] for r in resource["contained"]}
        assert resource["result"] == {"reference": "#advice"} and group["id"] == "advice"
        assert sorted(referenced(group.get("action", []))) == sorted(
            f"#{i}" for i in ids - {"advice"}), "a contained request dangles or is unreached"

    with subtests.test("a FHIR QuestionnaireResponse of the profile gets the same answer"):
        intake = response_to(questionnaire, example.profile)
        QuestionnaireResponse.model_validate(intake)  # a valid FHIR resource, first of all
        as_fhir = client.post("/v1/advice", data=json.dumps(intake), content_type=FHIR)
        assert as_fhir.status_code == 200, as_fhir.get_data(as_text=True)
        assert as_fhir.get_json() == answer
        assert as_fhir.data == response.data

    with subtests.test("the CDS Hooks cards obey the card rules and lead to their sources"):
        cards = cards_for(client, questionnaire, example.profile)
        assert cards
        assert empty_values(cards) == []
        for card in cards:
            assert uuid.UUID(card["uuid"])
            assert 0 < len(card["summary"]) < 140 and "\n" not in card["summary"]
            assert not SECOND_PERSON.search(card["summary"]), "a card speaks to the clinician"
            assert card["indicator"] in INDICATORS
            assert "Leg cramps" in card["source"]["label"], "the source names the article"
            assert card["detail"].strip()
            assert all(link["type"] == "absolute" for link in card["links"])
            for url in [card["source"]["url"], *(link["url"] for link in card["links"])]:
                if url in GUIDANCE_URLS:
                    continue
                parts = urlsplit(url)
                assert (parts.scheme, parts.netloc, parts.path) == (
                    "http", "localhost", "/knowledge-base"), url
                assert parts.fragment in page_anchors, url
        assert len({card["uuid"] for card in cards}) == len(cards)


def test_answer_digests_json_records_exactly_the_examples_of_the_rules_files():
    assert set(RECORDED) == {example_id(example) for example in EXAMPLES}, (
        f"examples added or removed: {REGENERATE}")


@pytest.mark.server  # it runs Node.js
def test_fhir_js_finds_every_guidance_response_of_the_examples_valid_r4(client, questionnaire):
    """FHIR.js checks what fhir.resources does not, such as the types a reference may point to,
    for the answer to the JSON profile and to the FHIR intake (which the answer references)."""
    resources = {}
    for example in EXAMPLES:
        intake = response_to(questionnaire, example.profile, id="intake-1")
        for form, body, content_type in (("JSON", example.profile, "application/json"),
                                         ("FHIR intake", intake, FHIR)):
            response = client.post("/v1/advice", json=body,
                                   headers={"Content-Type": content_type, "Accept": FHIR})
            assert response.status_code == 200, response.get_data(as_text=True)
            resources[f"{example_id(example)} ({form})"] = response.get_json()

    errors = fhir_js_errors(list(resources.values()))

    assert {name: found for name, found in zip(resources, errors, strict=True) if found} == {}


SAFETY_RULES = [rule.id for rule in project_knowledge().rules
                if rule.source["section"] == "safety"]


@pytest.fixture(scope="module")
def fired_by_examples(app) -> set[str]:
    client = app.test_client()
    return {step["rule"] for example in EXAMPLES
            for step in client.post("/v1/advice", json=example.profile).get_json()["trace"]}


@pytest.mark.parametrize("rule_id", SAFETY_RULES)
def test_every_safety_rule_fires_in_an_example_of_the_rules_files(rule_id, fired_by_examples):
    """Each rule of the safety layer is shown working by at least one example: reviewers read
    the examples to see what a rule does to a whole answer."""
    assert rule_id in fired_by_examples, f"no example of the rules files fires {rule_id}"
