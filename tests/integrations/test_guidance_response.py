"""``POST /v1/advice`` answering a FHIR R4 GuidanceResponse to a client that asks for one.

What every rules-file example's GuidanceResponse holds (valid R4, the same advice as the JSON
answer, every contained request reached from the result) is checked in
tests/rules/test_examples.py. Here: the intake referenced when it came as FHIR, the patient it
names, how pressing the requests are, and the JSON answer staying the default.
"""

import pytest

from tests.support.answer_forms import FHIR, guidance
from tests.support.builders import a_profile
from tests.support.fhir_builders import PATIENT_ID, response_to


def intake_links(resource: dict) -> list[dict]:
    """What each contained request says of the intake: a ServiceRequest's supportingInfo, a
    CommunicationRequest's about (where R4 takes a reference to any resource)."""
    return [link for request in resource["contained"]
            for link in request.get("supportingInfo", []) + request.get("about", [])]


def test_an_intake_gives_the_subject_and_every_request_references_it(client, questionnaire):
    intake = response_to(questionnaire, {"locations": ["calf"], "frequency": "weekly"},
                         id="intake-7")

    resource = guidance(client, intake, content_type=FHIR)

    assert resource["subject"] == {"reference": f"Patient/{PATIENT_ID}"}
    assert "reasonReference" not in resource, "R4 allows no QuestionnaireResponse there"
    requests = [r for r in resource["contained"] if r["resourceType"] != "RequestGroup"]
    assert intake_links(resource) == [{"reference": "QuestionnaireResponse/intake-7",
                                       "type": "QuestionnaireResponse"}] * len(requests)
    assert {r["subject"]["reference"] for r in resource["contained"]} == {f"Patient/{PATIENT_ID}"}


def test_an_intake_without_an_id_is_referenced_by_its_identifier(client, questionnaire):
    identifier = {"system": "https://ehr.example.org/intakes", "value": "42"}
    intake = response_to(questionnaire, {"locations": ["calf"]}, identifier=identifier)

    resource = guidance(client, intake, content_type=FHIR)

    assert {link["identifier"]["value"] for link in intake_links(resource)} == {"42"}


def test_a_json_profile_names_no_patient_and_no_intake_resource(client):
    resource = guidance(client, a_profile())

    assert "reference" not in resource["subject"] and resource["subject"]["display"]
    assert intake_links(resource) == []


@pytest.mark.parametrize(("elements", "path"), [
    ({"id": "../../etc"}, "id"),
    ({"id": "x" * 65}, "id"),
    ({"subject": {"reference": "Patient/../../etc"}}, "subject"),
    ({"subject": {"reference": "https://ehr.example/fhir/../Patient/1"}}, "subject"),
    ({"subject": {"reference": "Group/1"}}, "subject"),
    ({"subject": {"reference": "Patient/1", "type": "Group"}}, "subject"),
    ({"subject": {"reference": "Patient/1", "extension": [{"url": "x"}]}}, "subject"),
], ids=["id-path", "id-long", "subject-path", "subject-dot-segment", "subject-group",
        "subject-type", "subject-extension"])
def test_an_intake_whose_id_or_subject_fhir_would_refuse_is_a_400(client, questionnaire,
                                                                  elements, path):
    intake = response_to(questionnaire, {"locations": ["calf"]}, **elements)

    response = client.post("/v1/advice", json=intake,
                           headers={"Content-Type": FHIR, "Accept": FHIR})

    assert response.status_code == 400
    assert set(response.get_json()["errors"]) == {path}


@pytest.mark.parametrize("reference", ["Patient/1288992", "https://ehr.example.org/r4/Patient/12",
                                       "http://localhost:8080/fhir/Patient/a-1.b"])
def test_a_relative_or_absolute_patient_reference_is_kept(client, questionnaire, reference):
    intake = response_to(questionnaire, {"locations": ["calf"]},
                         subject={"reference": reference, "display": "Ann"})

    resource = guidance(client, intake, content_type=FHIR)

    assert resource["subject"] == {"reference": reference, "display": "Ann"}


@pytest.mark.parametrize(("profile", "priority"), [
    ({"locations": ["calf"], "symptoms": ["chest_pain"]}, "stat"),
    ({"locations": ["calf"], "symptoms": ["swelling", "redness"]}, "asap"),
    ({"locations": ["foot"], "symptoms": ["numbness"]}, "urgent"),
    ({"locations": ["calf"]}, "routine"),
], ids=["ambulance", "today", "within days", "self-care"])
def test_the_request_group_is_as_pressing_as_the_advice(client, profile, priority):
    assert guidance(client, profile)["contained"][0]["priority"] == priority


@pytest.mark.parametrize("accept", [None, "*/*", "application/json",
                                    "application/json, application/fhir+json;q=0.5",
                                    "application/fhir+json; fhirVersion=5.0, application/json"])
def test_json_stays_the_answer_unless_fhir_is_preferred(client, accept):
    headers = {"Accept": accept} if accept else {}

    response = client.post("/v1/advice", json=a_profile(), headers=headers)

    assert response.mimetype == "application/json"
    assert "urgency" in response.get_json()


def test_fhir_r4_may_be_asked_for_by_version(client):
    resource = guidance(client, a_profile(), accept="application/fhir+json; fhirVersion=4.0")

    assert resource["resourceType"] == "GuidanceResponse"


def test_fhir_in_another_version_only_is_a_406(client):
    response = client.post("/v1/advice", json=a_profile(),
                           headers={"Accept": "application/fhir+json; fhirVersion=5.0"})

    assert response.status_code == 406
    assert response.mimetype == "application/problem+json"
    assert "4.0" in response.get_json()["detail"]


def test_a_bad_profile_is_the_same_400_problem_when_fhir_is_asked_for(client):
    response = client.post("/v1/advice", json={"locations": ["knee"]}, headers={"Accept": FHIR})

    assert response.status_code == 400
    assert "locations" in response.get_json()["errors"]
