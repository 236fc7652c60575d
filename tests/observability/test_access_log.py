"""Each request writes exactly one JSON line, with the promised keys and nothing it carried.

In process, with the service's own handlers writing to a buffer (tests/security/test_logs.py's
``all_output``): valid profiles that send every value of every vocabulary, refused ones, a CDS
Hooks call, a 404 and a 405 with values in their URLs. Every line the access handler writes must
parse as one JSON object, one per request, with exactly the keys service/web/request_log.py
promises:
``urgency`` only when the request got advice. tests/observability/test_metrics_gunicorn.py checks
the same under gunicorn, where these lines are the only access log.
"""

import io
import json
import logging
import os
import sys

from service.web.logs import ACCESS_LOGGER, configure_logging
from tests.support.fhir_builders import QUESTIONNAIRE_PATH, SERVICE, cds_request, response_to
from tests.support.gunicorn import access_lines
from tests.support.log_capture import INVALID, appears, sent_values, valid_profiles

KEYS = {"time", "request_id", "method", "route", "status", "duration_ms", "worker"}


def send_everything(client) -> dict[str, tuple[str | None, int, bool]]:
    """Send the requests; ``{request id: (route, status, advised)}`` of what each should log."""
    expected = {}
    for number, profile in enumerate(valid_profiles()):
        request_id = f"valid-{number}"
        client.post("/v1/advice", json=profile, headers={"X-Request-ID": request_id})
        expected[request_id] = ("/v1/advice", 200, True)
    for number, profile in enumerate(INVALID):
        request_id = f"invalid-{number}"
        client.post("/v1/advice", json=profile, headers={"X-Request-ID": request_id})
        expected[request_id] = ("/v1/advice", 400, False)
    questionnaire = client.get(QUESTIONNAIRE_PATH, headers={"X-Request-ID": "fhir"})
    expected["fhir"] = (QUESTIONNAIRE_PATH, 200, False)
    intake = response_to(questionnaire.get_json(), {"locations": ["calf"]})
    client.post(SERVICE, json=cds_request(intake), headers={"X-Request-ID": "cds"})
    expected["cds"] = ("/cds-services/<service_id>", 200, True)
    client.get("/v1/advice?conditions=diabetes", headers={"X-Request-ID": "get"})
    expected["get"] = ("/v1/advice", 405, False)
    client.get("/profiles/femme/87", headers={"X-Request-ID": "lost"})
    expected["lost"] = (None, 404, False)
    return expected


def test_each_request_writes_one_json_line_with_exactly_the_promised_keys(client, all_output):
    expected = send_everything(client)
    logged = all_output()

    lines = [line for line in access_lines(logged) if line["request_id"] in expected]
    assert sorted(line["request_id"] for line in lines) == sorted(expected), "one line each"
    for line in lines:
        route, status, advised = expected[line["request_id"]]
        assert set(line) == (KEYS | {"urgency"} if advised else KEYS), line
        assert (line["route"], line["status"], line["method"]) == (
            route, status, "GET" if line["request_id"] in ("fhir", "get", "lost") else "POST")
        assert line["duration_ms"] >= 0 and isinstance(line["worker"], int)
    leaked = sorted(value for value in {*sent_values(), "diabetes"} if appears(value, logged))
    assert leaked == [], f"profile values in the logs: {leaked}"


def test_access_lines_go_bare_to_stdout_and_every_other_line_to_stderr_as_json(monkeypatch):
    """A collector may parse every line of either stream as JSON."""
    monkeypatch.setattr(logging.getLogger("service"), "handlers", [])
    stdout, stderr = io.StringIO(), io.StringIO()
    monkeypatch.setattr(sys, "stdout", stdout)
    monkeypatch.setattr(sys, "stderr", stderr)
    configure_logging()

    logging.getLogger(ACCESS_LOGGER).info('{"request_id": "probe"}')
    logging.getLogger("service.web.problems").error("an error line")

    assert stdout.getvalue() == '{"request_id": "probe"}\n'
    (line,) = stderr.getvalue().splitlines()
    entry = json.loads(line)
    assert list(entry) == ["time", "level", "logger", "message", "pid"]
    assert (entry["level"], entry["logger"], entry["message"]) == (
        "ERROR", "service.web.problems", "an error line")
    assert entry["pid"] == os.getpid()
