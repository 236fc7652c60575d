"""The FHIR and CDS Hooks defects of the edge review, each tried again against a real gunicorn.

One worker, so a body answered once is in the cache the next request meets; CDS client
authentication off, as the CDS protocol tests have it (test_cds_gunicorn.py signs its calls).
"""

import json
import uuid

import pytest

from tests.support.fhir_builders import (
    QUESTIONNAIRE_PATH,
    SERVICE,
    cds_request,
    response_to,
    search_bundle,
)
from tests.support.gunicorn import running_gunicorn

pytestmark = pytest.mark.server

FHIR = "application/fhir+json"
CALF = {"locations": ["calf"]}
CHEST_PAIN = {"locations": ["calf"], "symptoms": ["chest_pain"]}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    log = tmp_path_factory.mktemp("edges") / "gunicorn.log"
    with running_gunicorn(log, workers=1, extra_env={"CDS_HOOKS_AUTH": "off",
                                                     "ANSWER_CACHE_SIZE": "64"}) as running:
        yield running


@pytest.fixture(scope="module")
def questionnaire(server) -> dict:
    return json.loads(server.request("GET", QUESTIONNAIRE_PATH).body)


def post_json(server, path: str, body: object, content_type: str = "application/json",
              **headers):
    return server.request("POST", path, json.dumps(body).encode(),
                          {"Content-Type": content_type, **headers})


def test_an_older_intake_first_no_longer_hides_a_newer_emergency(server, questionnaire):
    older = response_to(questionnaire, CALF, id="old", authored="2026-11-01T08:00:00Z")
    newer = response_to(questionnaire, CHEST_PAIN, id="new", authored="2026-12-04T08:00:00Z")

    response = post_json(server, SERVICE, cds_request(search_bundle(older, newer)))

    first = json.loads(response.body)["cards"][0]
    assert (first["indicator"], first["summary"].split(":")[0]) == ("critical", "Emergency")
    assert "QuestionnaireResponse/new, authored 2026-12-04T08:00:00Z" in first["detail"]


def test_the_same_bytes_in_another_fhir_version_stay_a_415_after_r4_was_answered(
        server, questionnaire):
    intake = response_to(questionnaire, {**CALF, "frequency": "rare"})

    statuses = [post_json(server, "/v1/advice", intake, f"{FHIR}; fhirVersion={version}").status
                for version in ("4.0", "5.0", "5.0")]

    assert statuses == [200, 415, 415]


def test_the_fhir_face_answers_406_for_xml_and_a_bundle_for_the_questionnaire_type(server):
    xml = server.request("GET", "/v1/fhir/metadata", headers={"Accept": "application/fhir+xml"})
    formatted = server.request("GET", "/v1/fhir/metadata?_format=xml")
    search = json.loads(server.request("GET", "/v1/fhir/Questionnaire").body)

    assert (xml.status, formatted.status) == (406, 406)
    assert json.loads(xml.body)["resourceType"] == "OperationOutcome"
    assert (search["resourceType"], search["type"], search["total"]) == ("Bundle", "searchset", 1)


def test_the_guidance_response_references_its_intake_only_where_r4_allows(server,
                                                                         questionnaire):
    intake = response_to(questionnaire, CHEST_PAIN, id="intake-9")

    resource = json.loads(post_json(server, "/v1/advice", intake, FHIR, Accept=FHIR).body)
    subject_path = post_json(server, "/v1/advice", {**intake, "subject": {
        "reference": "Patient/../../etc"}}, FHIR, Accept=FHIR)

    assert "reasonReference" not in resource
    assert {link["reference"] for request in resource["contained"]
            for link in request.get("supportingInfo", []) + request.get("about", [])} \
        == {"QuestionnaireResponse/intake-9"}
    assert subject_path.status == 400


def test_a_chart_without_an_intake_gets_no_cards_and_feedback_no_type(server):
    call = post_json(server, SERVICE, cds_request(None))
    feedback = post_json(server, f"{SERVICE}/feedback", {"feedback": [
        {"card": str(uuid.uuid4()), "outcome": "overridden",
         "outcomeTimestamp": "2026-12-04T10:00:00Z"}]})

    assert (call.status, json.loads(call.body)) == (200, {"cards": []})
    assert (feedback.status, feedback.body) == (200, b"")
    assert "Content-Type" not in feedback.headers
