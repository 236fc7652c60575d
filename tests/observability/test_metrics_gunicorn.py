"""Against the real gunicorn with two workers: /metrics sums both, and each request logs one line.

Each worker counts only the requests it serves, and a scrape reaches one worker. The proof of
multi-process summing: N requests go to the server concurrently, the JSON access lines show
that both workers served some (so neither served all N), and yet every scrape, whichever worker
answers it, reports N. The same lines must be the only trace of each request in the server's
output: one JSON object per request, no second line from gunicorn's access log.
"""

import json
import re
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.support.gunicorn import access_lines, logged_id, running_gunicorn
from tests.support.metrics import samples, value

pytestmark = pytest.mark.server

WORKERS = 2
N = 120
PROFILE = {"locations": ["calf"], "time_of_day": "night", "frequency": "weekly"}
REQUESTS = "leg_cramps_advice_http_requests_total"
ANSWERS = "leg_cramps_advice_answers_total"
RULES = "leg_cramps_advice_rules_fired_total"
KEYS = {"time", "request_id", "method", "route", "status", "duration_ms", "worker"}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    log_path = tmp_path_factory.mktemp("metrics-gunicorn") / "gunicorn.log"
    with running_gunicorn(log_path, workers=WORKERS) as running:
        yield running


@pytest.fixture(scope="module")
def batch(server):
    """N advice requests sent 8 at a time; their ids, their answers and their access lines."""
    prefix = uuid.uuid4().hex

    def post(number: int):
        headers = {"Content-Type": "application/json", "X-Request-ID": f"{prefix}-{number}"}
        return server.request("POST", "/v1/advice", json.dumps(PROFILE).encode(), headers)

    with ThreadPoolExecutor(max_workers=8) as pool:
        responses = list(pool.map(post, range(N)))
    assert [response.status for response in responses] == [200] * N
    ids = {f"{prefix}-{number}" for number in range(N)}
    output = server.wait_for_output(logged_id(f"{prefix}-{N - 1}"))
    lines = [line for line in access_lines(output) if line["request_id"] in ids]
    return ids, json.loads(responses[0].body), lines


def scrape(server, request_id: str) -> dict:
    response = server.request("GET", "/metrics", headers={"X-Request-ID": request_id})
    assert response.status == 200 and response.content_type.startswith("text/plain")
    return samples(response.body.decode())


def test_both_workers_served_part_of_the_batch(batch):
    _, _, lines = batch
    served = {line["worker"] for line in lines}
    assert len(served) == WORKERS, f"one worker served all {N}: {served}"


def test_every_scrape_by_either_worker_counts_all_n_requests_and_answers(server, batch):
    _, answer, lines = batch
    per_worker = {pid: sum(line["worker"] == pid for line in lines) for pid in
                  {line["worker"] for line in lines}}
    scrape_ids = [f"scrape-{uuid.uuid4().hex}" for _ in range(12)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        scrapes = list(pool.map(lambda request_id: scrape(server, request_id), scrape_ids))

    output = server.wait_for_output(logged_id(scrape_ids[-1]))
    answered_by = {line["request_id"]: line["worker"] for line in access_lines(output)}
    fired = [step["rule"] for step in answer["trace"]]
    for request_id, scraped in zip(scrape_ids, scrapes, strict=True):
        worker = answered_by[request_id]
        assert per_worker[worker] < N, "the answering worker served only part of the batch"
        assert value(scraped, REQUESTS, route="/v1/advice", status="200") == N
        assert value(scraped, ANSWERS, urgency=answer["urgency"]) == N
        for rule in fired:
            assert value(scraped, RULES, rule=rule) == N * fired.count(rule), rule
        assert value(scraped, "leg_cramps_advice_engine_open_sessions") == 0


def test_each_request_leaves_exactly_one_line_a_json_object_with_the_promised_keys(
    server, batch
):
    ids, answer, _ = batch
    output = server.output()
    for request_id in ids:
        (line,) = [text for text in output.splitlines() if logged_id(request_id) in text]
        entry = json.loads(line)
        assert set(entry) == KEYS | {"urgency"}, entry
        assert (entry["method"], entry["route"], entry["status"]) == ("POST", "/v1/advice", 200)
        assert entry["urgency"] == answer["urgency"]
        assert isinstance(entry["duration_ms"], float) and isinstance(entry["worker"], int)
    assert not re.search(r"\b(calf|night|weekly)\b", output), "a profile value was logged"


def test_a_request_without_advice_logs_no_urgency(server):
    request_id = uuid.uuid4().hex
    assert server.request("GET", "/healthz", headers={"X-Request-ID": request_id}).status == 200
    output = server.wait_for_output(logged_id(request_id))
    (entry,) = [line for line in access_lines(output) if line["request_id"] == request_id]
    assert set(entry) == KEYS and entry["route"] == "/healthz"
