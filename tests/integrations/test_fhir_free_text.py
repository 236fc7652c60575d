"""The Questionnaire's ``free_text`` item (since 1.2): the person's own words travel with a
QuestionnaireResponse, are checked, and are never read as a field of the profile. A CDS card
then says that the answers were drafted from them and confirmed by the patient.
"""

import json

import pytest
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from service.contract.free_text import MAX_TEXT_CHARS
from service.interop.cds.cards import OWN_WORDS
from tests.support.answer_forms import cards_for
from tests.support.fhir_builders import (
    SERVICE,
    cds_request,
    in_own_words,
    items_of,
    response_to,
)
from tests.support.fhir_validator import fhir_js_errors

FHIR = "application/fhir+json"
WORDS = "my left calf cramps most nights, no swelling"
PROFILE = {"locations": ["calf"], "side": "one_leg", "frequency": "daily"}
#: A red flag, a referral and self-care: every kind of card says it.
DVT = {"locations": ["calf"], "symptoms": ["swelling", "redness"], "time_of_day": "night"}


def _advice(client, resource):
    return client.post("/v1/advice", data=json.dumps(resource), content_type=FHIR)


def test_the_own_words_change_nothing_of_the_advice(client, questionnaire):
    plain = _advice(client, response_to(questionnaire, PROFILE))
    worded = _advice(client, in_own_words(response_to(questionnaire, PROFILE), WORDS))
    assert worded.status_code == plain.status_code == 200
    assert worded.get_json()["trace"] == plain.get_json()["trace"]


def test_a_response_with_the_own_words_is_valid_r4(questionnaire):
    resource = in_own_words(response_to(questionnaire, PROFILE), WORDS)
    QuestionnaireResponse.model_validate(resource)


@pytest.mark.server  # it runs Node.js
def test_fhir_js_finds_a_response_with_the_own_words_valid(questionnaire):
    resource = in_own_words(response_to(questionnaire, PROFILE, id="worded"), WORDS)
    assert fhir_js_errors([resource]) == [[]]


@pytest.mark.parametrize(("answer", "message"), [
    ([{"valueString": "a" * (MAX_TEXT_CHARS + 1)}], "at most 1,000 characters"),
    ([{"valueString": "one"}, {"valueString": "two"}], "at most 1 answer"),
    ([{"valueCoding": {"code": "calf"}}], "needs valueString"),
    ([{"valueString": "calf", "valueBoolean": True}], "valueBoolean"),
])
def test_own_words_that_do_not_fit_the_item_are_a_400_naming_it(client, questionnaire, answer,
                                                                message):
    resource = items_of(response_to(questionnaire, PROFILE), free_text=answer)
    response = _advice(client, resource)
    assert response.status_code == 400
    errors = response.get_json()["errors"]
    assert list(errors) == ["free_text"] and message in " ".join(errors["free_text"])
    assert "aaaa" not in json.dumps(errors)


def test_the_own_words_are_no_field_of_the_profile(client, questionnaire):
    """A text that names a finding the answers do not is not read into them."""
    resource = in_own_words(response_to(questionnaire, {"locations": ["foot"]}),
                            "my calf is swollen and red")
    answer = _advice(client, resource).get_json()
    assert not any("swelling" in json.dumps(step) for step in answer["trace"])


def test_every_card_says_the_answers_came_from_the_patients_own_words(client, questionnaire):
    intake = in_own_words(response_to(questionnaire, DVT), WORDS)
    response = client.post(SERVICE, json=cds_request(intake))
    cards = response.get_json()["cards"]
    assert len(cards) > 1
    assert all(OWN_WORDS in card["detail"] for card in cards)
    assert all(WORDS not in card["detail"] for card in cards)


def test_a_card_of_an_intake_without_own_words_does_not_say_so(client, questionnaire):
    assert not any(OWN_WORDS in card["detail"] for card in cards_for(client, questionnaire, DVT))


def test_an_empty_text_is_no_own_words(client, questionnaire):
    intake = in_own_words(response_to(questionnaire, DVT), "   ")
    cards = client.post(SERVICE, json=cds_request(intake)).get_json()["cards"]
    assert not any(OWN_WORDS in card["detail"] for card in cards)
