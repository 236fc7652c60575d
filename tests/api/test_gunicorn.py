"""End to end through the real gunicorn, configured by gunicorn.conf.py, with two threaded workers.

These tests see what a client sees: the HTTP status, headers and bytes that gunicorn sends, and
what gunicorn writes to its logs.
"""

import json
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.support.gunicorn import access_lines, logged_id, running_gunicorn

pytestmark = pytest.mark.server

WORKERS = 2
JSON_HEADERS = {"Content-Type": "application/json"}
CALF_AT_NIGHT = {"locations": ["calf"], "time_of_day": "night", "frequency": "weekly"}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    log_path = tmp_path_factory.mktemp("gunicorn") / "gunicorn.log"
    with running_gunicorn(log_path, workers=WORKERS) as running:
        yield running


def post_advice(server, profile: dict, request_id: str | None = None):
    headers = dict(JSON_HEADERS)
    if request_id:
        headers["X-Request-ID"] = request_id
    return server.request("POST", "/v1/advice", json.dumps(profile).encode(), headers)


def test_healthz_answers_200_with_status_ok(server):
    response = server.request("GET", "/healthz")

    assert response.status == 200
    assert json.loads(response.body) == {"status": "ok"}


def test_readyz_answers_200_once_the_workers_have_loaded_the_knowledge_base(server):
    assert server.request("GET", "/readyz").status == 200


def test_advice_for_a_valid_profile_answers_200_json_with_the_contract_fields(server):
    response = post_advice(server, CALF_AT_NIGHT)

    assert response.status == 200
    assert response.content_type.startswith("application/json")
    advice = json.loads(response.body)
    assert advice["urgency"] in {"self_care", "routine", "soon", "urgent"}
    assert advice["disclaimer"].strip()
    assert advice["trace"], "the rules that fired must be traced"
    assert advice["knowledge_base"]["version"]


def test_a_bad_profile_answers_400_problem_json_naming_the_offending_field(server):
    response = post_advice(server, {"locations": ["knee"]})

    assert response.status == 400
    assert response.content_type.startswith("application/problem+json")
    problem = json.loads(response.body)
    assert "locations" in problem["errors"]


def test_a_body_over_64_kib_answers_413(server):
    # Valid JSON, a valid profile even: only its size is wrong.
    body = b'{"locations": ["calf"]' + b" " * (64 * 1024) + b"}"

    response = server.request("POST", "/v1/advice", body, JSON_HEADERS)

    assert response.status == 413


def test_200_concurrent_requests_across_both_workers_answer_200_with_identical_bodies(server):
    # Concurrent, so that a busy worker leaves the next connection to the other one:
    # one after another, a single worker may legitimately accept them all.
    batch = uuid.uuid4().hex
    with ThreadPoolExecutor(max_workers=8) as pool:
        responses = list(pool.map(
            lambda number: post_advice(server, CALF_AT_NIGHT, request_id=f"{batch}-{number}"),
            range(200),
        ))
    assert [response.status for response in responses] == [200] * 200
    bodies = {response.body for response in responses}
    assert len(bodies) == 1, "the same profile must get the same advice from every worker"
    output = server.wait_for_output(logged_id(f"{batch}-199"))
    served_by = {line["worker"] for line in access_lines(output)
                 if line["request_id"].startswith(f"{batch}-")}
    assert len(served_by) == WORKERS, f"expected both workers to serve, got {served_by}"


def test_the_logs_never_carry_a_profile_value(server):
    request_id = uuid.uuid4().hex
    profile = {**CALF_AT_NIGHT, "conditions": ["varicose_veins"], "symptoms": ["swelling"]}

    assert post_advice(server, profile, request_id=request_id).status == 200

    output = server.wait_for_output(logged_id(request_id))
    logged = [(line["route"], line["status"]) for line in access_lines(output)
              if line["request_id"] == request_id]
    assert logged == [("/v1/advice", 200)], "the request itself must be in the access log"
    assert "varicose" not in output
    assert "swelling" not in output


def test_every_worker_reads_own_words_and_the_logs_never_carry_them(server):
    """Each worker built its parser at start-up (/readyz waited for it); the text, answered or
    refused, appears in no log line of gunicorn or the workers."""
    ids = [uuid.uuid4().hex for _ in range(4)]
    text = "my left calf cramps most nights, no swelling, Zebediah from Acacia Avenue"
    bodies = [json.dumps({"text": text}).encode()] * 3 + [
        json.dumps({"text": text * 20}).encode()]

    def parse(pair):
        request_id, body = pair
        return server.request("POST", "/v1/intake/parse", body,
                              {**JSON_HEADERS, "X-Request-ID": request_id})

    with ThreadPoolExecutor(4) as pool:
        responses = list(pool.map(parse, zip(ids, bodies, strict=True)))
    assert [response.status for response in responses] == [200, 200, 200, 400]
    assert json.loads(responses[0].body)["profile"]["locations"] == ["calf"]
    for request_id in ids:
        output = server.wait_for_output(logged_id(request_id))
    assert sorted(line["status"] for line in access_lines(output)
                  if line["request_id"] in ids) == [200, 200, 200, 400]
    assert "Zebediah" not in output and "Acacia" not in output and "swelling" not in output


def test_the_access_log_leaves_out_the_query_string(server):
    request_id = uuid.uuid4().hex

    response = server.request("GET", "/v1/advice?conditions=varicose_veins",
                              headers={"X-Request-ID": request_id})

    assert response.status == 405
    output = server.wait_for_output(logged_id(request_id))
    assert [line["route"] for line in access_lines(output)
            if line["request_id"] == request_id] == ["/v1/advice"]
    assert "varicose" not in output


def test_an_operator_who_turns_gunicorns_access_log_on_gets_its_line_without_the_query(
        tmp_path):
    request_id = uuid.uuid4().hex
    with running_gunicorn(tmp_path / "gunicorn.log", workers=1,
                          extra_env={"GUNICORN_CMD_ARGS": "--access-logfile -"}) as running:
        response = running.request("GET", "/healthz?conditions=varicose_veins",
                                   headers={"X-Request-ID": request_id})
        assert response.status == 200
        output = running.wait_for_output(f'request_id="{request_id}"')

    line = next(line for line in output.splitlines() if f'request_id="{request_id}"' in line)
    assert 'method=GET path="/healthz" status=200' in line
    assert "varicose" not in output
