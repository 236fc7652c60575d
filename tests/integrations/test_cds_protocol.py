"""CDS Hooks 2.0 discovery, feedback, and every way a call can fail, as the specification says.

A call whose client did not prefetch the intake is a 412 (the service never fetches from the FHIR
server), one whose prefetch says the patient has none gets no cards, a malformed call is a 400
naming each field by its path, an unknown service a 404; all are problem documents, which the
``client`` checks against openapi.yaml.
"""

import pytest

from tests.support.fhir_builders import PATIENT_ID, SERVICE, cds_request, response_to, search_bundle

CALF = {"locations": ["calf"]}
FEEDBACK = f"{SERVICE}/feedback"


def problem(response, status: int) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    return response.get_json(force=True)


def test_discovery_lists_the_service_its_hook_and_the_intake_prefetch_template(client):
    response = client.get("/cds-services")

    assert response.status_code == 200
    (service,) = response.get_json()["services"]
    assert (service["id"], service["hook"]) == ("leg-cramps-advice", "patient-view")
    assert service["title"] and service["description"]
    template = service["prefetch"]["intake"]
    assert template.startswith("QuestionnaireResponse?subject=Patient/{{context.patientId}}")
    assert "questionnaire=https://leg-cramps-advice.example/fhir/Questionnaire/" in template


@pytest.mark.parametrize(
    "prefetch",
    [None, {}, {"intake": {"resourceType": "OperationOutcome", "issue": []}}],
    ids=["no-prefetch", "no-key", "operation-outcome"],
)
def test_a_call_whose_client_did_not_prefetch_the_intake_is_a_412(client, prefetch):
    request = cds_request()
    request.pop("prefetch")
    if prefetch is not None:
        request["prefetch"] = prefetch

    detail = problem(client.post(SERVICE, json=request), 412)["detail"]

    assert "does not fetch" in detail


@pytest.mark.parametrize(
    "intake",
    [None, {"resourceType": "Bundle", "type": "searchset", "total": 0},
     {"resourceType": "Bundle", "entry": [{"resource": {"resourceType": "Patient"}}]}],
    ids=["null", "empty-bundle", "no-response"],
)
def test_a_chart_with_no_intake_gets_no_cards(client, intake):
    response = client.post(SERVICE, json=cds_request(intake))

    assert response.status_code == 200
    assert response.get_json() == {"cards": []}


@pytest.mark.parametrize(
    ("changes", "paths"),
    [
        ({"hook": "order-sign"}, {"hook"}),
        ({"hookInstance": "42"}, {"hookInstance"}),
        ({"hookInstance": "{d1577c69-dfbe-44ad-ba6d-3e05e953b2ea}"}, {"hookInstance"}),
        ({"context": {"userId": "Practitioner/1"}}, {"context.patientId"}),
        ({"context": {"userId": "Practitioner/1", "patientId": "../../etc"}},
         {"context.patientId"}),
        ({"context": {"userId": "someone", "patientId": "1", "encounterId": "a/b"}},
         {"context.userId", "context.encounterId"}),
        ({"context": "1288992"}, {"context"}),
        ({"fhirAuthorization": {"access_token": "x", "token_type": "Bearer", "expires_in": 1,
                                "scope": "s", "subject": "c"}}, {"fhirServer"}),
        ({"fhirServer": "fhir.example.org"}, {"fhirServer"}),
        ({"prefetch": ["intake"]}, {"prefetch"}),
        ({"prefetch": {"intake": {"resourceType": "Bundle", "entry": [{"resource": "x"}]}}},
         {"prefetch.intake.entry"}),
        ({"patient": {}}, {"patient"}),
        ({"hook": None, "hookInstance": None}, {"hook", "hookInstance"}),
    ],
    ids=["other-hook", "instance-not-uuid", "instance-not-canonical", "no-patient",
         "patient-not-an-id", "user-and-encounter-not-ids",
         "context-not-object", "token-without-server", "relative-server", "prefetch-not-object",
         "malformed-bundle", "unknown-field", "both-missing"],
)
def test_a_malformed_call_is_a_400_naming_each_field_by_its_path(client, questionnaire,
                                                                 changes, paths):
    request = cds_request(response_to(questionnaire, CALF), **changes)

    assert set(problem(client.post(SERVICE, json=request), 400)["errors"]) == paths


