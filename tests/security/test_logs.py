"""No symptom data in the logs, whatever the request and however it ends.

Every logger (root at DEBUG, and the service's, werkzeug's and durable-rules' own) and every
byte written to stdout or stderr is captured while valid profiles that together send every value
of every vocabulary, invalid ones and a crash (500) go through the app. None of the values may
appear; the request ids and statuses must, or the logs would be useless. (The real gunicorn's
access log is checked the same way in tests/api/test_gunicorn.py.)
"""

import io
import json
import logging
import re
from itertools import zip_longest

import pytest

from service.vocabulary import ARRAY_FIELDS, ENUM_FIELDS
from tests.api.gunicorn_server import access_lines
from tests.builders import a_profile

LOGGERS = ("service", "werkzeug", "durable", "flask.app")
UNUSUAL_AGE, UNUSUAL_DURATION = 87, 13.75  # two decimals: never a duration_ms=%.1f
INVALID = [
    {"locations": ["calfs"], "conditions": ["diabetis"], "sex": "femme"},
    {"locations": ["calf"], "age": 187, "duration_minutes": -13.75, "smoker": "yes"},
    {"locations": ["foot", "foot"], "pregnancy_trimester": 2, "colour": "crimson"},
]
INVALID_VALUES = ["calfs", "diabetis", "femme", "187", "crimson", "colour"]


def valid_profiles() -> list[dict]:
    """Profiles that send every value of every vocabulary at least once."""
    arrays = {field: list(values) for field, values in ARRAY_FIELDS.items()}
    enums = zip_longest(*ENUM_FIELDS.values())
    return [
        a_profile(**arrays, **{field: value for field, value in zip(ENUM_FIELDS, combo, strict=True)
                               if value is not None},
                  age=UNUSUAL_AGE, duration_minutes=UNUSUAL_DURATION, active_now=True)
        for combo in enums
    ]


def sent_values() -> set[str]:
    values = {value for values in (*ARRAY_FIELDS.values(), *ENUM_FIELDS.values())
              for value in values}
    return values | {str(UNUSUAL_AGE), str(UNUSUAL_DURATION), *INVALID_VALUES}


def appears(value: str, text: str) -> bool:
    """As a word of its own: "male" is not in "female", 87 is not in a request id's hex."""
    return re.search(rf"(?<![\w.]){re.escape(value)}(?![\w])", text) is not None


@pytest.fixture
def all_output(caplog, capfd):
    """Capture everything, then hand back a function that returns it as one text.

    The service's own handlers (JSON lines to stdout, the rest to stderr) keep the streams they
    were built with, so for the test they write to a buffer: what they write is checked too,
    not only the records.
    """
    caplog.set_level(logging.DEBUG)
    for name in LOGGERS:
        caplog.set_level(logging.DEBUG, logger=name)
    handlers = [handler for handler in logging.getLogger("service").handlers
                if type(handler) is logging.StreamHandler]
    streams = [handler.stream for handler in handlers]
    buffer = io.StringIO()
    for handler in handlers:
        handler.setStream(buffer)

    def text() -> str:
        out, err = capfd.readouterr()
        records = [f"{record.name} {record.getMessage()} {record.exc_text or ''}"
                   for record in caplog.records]
        return "\n".join([*records, buffer.getvalue(), out, err])

    yield text
    for handler, stream in zip(handlers, streams, strict=True):
        handler.setStream(stream)


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

    monkeypatch.setattr(app.extensions["advisor"], "advise", crash)
    sent.append(("crash", client.post("/v1/advice", json=valid_profiles()[0],
                                      headers={"X-Request-ID": "crash"})))

    statuses = {request_id: response.status_code for request_id, response in sent}
    expected = {"valid": 200, "invalid": 400, "malformed": 400, "crash": 500}
    assert statuses == {request_id: expected[request_id.split("-")[0]] for request_id in statuses}
    logged = all_output()
    written = {line["request_id"]: line["status"] for line in access_lines(logged)}
    assert written == statuses, "the JSON lines written to stdout are checked, one per request"
    assert "unhandled RuntimeError" in logged, "the crash itself must be logged"
    assert "ERROR service.http.problems unhandled RuntimeError request_id=crash" in logged, (
        "the formatted stderr lines are checked")
    leaked = sorted(value for value in sent_values() if appears(value, logged))
    assert leaked == [], f"profile values in the logs: {leaked}"


def test_the_check_finds_a_value_that_does_reach_the_logs(all_output):
    logging.getLogger("service.test").info("profile had conditions=varicose_veins age=87")
    logged = all_output()
    assert appears("varicose_veins", logged) and appears("87", logged)
    assert not appears("male", "sex=female") and not appears("87", "request_id=a87b")
