"""CDS Hooks 2.0 service calls that get cards: what each finding becomes, and the card rules.

The cards must obey the specification (a uuid, a summary under 140 characters, an indicator,
a source with a label, no null or empty value anywhere: checked for every rules-file example in
tests/rules/test_examples.py) and the service's own promise: they come from the same advice as
``POST /v1/advice``, most urgent first, and name the article or the safety layer.
"""

import pytest

from service.advice import Advisor
from tests.support.answer_forms import cards_for
from tests.support.fhir_builders import SERVICE, cds_request, response_to, search_bundle

DVT = {"locations": ["calf"], "symptoms": ["swelling", "redness"], "time_of_day": "night"}


def test_a_red_flag_is_a_critical_card_citing_the_safety_layer_and_the_reported_facts(
    client, questionnaire
):
    critical = [card for card in cards_for(client, questionnaire, DVT)
                if card["indicator"] == "critical"]

    assert len(critical) == 1
    card = critical[0]
    assert card["summary"] == ("Red flag: possible deep vein thrombosis (a swollen leg, "
                               "one-sided or red or warm)")
    assert card["source"]["label"].startswith("Safety layer")
    assert "`symptoms.swelling`" in card["detail"] and "`symptoms.redness`" in card["detail"]


def test_cards_come_most_urgent_first_one_per_finding(client, questionnaire):
    profile = {**DVT, "conditions": ["contaminated_wound", "heavy_bleeding"]}

    indicators = [card["indicator"] for card in cards_for(client, questionnaire, profile)]

    assert indicators == ["critical", "critical", "warning", "info"]


def test_a_referral_is_a_warning_card_naming_the_specialists_with_their_reasons(
    client, questionnaire, app
):
    profile = {"locations": ["calf"], "symptoms": ["twitching"]}
    advice = app.extensions[Advisor].advise(dict(profile, active_now=False))

    cards = cards_for(client, questionnaire, profile)

    assert [card["indicator"] for card in cards] == ["warning", "info"]
    referral = cards[0]
    assert "neurologist" in referral["summary"]
    for specialist in advice.referral.specialists:
        assert specialist.reason in referral["detail"]


def test_self_care_alone_is_one_info_card_with_the_steps_and_their_sections(
    client, questionnaire, app
):
    advice = app.extensions[Advisor].advise({"locations": ["calf"], "active_now": False})

    cards = cards_for(client, questionnaire, {"locations": ["calf"]})

    assert [card["indicator"] for card in cards] == ["info"]
    for step in advice.emergency_steps:
        assert f"{step.text} *(article, “{step.source.section}”)*" in cards[0]["detail"]
    assert advice.disclaimer in cards[0]["detail"]


def test_the_intake_may_come_as_the_search_bundle_of_the_prefetch_template(client,
                                                                          questionnaire):
    bundle = search_bundle(response_to(questionnaire, DVT))

    response = client.post(SERVICE, json=cds_request(bundle))

    assert response.status_code == 200
    assert response.get_json()["cards"][0]["indicator"] == "critical"


def test_fhir_access_fields_are_accepted_and_never_used(client, questionnaire):
    request = cds_request(
        response_to(questionnaire, {"locations": ["calf"]}),
        fhirServer="https://fhir.example.org/r4",
        fhirAuthorization={"access_token": "opaque", "token_type": "Bearer", "expires_in": 300,
                           "scope": "patient/QuestionnaireResponse.read", "subject": "cds"},
        extension={"org.example.trace": "on"},
    )
    request["context"]["encounterId"] = "89284"

    assert client.post(SERVICE, json=request).status_code == 200


@pytest.mark.parametrize("profile", [
    {"locations": ["calf"], "symptoms": ["chest_pain"], "time_of_day": "night"},
    {"locations": ["calf"], "symptoms": ["swelling", "breathlessness"], "side": "one_leg"},
    {"locations": ["foot"], "symptoms": ["pale_cold_leg"], "frequency": "weekly"},
], ids=["chest pain", "breathless with a swollen leg", "pale cold leg"])
def test_a_finding_that_needs_an_ambulance_is_the_first_card_critical_and_says_so(
    client, questionnaire, profile
):
    cards = cards_for(client, questionnaire, profile)
    first = cards[0]
    assert first["indicator"] == "critical"
    assert first["summary"].startswith("Emergency: ")
    assert first["detail"].startswith("**Emergency: the patient has been told to call an "
                                      "ambulance now.**")
    assert "https://" in first["detail"], "the guidance it follows is linked"
    assert not any(card["summary"].startswith("Emergency: ") for card in cards[1:])
    assert "info" not in [card["indicator"] for card in cards], "no self-care beside the call"


def test_after_an_emergency_the_referral_card_names_only_whom_the_finding_points_to(
    client, questionnaire
):
    cards = cards_for(client, questionnaire, {"locations": ["foot"],
                                              "symptoms": ["pale_cold_leg"]})

    assert [card["indicator"] for card in cards] == ["critical", "warning"]
    referral = cards[1]
    assert referral["summary"] == "After emergency care, consider referral to: vascular surgeon"
    assert "today" not in referral["summary"]
    assert referral["detail"].startswith(
        "**Urgency: emergency.** The patient was told: “Call your local emergency")


def test_an_emergency_with_no_one_to_name_is_the_emergency_card_alone(client, questionnaire):
    cards = cards_for(client, questionnaire, {"locations": ["calf"], "symptoms": ["chest_pain"]})

    assert [card["indicator"] for card in cards] == ["critical"]


def test_a_suspected_clot_without_ambulance_findings_is_critical_but_no_emergency(
    client, questionnaire
):
    cards = cards_for(client, questionnaire, {**DVT, "side": "one_leg"})
    assert cards[0]["indicator"] == "critical"
    assert not any(card["summary"].startswith("Emergency: ") for card in cards)
