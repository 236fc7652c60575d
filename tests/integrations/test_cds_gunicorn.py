"""The CDS Hooks endpoints through the real gunicorn, as an EHR would call them over HTTP.

The server trusts one client, whose keys a real HTTP server serves (``CDS_HOOKS_CLIENTS``), and
every call carries a fresh token of that client: discovery, a call with the intake as the
prefetch template's search Bundle, feedback on a card it returned, and a call without the
intake. A call without a token and a replayed token are refused; the access log holds no intake
value.
"""

import json
import uuid

import pytest

from tests.support.cds_tokens import CdsClient, clients_file, serving_jwks
from tests.support.fhir_builders import SERVICE, cds_request, response_to, search_bundle
from tests.support.gunicorn import running_gunicorn

pytestmark = pytest.mark.server

JSON = {"Content-Type": "application/json"}
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
        questionnaire = json.loads(server.request("GET", "/v1/fhir/Questionnaire").body)
        intake = search_bundle(response_to(questionnaire, DVT))
        call_headers = signed(SERVICE, **JSON)
        body = json.dumps(cds_request(intake)).encode()
        call = server.request("POST", SERVICE, body, call_headers)
        replayed = server.request("POST", SERVICE, body, call_headers)
        unsigned = server.request("POST", SERVICE, body, JSON)
        cards = json.loads(call.body)["cards"]
        feedback = {"feedback": [{"card": cards[0]["uuid"], "outcome": "overridden",
                                  "outcomeTimestamp": "2025-01-15T10:00:00Z"}]}
        answered = server.request("POST", f"{SERVICE}/feedback", json.dumps(feedback).encode(),
                                  signed(f"{SERVICE}/feedback", **JSON))
        request_id = uuid.uuid4().hex
        missing = server.request("POST", SERVICE, json.dumps(cds_request()).encode(),
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
    assert "overridden=1" in log
    for value in ("diabetes", "swelling", "redness"):
        assert value not in log, "the logs must never carry an intake value"
