"""Errors under /v1/fhir/ are FHIR OperationOutcomes; everywhere else they stay problem documents.

A FHIR client reads an OperationOutcome, not RFC 9457's problem+json; the service renders both
from the same problem (service/web/problems.py), so status and headers are the same either
way. Each OperationOutcome is validated with the R4B models of fhir.resources, whose
OperationOutcome has the R4 elements used here.
"""

import json

import pytest
from fhir.resources.R4B.operationoutcome import OperationOutcome

from tests.support.fhir_builders import response_to

FHIR = "application/fhir+json"
PROBLEM = "application/problem+json"


def outcome_of(response, status: int) -> OperationOutcome:
    assert response.status_code == status
    assert response.mimetype == FHIR
    outcome = OperationOutcome.model_validate(response.get_json(force=True))
    assert [issue.severity for issue in outcome.issue] == ["error"]
    return outcome


@pytest.mark.parametrize("path", ["/v1/fhir/Patient/1288992", "/v1/fhir/Questionnaire/other",
                                  "/v1/fhir/", "/v1/fhir"])
def test_a_fhir_path_that_does_not_exist_answers_a_404_operation_outcome(client, path):
    outcome = outcome_of(client.get(path), 404)

    assert outcome.issue[0].code == "not-found"
    assert "not found" in outcome.issue[0].diagnostics


def test_a_method_a_fhir_path_does_not_take_answers_a_405_operation_outcome_with_allow(client):
    response = client.post("/v1/fhir/Questionnaire", json={})

    assert outcome_of(response, 405).issue[0].code == "not-supported"
    assert "GET" in response.headers["Allow"]


def test_without_an_api_key_a_fhir_path_answers_a_401_operation_outcome(app, client,
                                                                         monkeypatch):
    monkeypatch.setitem(app.config, "API_KEYS", ("secret-key-0123456789",))
    response = client.get("/v1/fhir/Questionnaire", headers={"X-Request-ID": "no-key"})

    assert outcome_of(response, 401).issue[0].code == "login"
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert response.headers["X-Request-ID"] == "no-key"


def test_a_crash_on_a_fhir_path_answers_a_500_operation_outcome_without_its_message(
    client, monkeypatch
):
    def crash(questions):
        raise RuntimeError("calf cramps of patient 1288992")

    monkeypatch.setattr("service.fhir.build_questionnaire", crash)
    response = client.get("/v1/fhir/Questionnaire")

    assert outcome_of(response, 500).issue[0].code == "exception"
    assert "1288992" not in response.get_data(as_text=True)


@pytest.mark.parametrize(("method", "path", "body"), [
    ("GET", "/v1/nothing", None),
    ("GET", "/v1/fhirQuestionnaire", None),
    ("POST", "/v1/advice", {"resourceType": "QuestionnaireResponse", "status": "in-progress"}),
], ids=["other-path", "prefix-without-slash", "fhir-body-to-advice"])
def test_errors_outside_the_fhir_paths_stay_problem_documents(client, method, path, body):
    response = client.open(path, method=method, data=json.dumps(body), content_type=FHIR)

    assert response.status_code in (400, 404)
    assert response.mimetype == PROBLEM
    assert response.get_json(force=True)["detail"]


@pytest.mark.parametrize(("query", "accept"), [
    ("?_format=xml", None), ("?_format=application/fhir%2Bxml", "application/fhir+json"),
    ("", "application/fhir+xml"), ("", "application/fhir+json; fhirVersion=5.0"),
    ("", "text/html"),
], ids=["format-xml", "format-overrides-accept", "accept-xml", "accept-r5", "accept-html"])
@pytest.mark.parametrize("path", ["/v1/fhir/metadata", "/v1/fhir/Questionnaire",
                                  "/v1/fhir/CodeSystem/locations"])
def test_a_client_that_cannot_take_fhir_r4_json_gets_a_406_operation_outcome(client, path,
                                                                           query, accept):
    response = client.get(path + query, headers={"Accept": accept} if accept else {})

    assert outcome_of(response, 406).issue[0].code == "not-supported"


@pytest.mark.parametrize(("query", "accept"), [
    ("?_format=json", "application/fhir+xml"), ("?_format=application/fhir%2Bjson", None),
    ("", "application/json"), ("", "application/fhir+json; fhirVersion=4.0"),
    ("", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"),
], ids=["format-json-overrides-accept", "format-fhir-json", "json", "r4", "a-browser"])
def test_a_client_that_takes_json_gets_the_resource(client, query, accept):
    response = client.get("/v1/fhir/metadata" + query,
                          headers={"Accept": accept} if accept else {})

    assert (response.status_code, response.mimetype) == (200, "application/fhir+json")


def test_a_questionnaire_response_sent_as_plain_json_is_a_400_saying_what_to_send(
        client, questionnaire):
    intake = response_to(questionnaire, {"locations": ["calf"]})

    response = client.post("/v1/advice", json=intake)

    assert response.status_code == 400
    assert "application/fhir+json" in response.get_json()["errors"]["resourceType"][0]
