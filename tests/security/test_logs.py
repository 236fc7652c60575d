"""No symptom data in the logs, whatever the request and however it ends.

Every logger (root at DEBUG, and the service's, werkzeug's and durable-rules' own) and every
byte written to stdout or stderr is captured while valid profiles that together send every value
of every vocabulary, invalid ones and a crash (500) go through the app. None of the values may
appear; the request ids and statuses must, or the logs would be useless. (The real gunicorn's
access log is checked the same way in tests/api/test_gunicorn.py.) Nor may a CDS client's token,
whether it was accepted, refused or could not be checked.
"""

import json
import logging

from service import create_app
from service.advice import Advisor
from tests.support.cds_tokens import CdsClient, clients_file, new_key
from tests.support.gunicorn import access_lines
from tests.support.key_servers import serving_keys
from tests.support.log_capture import INVALID, appears, sent_values, valid_profiles

EHR = CdsClient("https://ehr.example/logs")
FORGER = CdsClient(EHR.iss, {"key-1": new_key()})
BROKEN = CdsClient("https://broken-keys.example/logs")


def test_no_profile_value_reaches_any_log_while_ids_and_statuses_do(
    client, app, monkeypatch, all_output
):
    sent = []
    for number, profile in enumerate(valid_profiles()):
        sent.append((f"valid-{number}", client.post(
            "/v1/advice", json=profile, headers={"X-Request-ID": f"valid-{number}"})))
    for number, profile in enumerate(INVALID):
        sent.append((f"invalid-{number}", client.post(
            "/v1/advice", json=profile, headers={"X-Request-ID": f"invalid-{number}"})))
    sent.append(("malformed", client.post(
        "/v1/advice", data='{"conditions": ["varicose_veins",', content_type="application/json",
        headers={"X-Request-ID": "malformed"})))

    def crash(profile):
        raise RuntimeError(f"cannot advise on {json.dumps(profile)}")

    monkeypatch.setattr(app.extensions[Advisor], "advise", crash)
    sent.append(("crash", client.post("/v1/advice", json=valid_profiles()[0],
                                      headers={"X-Request-ID": "crash"})))

    statuses = {request_id: response.status_code for request_id, response in sent}
    expected = {"valid": 200, "invalid": 400, "malformed": 400, "crash": 500}
    assert statuses == {request_id: expected[request_id.split("-")[0]] for request_id in statuses}
    logged = all_output()
    written = {line["request_id"]: line["status"] for line in access_lines(logged)}
    assert written == statuses, "the JSON lines written to stdout are checked, one per request"
    assert "unhandled RuntimeError" in logged, "the crash itself must be logged"
    crash_line = ('"level": "ERROR", "logger": "service.web.problems", '
                  '"message": "unhandled RuntimeError request_id=crash')
    assert crash_line in logged, "the JSON lines written to stderr are checked"
    leaked = sorted(value for value in sent_values() if appears(value, logged))
    assert leaked == [], f"profile values in the logs: {leaked}"


def test_the_check_finds_a_value_that_does_reach_the_logs(all_output):
    logging.getLogger("service.test").info("profile had conditions=varicose_veins age=87")
    logged = all_output()
    assert appears("varicose_veins", logged) and appears("87", logged)
    assert not appears("male", "sex=female") and not appears("87", "request_id=a87b")


def test_no_cds_client_token_reaches_any_log_accepted_refused_or_unverifiable(
    tmp_path, all_output
):
    with serving_keys("html") as broken:
        clients = clients_file(tmp_path / "clients.json",
                               {"iss": EHR.iss, "jwks": EHR.jwks()},
                               {"iss": BROKEN.iss, "jwks_url": broken.url})
        cds = create_app({"TESTING": True, "CDS_HOOKS_CLIENTS": clients,
                          "PUBLIC_BASE_URL": "http://localhost"}).test_client()
        accepted = EHR.token("http://localhost/cds-services")
        tokens = {"accepted": accepted, "replayed": accepted,
                  "forged": FORGER.token("http://localhost/cds-services"),
                  "unverifiable": BROKEN.token("http://localhost/cds-services")}
        statuses = {name: cds.get("/cds-services", headers={
            "Authorization": f"Bearer {token}", "X-Request-ID": f"cds-{name}"}).status_code
            for name, token in tokens.items()}

    assert statuses == {"accepted": 200, "replayed": 401, "forged": 401, "unverifiable": 503}
    logged = all_output()
    assert "cds key server failed" in logged and all(f"cds-{name}" in logged for name in tokens)
    for token in tokens.values():
        for part in token.split("."):  # neither the token nor its header, claims or signature
            assert part not in logged
