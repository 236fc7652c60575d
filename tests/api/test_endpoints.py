"""The endpoints answer as the contract says, with the headers and log line every request gets."""

import json
import logging
import re
from dataclasses import fields
from pathlib import Path

import pytest

from service.advice import Advisor
from service.contract.answer import Answer
from tests.support.builders import a_profile


@pytest.fixture
def advisor(app):
    return app.extensions[Advisor]


def test_healthz_says_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.get_json() == {"status": "ok"}


def test_readyz_says_ready_once_the_knowledge_base_is_loaded(client):
    response = client.get("/readyz")
    assert response.status_code == 200 and response.get_json()["status"] == "ready"


def test_readyz_shows_no_engine_session_left_open_between_requests(client):
    client.post("/v1/advice", json={"locations": ["calf"], "time_of_day": "night"})
    engine = client.get("/readyz").get_json()["engine"]
    assert engine["open_sessions"] == 0 and engine["evaluations"] >= 1


def test_readyz_is_a_503_problem_while_the_advisor_is_not_ready(unready_app):
    response = unready_app.test_client().get("/readyz")
    assert response.status_code == 503 and response.mimetype == "application/problem+json"


def test_the_knowledge_base_is_the_advisors_own(client, advisor):
    response = client.get("/v1/knowledge-base")
    assert response.status_code == 200 and response.get_json() == advisor.knowledge_base()


def test_the_openapi_document_is_served_as_yaml_from_the_configured_path(app, client):
    response = client.get("/openapi.yaml")
    assert response.status_code == 200 and response.mimetype == "application/yaml"
    assert response.get_data() == Path(app.config["OPENAPI_PATH"]).read_bytes()


def test_a_missing_openapi_document_is_a_500_problem(app, client, monkeypatch, tmp_path):
    monkeypatch.setitem(app.config, "OPENAPI_PATH", str(tmp_path / "missing.yaml"))
    response = client.get("/openapi.yaml")
    assert response.status_code == 500 and response.mimetype == "application/problem+json"


def test_advice_is_json_in_the_shape_of_the_contract(client):
    body = a_profile(time_of_day="night", frequency="weekly", conditions=["varicose_veins"])
    response = client.post("/v1/advice", json=body)  # the client checks it against openapi.yaml
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert list(response.get_json()) == [field.name for field in fields(Answer)]


def test_the_advisor_gets_the_fields_sent_and_active_now_false(client, advisor, monkeypatch):
    received = []
    real_advise = advisor.advise
    monkeypatch.setattr(advisor, "advise", lambda profile: received.append(profile)
                        or real_advise(profile))
    client.post("/v1/advice", json=a_profile(age=40, duration_minutes=2.5))
    assert received == [
        {"locations": ["calf"], "age": 40, "duration_minutes": 2.5, "active_now": False}
    ]


@pytest.mark.parametrize("body", [a_profile(), a_profile(age="old")])
def test_no_answer_of_the_advice_endpoint_may_be_cached(client, body):
    assert client.post("/v1/advice", json=body).headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize(("method", "path"), [
    ("GET", "/healthz"), ("GET", "/readyz"), ("GET", "/openapi.yaml"), ("POST", "/v1/advice"),
    ("GET", "/v1/advice"), ("GET", "/nowhere"),
])
def test_every_response_forbids_content_sniffing(client, method, path):
    response = client.open(path, method=method, json=a_profile())
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_a_head_request_answers_like_get_without_a_body(client):
    response = client.head("/healthz")
    assert response.status_code == 200 and response.get_data() == b""


def test_a_clients_request_id_token_is_echoed(client):
    response = client.get("/healthz", headers={"X-Request-ID": "intake-42.a_b"})
    assert response.headers["X-Request-ID"] == "intake-42.a_b"


@pytest.mark.parametrize("offered", [None, "", "two words", "x" * 65, "<script>", "ä"])
def test_a_missing_or_odd_request_id_is_replaced_by_a_fresh_one(client, offered):
    headers = {"X-Request-ID": offered} if offered is not None else {}
    response = client.get("/healthz", headers=headers)
    assert re.fullmatch(r"[0-9a-f]{32}", response.headers["X-Request-ID"])


def test_each_request_logs_one_line_without_any_value_it_carried(client, caplog):
    caplog.set_level(logging.INFO, logger="service")
    body = a_profile(conditions=["diabetes"], age=77)
    client.post("/v1/advice?name=Ann", json=body, headers={"X-Request-ID": "req-7"})
    (line,) = [record.getMessage() for record in caplog.records]
    entry = json.loads(line)  # tests/observability/test_access_log.py checks every key
    assert (entry["request_id"], entry["method"], entry["route"], entry["status"]) == (
        "req-7", "POST", "/v1/advice", 200)
    # time, duration_ms and worker are the server's own numbers (a pid such as 27743, or 1.77 ms,
    # holds "77" by chance); every other value must carry nothing of the request.
    told = {key: value for key, value in entry.items()
            if key not in ("time", "duration_ms", "worker")}
    assert not re.search(r"diabetes|77|Ann", json.dumps(told))
    assert "diabetes" not in line and "Ann" not in line


def test_a_control_character_in_the_path_cannot_forge_a_log_line(client, caplog):
    caplog.set_level(logging.INFO, logger="service")
    client.get("/x%0Arequest_id=forged")
    (line,) = [record.getMessage() for record in caplog.records]
    assert "\n" not in line and "forged" not in line and json.loads(line)["status"] == 404
