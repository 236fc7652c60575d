"""POST /v1/advice with a FHIR QuestionnaireResponse: the same advice as the same JSON profile.

The response is converted to a profile and then goes through the same validation, so every
example profile of the rules files gets byte-identical answers both ways (checked in
tests/rules/test_examples.py), and a bad answer is refused with the same message, under its
linkId.
"""

import json

import pytest

from tests.support.fhir_builders import items_of, response_to
from tests.support.openapi_check import load_spec

ADVICE = "/v1/advice"
FHIR = "application/fhir+json"
CALF = {"locations": ["calf"], "time_of_day": "night"}


def post_fhir(client, resource, content_type=FHIR):
    return client.post(ADVICE, data=json.dumps(resource), content_type=content_type)


def errors_of(response) -> dict:
    assert response.status_code == 400, response.get_data(as_text=True)
    return response.get_json(force=True)["errors"]


def test_the_spec_example_response_gets_the_advice_of_its_json_equivalent(client):
    example = load_spec()["components"]["examples"]["IntakeResponse"]["value"]
    profile = {"locations": ["calf"], "time_of_day": "night", "frequency": "weekly",
               "symptoms": ["swelling", "redness"], "age": 58}

    assert post_fhir(client, example).get_json() == client.post(ADVICE, json=profile).get_json()


def test_a_fhir_version_parameter_of_r4_is_accepted(client, questionnaire):
    response = post_fhir(client, response_to(questionnaire, CALF), f"{FHIR}; fhirVersion=4.0")
    assert response.status_code == 200


@pytest.mark.parametrize(
    "content_type", [f"{FHIR}; fhirVersion=5.0", "application/xml", "application/fhir+xml",
                     f"{FHIR}; charset=latin-1"],
)
def test_other_media_types_and_fhir_versions_are_a_415(client, questionnaire, content_type):
    response = post_fhir(client, response_to(questionnaire, CALF), content_type)
    assert response.status_code == 415


@pytest.mark.parametrize(
    ("raw", "status"),
    [(b'{"resourceType": "QuestionnaireResponse", "status": "completed", "status": "amended"}',
      400), (b'{"resourceType": NaN}', 400), (b"\xff", 400),
     (b'{"resourceType": "QuestionnaireResponse"' + b" " * 64 * 1024 + b"}", 413)],
    ids=["duplicate-key", "nan", "not-utf-8", "over-64-kib"],
)
def test_fhir_bodies_get_the_same_strict_parsing_and_size_limit(client, raw, status):
    assert client.post(ADVICE, data=raw, content_type=FHIR).status_code == status


def test_a_typo_in_a_code_is_refused_under_its_linkid_with_the_json_message(client,
                                                                              questionnaire):
    resource = items_of(response_to(questionnaire, CALF),
                        conditions=[{"valueCoding": {"code": "diabetis"}}])

    fhir_errors = errors_of(post_fhir(client, resource))
    json_errors = errors_of(client.post(ADVICE, json={**CALF, "conditions": ["diabetis"]}))

    assert fhir_errors == json_errors == {"conditions": json_errors["conditions"]}


def test_contract_rules_apply_to_fhir_answers_too(client, questionnaire):
    resource = items_of(response_to(questionnaire, CALF),
                        age=[{"valueInteger": 121}], pregnancy_trimester=[{"valueInteger": 2}],
                        locations=[{"valueCoding": {"code": "calf"}}] * 2)

    assert set(errors_of(post_fhir(client, resource))) == {
        "age", "pregnancy_trimester", "locations"
    }


def test_a_response_without_locations_is_refused_as_the_json_profile_is(client, questionnaire):
    assert set(errors_of(post_fhir(client, response_to(questionnaire, {})))) == {"locations"}


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"resourceType": "Observation"}, "resourceType"),
        ({"status": "in-progress"}, "status"),
        ({"questionnaire": "https://example.org/Questionnaire/other"}, "questionnaire"),
        ({"modifierExtension": [{"url": "https://example.org/x"}]}, "modifierExtension"),
        ({"colour": "red"}, "colour"),
        ({"item": [{"linkId": "knee", "answer": [{"valueBoolean": True}]}]}, "knee"),
        ({"item": [{"linkId": "smoker", "answer": [{"valueString": "yes"}]}]}, "smoker"),
        ({"item": [{"linkId": "smoker", "answer": [{"valueBoolean": "yes"}]}]}, "smoker"),
        ({"item": [{"linkId": "sex", "answer": [{"valueCoding": {"code": "female"}},
                                                 {"valueCoding": {"code": "male"}}]}]}, "sex"),
        ({"item": [{"linkId": "age", "answer": [{"valueInteger": 40}]},
                   {"linkId": "age", "answer": [{"valueInteger": 41}]}]}, "age"),
        ({"item": [{"linkId": "locations", "item": [{"linkId": "calf"}]}]}, "locations"),
        ({"item": [{"linkId": "locations", "answer": [
            {"valueCoding": {"system": "http://snomed.info/sct", "code": "calf"}}]}]},
         "locations"),
        ({"item": [{"answer": []}]}, "item"),
        ({"item": [{"linkId": "smoker", "answer": []}]}, "smoker"),
        ({"item": [{"linkId": "smoker", "text": 5}]}, "smoker"),
        ({"authored": 20250115}, "authored"),
        ({"subject": {"reference": 1288992}}, "subject"),
    ],
    ids=["resource-type", "unfinished", "other-questionnaire", "modifier-extension",
         "unknown-element", "unknown-linkid", "wrong-value-type", "wrong-json-type",
         "two-answers-to-a-single-choice", "repeated-item", "nested-items", "foreign-system",
         "no-linkid", "empty-answer", "item-element-type", "element-type", "reference-type"],
)
def test_a_resource_that_does_not_fit_the_questionnaire_is_a_400_naming_it(
    client, questionnaire, change, named
):
    resource = {**response_to(questionnaire, CALF), **change}

    assert named in errors_of(post_fhir(client, resource))


def test_a_body_that_is_no_object_is_a_400_about_the_whole_body(client):
    assert set(errors_of(post_fhir(client, ["QuestionnaireResponse"]))) == {"_schema"}


def test_an_unanswered_item_means_not_reported(client, questionnaire):
    resource = response_to(questionnaire, CALF)
    resource["item"].append({"linkId": "smoker", "text": "Do you smoke?"})

    assert post_fhir(client, resource).get_json() == client.post(ADVICE, json=CALF).get_json()
