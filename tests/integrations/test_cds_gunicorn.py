"""The CDS Hooks endpoints through the real gunicorn, as an EHR would call them over HTTP.

The server trusts one client, whose keys a real HTTP server serves (``CDS_HOOKS_CLIENTS``), and
every call carries a fresh token of that client: discovery, a call with the intake as the
prefetch template's search Bundle, feedback overriding a card it returned with one of the card's
reasons, the knowledge-base page a card links to, the same intake's advice as a FHIR
GuidanceResponse, and a call without the intake. A call without a token and a replayed token
are refused; the access log holds no intake value and no user comment.
"""

import json
import uuid
from urllib.parse import urlsplit

import pytest
from fhir.resources.R4B.guidanceresponse import GuidanceResponse

from tests.support.cds_tokens import CdsClient, clients_file, serving_jwks
from tests.support.fhir_builders import (
    PATIENT_ID,
    QUESTIONNAIRE_PATH,
    SERVICE,
    cds_request,
    response_to,
    search_bundle,
)
from tests.support.gunicorn import running_gunicorn

pytestmark = pytest.mark.server

JSON = {"Content-Type": "application/json"}
FHIR = "application/fhir+json"
DVT = {"locations": ["calf"], "symptoms": ["swelling", "redness"], "conditions": ["diabetes"]}


EHR = CdsClient("https://ehr.example")


def test_an_ehr_discovers_calls_and_gives_feedback_through_gunicorn(tmp_path):
    with serving_jwks(EHR.jwks()) as keys, running_gunicorn(
        tmp_path / "gunicorn.log", workers=1,
        extra_env={"CDS_HOOKS_CLIENTS": clients_file(tmp_path / "clients.json",
                                                     {"iss": EHR.iss, "jwks_url": keys.url})},
    ) as server:
        def signed(path: str, **headers) -> dict:
            return {**headers, "Authorization": f"Bearer {EHR.token(server.base_url + path)}"}

        discovery = server.request("GET", "/cds-services", headers=signed("/cds-services"))
        questionnaire = json.loads(server.request("GET", QUESTIONNAIRE_PATH).body)
        intake = search_bundle(response_to(questionnaire, DVT))
        call_headers = signed(SERVICE, **JSON)
        body = json.dumps(cds_request(intake)).encode()
        call = server.request("POST", SERVICE, body, call_headers)
        replayed = server.request("POST", SERVICE, body, call_headers)
        unsigned = server.request("POST", SERVICE, body, JSON)
        cards = json.loads(call.body)["cards"]
        feedback = {"feedback": [{"card": cards[0]["uuid"], "outcome": "overridden",
                                  "overrideReason": {"reason": cards[0]["overrideReasons"][0],
                                                     "userComment": "seen in clinic, diabetes"},
                                  "outcomeTimestamp": "2025-01-15T10:00:00Z"}]}
        answered = server.request("POST", f"{SERVICE}/feedback", json.dumps(feedback).encode(),
                                  signed(f"{SERVICE}/feedback", **JSON))
        link = urlsplit(cards[0]["links"][-1]["url"])
        page = server.request("GET", link.path)
        guidance = server.request("POST", "/v1/advice", json.dumps(intake["entry"][0]["resource"])
                                  .encode(), {"Content-Type": FHIR, "Accept": FHIR})
        request_id = uuid.uuid4().hex
        missing = server.request("POST", SERVICE, json.dumps(cds_request(prefetch={})).encode(),
                                 signed(SERVICE, **JSON, **{"X-Request-ID": request_id}))
        log = server.wait_for_output(request_id)

    assert discovery.status == 200
    assert json.loads(discovery.body)["services"][0]["id"] == "leg-cramps-advice"
    assert call.status == 200 and call.content_type.startswith("application/json")
    assert call.headers["Cache-Control"] == "no-store"
    assert [card["indicator"] for card in cards][:1] == ["critical"]
    assert (answered.status, answered.body) == (200, b"")
    assert (replayed.status, unsigned.status) == (401, 401)
    assert missing.status == 412
    assert missing.content_type.startswith("application/problem+json")
    assert "overridden=1 reasons=already-managed:1" in log
    assert (link.scheme, link.netloc) == ("http", server.base_url.split("//")[1])
    assert page.status == 200 and f'id="{link.fragment}"'.encode() in page.body
    assert guidance.status == 200 and guidance.content_type.startswith(FHIR)
    assert GuidanceResponse.model_validate_json(guidance.body).subject.reference == (
        f"Patient/{PATIENT_ID}")
    for value in ("diabetes", "swelling", "redness", "seen in clinic"):
        assert value not in log, "the logs must never carry an intake value"
