"""The intake Questionnaire: valid FHIR, and item for item the contract's request fields.

The service generates it from ``service/contract/vocabulary.py``; these tests compare it with the
vocabulary again, so a field or value added to the contract without reaching the form fails here.
FHIR validity is checked with the ``fhir.resources`` models of R4B: the package has no R4 models
for pydantic 2, and R4B's Questionnaire and QuestionnaireResponse have the R4 elements used here.
"""

from datetime import date

import pytest
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.questionnaire import Questionnaire

from service.contract import vocabulary
from service.contract.free_text import MAX_TEXT_CHARS
from tests.support.openapi_check import load_spec

#: FHIR's code system of administrative gender, and SDC's base Questionnaire profile.
ADMINISTRATIVE_GENDER = "http://hl7.org/fhir/administrative-gender"
SDC_QUESTIONNAIRE = "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire"

def _items(questionnaire: dict) -> dict:
    return {item["linkId"]: item for item in questionnaire["item"]}


def _codes(item: dict) -> tuple:
    return tuple(option["valueCoding"]["code"] for option in item["answerOption"])


def test_the_questionnaire_is_read_at_its_id_as_fhir_json(client):
    response = client.get("/v1/fhir/Questionnaire/leg-cramps-intake")

    assert response.status_code == 200
    assert response.mimetype == "application/fhir+json"
    assert response.get_json(force=True)["resourceType"] == "Questionnaire"


@pytest.mark.parametrize(("query", "total"), [
    ("", 1), ("?url=https://leg-cramps-advice.example/fhir/Questionnaire/leg-cramps-intake", 1),
    ("?url=https://other.example/Questionnaire/x", 0),
], ids=["all", "its-canonical", "another-canonical"])
def test_the_questionnaire_type_url_answers_a_search_bundle_as_fhir_clients_expect(
        client, questionnaire, query, total):
    response = client.get(f"/v1/fhir/Questionnaire{query}")
    bundle = Bundle.model_validate(response.get_json(force=True))

    assert (response.status_code, response.mimetype) == (200, "application/fhir+json")
    assert (bundle.type, bundle.total) == ("searchset", total)
    assert [entry.resource.url for entry in bundle.entry or []] == [questionnaire["url"]] * total


def test_the_questionnaire_is_a_valid_fhir_questionnaire(questionnaire):
    resource = Questionnaire.model_validate(questionnaire)

    assert resource.status == "active"
    assert resource.url == questionnaire["url"]
    assert questionnaire["version"] and questionnaire["title"]


def test_the_questionnaire_has_the_free_text_then_one_item_per_request_field_in_order(
        questionnaire):
    assert [item["linkId"] for item in questionnaire["item"]] == [
        "free_text", *vocabulary.REQUEST_FIELDS]
    assert all(item["text"].strip() for item in questionnaire["item"])


def test_the_free_text_is_an_optional_text_item_of_at_most_the_parsers_limit(questionnaire):
    item = _items(questionnaire)["free_text"]
    assert (item["type"], item.get("required", False), item["maxLength"]) == (
        "text", False, MAX_TEXT_CHARS)
    assert "own words" in item["text"]


def test_array_fields_are_repeating_choices_of_exactly_their_vocabulary(questionnaire):
    items = _items(questionnaire)
    for field, values in vocabulary.ARRAY_FIELDS.items():
        assert (items[field]["type"], items[field]["repeats"]) == ("choice", True), field
        assert _codes(items[field]) == values, field


def test_enum_fields_are_single_choices_of_exactly_their_vocabulary(questionnaire):
    items = _items(questionnaire)
    for field, values in vocabulary.ENUM_FIELDS.items():
        assert (items[field]["type"], items[field]["repeats"]) == ("choice", False), field
        assert _codes(items[field]) == values, field


def test_booleans_are_boolean_items_and_numbers_integer_or_decimal_items(questionnaire):
    items = _items(questionnaire)
    assert {items[field]["type"] for field in vocabulary.BOOLEAN_FIELDS} == {"boolean"}
    assert items["duration_minutes"]["type"] == "decimal"
    assert items["age"]["type"] == items["pregnancy_trimester"]["type"] == "integer"


def test_only_locations_is_required(questionnaire):
    assert [item["linkId"] for item in questionnaire["item"] if item.get("required")] == [
        "locations"
    ]


def test_the_trimester_is_asked_only_when_pregnant_is_answered_true(questionnaire):
    enable_when = _items(questionnaire)["pregnancy_trimester"]["enableWhen"]

    assert enable_when == [{"question": "pregnant", "operator": "=", "answerBoolean": True}]


def test_number_items_carry_the_contract_bounds_as_min_and_max_value(questionnaire):
    items = _items(questionnaire)
    for field, (low, high) in vocabulary.NUMBER_FIELDS.items():
        bounds = {extension["url"].rsplit("/", 1)[-1]: extension.get("valueInteger",
                                                                     extension.get("valueDecimal"))
                  for extension in items[field]["extension"]}
        assert bounds["maxValue"] == high, field
        # duration_minutes must be > 0, which an inclusive minValue cannot say.
        assert bounds.get("minValue") == (None if field == "duration_minutes" else low), field


def test_every_coding_has_a_system_a_code_and_a_display(questionnaire):
    for item in questionnaire["item"]:
        for option in item.get("answerOption", []):
            coding = option["valueCoding"]
            assert coding["system"].startswith(("https://", "http://hl7.org/fhir/"))
            assert coding["code"] and coding["display"]


def test_sex_is_coded_in_fhir_administrative_gender_with_its_own_displays(questionnaire):
    codings = [option["valueCoding"] for option in _items(questionnaire)["sex"]["answerOption"]]

    assert {coding["system"] for coding in codings} == {ADMINISTRATIVE_GENDER}
    assert {coding["code"]: coding["display"] for coding in codings} == {
        "female": "Female", "male": "Male", "other": "Other", "unknown": "Unknown"}


def test_the_questionnaire_claims_the_sdc_base_profile_and_has_a_publisher_and_a_fixed_date(
    client, questionnaire
):
    assert questionnaire["meta"]["profile"] == [SDC_QUESTIONNAIRE]
    assert questionnaire["publisher"]
    assert date.fromisoformat(questionnaire["date"])
    again = client.get("/v1/fhir/Questionnaire/leg-cramps-intake").get_json(force=True)
    assert again["date"] == questionnaire["date"]


def test_the_spec_describes_as_many_items_as_the_contract_has_fields_and_the_free_text():
    schema = load_spec()["components"]["schemas"]["FhirQuestionnaire"]["properties"]["item"]
    count = len(vocabulary.REQUEST_FIELDS) + 1
    assert (schema["minItems"], schema["maxItems"]) == (count, count)
