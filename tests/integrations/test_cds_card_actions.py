"""What a clinician can do from a card: follow its source, set it aside, act on its suggestions.

That every card of every rules-file example leads somewhere real (a guidance page the safety
layer cites, or an item's section on the knowledge-base page) is checked in
tests/rules/test_examples.py. Here: a red flag's source, override reasons on critical cards only,
and the referral card's suggestions, valid FHIR R4 ServiceRequests for the patient in context,
one per specialist and test of the same answer.
"""

import pytest
from fhir.resources.R4B.codesystem import CodeSystem
from fhir.resources.R4B.servicerequest import ServiceRequest

from service import create_app
from service.advice import Advisor
from tests.support.answer_forms import cards_for
from tests.support.fhir_builders import PATIENT_ID, SERVICE, cds_request, response_to
from tests.support.knowledge import project_knowledge

DVT = {"locations": ["calf"], "symptoms": ["swelling", "redness"], "time_of_day": "night"}


def test_a_safety_red_flag_names_the_guidance_it_follows_as_its_source(client, questionnaire):
    red_flag = cards_for(client, questionnaire, DVT)[0]
    warning = project_knowledge().item("warnings", "possible_dvt")

    first_reference = warning.source["references"][0]["url"]
    assert red_flag["source"]["url"] == first_reference
    assert [link["url"] for link in red_flag["links"]] == [
        *(ref["url"] for ref in warning.source["references"]),
        "http://localhost/knowledge-base#warnings-possible_dvt",
    ]


def test_only_critical_cards_offer_override_reasons_from_the_service_code_system(
    client, questionnaire
):
    cards = cards_for(client, questionnaire, {**DVT, "conditions": ["heavy_bleeding"]})

    for card in cards:
        reasons = card.get("overrideReasons")
        if card["indicator"] != "critical":
            assert reasons is None
            continue
        assert {reason["code"] for reason in reasons} == {
            "already-managed", "not-confirmed", "intake-error"}
        assert {reason["system"] for reason in reasons} == {
            "https://leg-cramps-advice.example/fhir/CodeSystem/override-reason"}


def test_the_override_reasons_are_the_codes_of_a_code_system_the_service_serves(client,
                                                                               questionnaire):
    reasons = cards_for(client, questionnaire, DVT)[0]["overrideReasons"]
    system = reasons[0]["system"]

    served = client.get(f"/v1/fhir/CodeSystem?url={system}").get_json()["entry"][0]["resource"]

    CodeSystem.model_validate(served)
    assert {(c["code"], c["display"]) for c in served["concept"]} == {
        (reason["code"], reason["display"]) for reason in reasons}


def test_the_referral_suggests_a_service_request_per_specialist_and_test(
    client, questionnaire, app
):
    profile = {"locations": ["calf"], "time_of_day": "night", "frequency": "weekly"}
    advice = app.extensions[Advisor].advise(dict(profile, active_now=False))
    referral = next(card for card in cards_for(client, questionnaire, profile)
                    if card["indicator"] == "warning")

    assert referral["selectionBehavior"] == "any"
    requests = [s["actions"][0]["resource"] for s in referral["suggestions"]]
    for request in requests:
        ServiceRequest.model_validate(request)
        assert request["subject"] == {"reference": f"Patient/{PATIENT_ID}"}
        assert (request["status"], request["intent"], request["priority"]) == (
            "draft", "proposal", "routine")
        assert "coding" not in request["code"], "no code that was not read in its source"
    specialists = [s.label[0].lower() + s.label[1:] for s in advice.referral.specialists]
    tests = [t.label for t in advice.referral.tests]
    assert [r["code"]["text"] for r in requests] == [
        *(f"Referral to {'an' if name[0] in 'aeiou' else 'a'} {name}" for name in specialists),
        *tests]
    assert len({s["uuid"] for s in referral["suggestions"]}) == len(requests)


@pytest.mark.parametrize(("profile", "priority"), [
    ({"locations": ["foot"], "symptoms": ["pale_cold_leg"]}, "stat"),
    (DVT, "asap"),
    ({"locations": ["foot"], "symptoms": ["numbness"]}, "urgent"),
    ({"locations": ["calf"], "time_of_day": "night", "frequency": "weekly"}, "routine"),
], ids=["ambulance", "today", "within days", "routine"])
def test_a_suggested_request_is_as_pressing_as_the_advice(client, questionnaire, profile,
                                                          priority):
    cards = cards_for(client, questionnaire, profile)
    referral = next(card for card in cards if "suggestions" in card)

    assert {s["actions"][0]["resource"]["priority"] for s in referral["suggestions"]} == {
        priority}


def test_behind_a_proxy_the_links_take_the_configured_base_url(questionnaire):
    app = create_app({"TESTING": True, "CDS_HOOKS_AUTH": "off",
                      "PUBLIC_BASE_URL": "https://cds.example.org/advice/"})
    response = app.test_client().post(SERVICE, json=cds_request(response_to(questionnaire, DVT)))

    referral = response.get_json()["cards"][1]
    assert referral["source"]["url"].startswith(
        "https://cds.example.org/advice/knowledge-base#specialists-")
