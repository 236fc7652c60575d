"""Contract 1.1 is additive: its new fields are validated like the old ones, and a client
written for 1.0 keeps working unchanged."""

import json

import pytest

from service.interop.fhir.questionnaire import CANONICAL_URL, reads_version
from tests.support.builders import a_profile
from tests.support.fhir_builders import response_to

ADVICE = "/v1/advice"
#: The answer's fields in contract 1.0, which a 1.0 client reads.
FIELDS_1_0 = ("urgency", "summary", "emergency_steps", "cause_groups", "lifestyle_rules",
              "referral", "medication_info", "warnings", "follow_up_questions", "trace",
              "knowledge_base", "disclaimer")
#: What ``sex`` was coded in before it was bound to FHIR's administrative-gender.
FORMER_SEX_SYSTEM = "https://leg-cramps-advice.example/fhir/CodeSystem/sex"
CODE_SYSTEM_OF_LOCATIONS = "https://leg-cramps-advice.example/fhir/CodeSystem/locations"


def errors_of(response) -> dict:
    assert response.status_code == 400, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    return response.get_json()["errors"]


@pytest.mark.parametrize(("field", "value"), [
    ("side", "left"), ("side", ["one_leg"]), ("side", True),
    ("treatments", ["statin"]), ("symptoms", ["chestpain"]), ("triggers", ["lead"]),
    ("conditions", ["wound"]),
])
def test_bad_values_of_the_new_fields_are_named_like_any_other(client, field, value):
    assert list(errors_of(client.post(ADVICE, json=a_profile(**{field: value})))) == [field]


def test_an_unknown_side_names_the_allowed_values(client):
    errors = errors_of(client.post(ADVICE, json=a_profile(side="left")))
    assert errors["side"] == ["Must be one of: one_leg, both_legs."]


@pytest.mark.parametrize("profile", [
    a_profile(),
    a_profile(time_of_day="night", frequency="weekly", conditions=["varicose_veins"]),
    a_profile(symptoms=["swelling", "redness"], age=58),
])
def test_a_1_0_profile_gets_every_1_0_field_and_the_new_flag_beside_them(client, profile):
    answer = client.post(ADVICE, json=profile).get_json()
    assert [key for key in answer if key in FIELDS_1_0] == list(FIELDS_1_0)
    assert answer["call_emergency_services"] is False


def test_a_fhir_response_to_the_1_0_questionnaire_is_still_read(client, questionnaire):
    resource = {**response_to(questionnaire, {"locations": ["calf"], "time_of_day": "night"}),
                "questionnaire": f"{CANONICAL_URL}|1.0.0"}
    response = client.post(ADVICE, data=json.dumps(resource), content_type="application/fhir+json")
    assert response.status_code == 200
    assert response.get_json() == client.post(
        ADVICE, json={"locations": ["calf"], "time_of_day": "night"}).get_json()


@pytest.mark.parametrize("version", ["", "|1.0.0", "|1.1.0"], ids=["bare", "1.0.0", "1.1.0"])
def test_sex_in_the_former_private_system_is_still_read(client, questionnaire, version):
    profile = {"locations": ["calf"], "sex": "female"}
    resource = {**response_to(questionnaire, profile), "questionnaire": CANONICAL_URL + version}
    resource["item"][1]["answer"] = [{"valueCoding": {"system": FORMER_SEX_SYSTEM,
                                                      "code": "female"}}]
    response = client.post(ADVICE, data=json.dumps(resource), content_type="application/fhir+json")
    assert response.get_json() == client.post(ADVICE, json=profile).get_json()


def test_sex_in_any_other_system_is_refused_naming_administrative_gender(client, questionnaire):
    resource = response_to(questionnaire, {"locations": ["calf"], "sex": "female"})
    resource["item"][1]["answer"] = [{"valueCoding": {"system": CODE_SYSTEM_OF_LOCATIONS,
                                                      "code": "female"}}]
    response = client.post(ADVICE, data=json.dumps(resource), content_type="application/fhir+json")
    assert errors_of(response) == {"sex": [
        "Answer 0: the coding's system must be http://hl7.org/fhir/administrative-gender."]}


@pytest.mark.parametrize("field, value", [("locations", ["calf"]), ("sex", "female")])
def test_a_coding_whose_system_is_null_is_refused(client, questionnaire, field, value):
    resource = response_to(questionnaire, {"locations": ["calf"], field: value})
    item = next(item for item in resource["item"] if item["linkId"] == field)
    item["answer"][0]["valueCoding"]["system"] = None
    response = client.post(ADVICE, data=json.dumps(resource), content_type="application/fhir+json")
    assert list(errors_of(response)) == [field]


@pytest.mark.parametrize(("version", "read"), [
    ("1.0.0", True), ("1.1.0", True), ("1.0.7", True),
    ("2.0.0", False), ("0.9.0", False), ("1.99.0", False), ("1.1", False), ("", False),
    ("1.1.0-beta", False),
])
def test_responses_to_earlier_releases_of_the_same_major_version_are_read(version, read):
    assert reads_version(version) is read