def test_an_invalid_intake_is_a_400_with_the_json_message_under_prefetch_intake(client,
                                                                               questionnaire):
    intake = response_to(questionnaire, {"locations": ["calf"], "conditions": ["diabetis"]})
    json_errors = problem(client.post("/v1/advice", json={"locations": ["calf"],
                                                           "conditions": ["diabetis"]}), 400)

    errors = problem(client.post(SERVICE, json=cds_request(intake)), 400)["errors"]

    assert errors == {"prefetch.intake.conditions": json_errors["errors"]["conditions"]}


def test_an_intake_of_another_patient_is_a_400(client, questionnaire):
    intake = response_to(questionnaire, CALF, subject={"reference": "Patient/someone-else"})

    errors = problem(client.post(SERVICE, json=cds_request(search_bundle(intake))), 400)["errors"]

    assert set(errors) == {"prefetch.intake.entry.0.resource.subject"}
    assert PATIENT_ID not in str(errors)


@pytest.mark.parametrize("path", ["/cds-services/other", "/cds-services/other/feedback"])
def test_an_unknown_service_id_is_a_404(client, path):
    problem(client.post(path, json=cds_request()), 404)


def test_a_call_that_is_not_json_is_a_415_and_a_get_a_405(client):
    problem(client.post(SERVICE, data="hook=patient-view", content_type="text/plain"), 415)
    problem(client.get(SERVICE), 405)


def test_feedback_in_the_specification_shape_is_a_200_with_no_body_and_no_type(client):
    feedback = {"feedback": [
        {"card": "4e0a3a1e-3283-4575-ab82-028d55fe2719", "outcome": "accepted",
         "acceptedSuggestions": [{"id": "e56e1945-20b3-4393-8503-a1a20fd73152"}],
         "outcomeTimestamp": "2020-12-11T00:00:00Z"},
        {"card": "9368d37b-283f-44a0-93ea-547cebab93ed", "outcome": "overridden",
         "overrideReason": {"reason": {"code": "d7ecf885", "system": "https://example.com/r"},
                            "userComment": "A comment entered by the clinician."},
         "outcomeTimestamp": "2020-12-11T00:00:00Z"},
    ]}

    response = client.post(FEEDBACK, json=feedback)

    assert response.status_code == 200
    assert response.get_data() == b""
    assert "Content-Type" not in response.headers


@pytest.mark.parametrize(
    ("body", "paths"),
    [
        ({}, {"feedback"}),
        ({"feedback": []}, {"feedback"}),
        ({"feedback": [{"card": "c", "outcome": "accepted",
                        "outcomeTimestamp": "2020-12-11T00:00:00Z"}]},
         {"feedback.0.acceptedSuggestions"}),
        ({"feedback": [{"card": "", "outcome": "ignored", "outcomeTimestamp": "yesterday"}]},
         {"feedback.0.card", "feedback.0.outcome", "feedback.0.outcomeTimestamp"}),
        ({"feedback": ["c"], "cards": []}, {"feedback.0", "cards"}),
        ({"feedback": [{"card": "c", "outcome": "accepted", "acceptedSuggestions": [{}],
                        "overrideReason": "n/a", "outcomeTimestamp": "2020-12-11T00:00:00"}],
          "extension": []},
         {"feedback.0.acceptedSuggestions", "feedback.0.overrideReason",
          "feedback.0.outcomeTimestamp", "extension"}),
        ({"feedback": [{"card": "c", "outcome": "overridden",
                        "overrideReason": {"reason": "already-managed", "userComment": {}},
                        "outcomeTimestamp": "2020-12-11T00:00:00Z"}]},
         {"feedback.0.overrideReason.reason", "feedback.0.overrideReason.userComment"}),
    ],
    ids=["no-feedback", "empty", "accepted-without-suggestions", "bad-entry", "not-objects",
         "malformed-parts", "malformed-override-reason"],
)
def test_malformed_feedback_is_a_400_naming_each_entry_field(client, body, paths):
    assert set(problem(client.post(FEEDBACK, json=body), 400)["errors"]) == paths
