"""A worker lost mid-request, and a graceful shutdown, through the real gunicorn (2 workers).

A worker killed outright (SIGKILL: the OOM killer, a crashed C extension) must cost at most the
requests it was serving, and those must fail visibly, never as a wrong 200: the master replaces
it and the service keeps answering. SIGTERM (a deploy, ``docker stop``) must let the request in
flight finish with its full answer, and the master then exits 0 with no engine session open.
"""

import json
import os
import signal
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.support.faults import (
    CONNECTION_LOST,
    FAULTY_APP,
    armed_pid,
    children,
    engine_stats,
    new_worker,
    post_advice,
    ready_pids,
    wait_for,
)
from tests.support.gunicorn import running_gunicorn

pytestmark = pytest.mark.server

WORKERS = 2
GRACEFUL_TIMEOUT_S = 30  # gunicorn.conf.py's graceful_timeout


@pytest.fixture
def server(tmp_path):
    with running_gunicorn(tmp_path / "gunicorn.log", app=FAULTY_APP, workers=WORKERS) as running:
        yield running


@pytest.fixture
def pool():
    with ThreadPoolExecutor(max_workers=1) as executor:
        yield executor


def test_a_worker_killed_mid_request_is_replaced_and_the_service_keeps_answering(
    server, pool, healthy_answer
):
    original = set(ready_pids(server))
    in_flight = pool.submit(post_advice, server, "slow:10")
    victim = armed_pid(server, "slow")
    assert victim in children(server.process.pid)

    os.kill(victim, signal.SIGKILL)

    try:
        lost = in_flight.result(timeout=20)
    except CONNECTION_LOST:
        pass  # the connection died with its worker: the client knows it has no answer
    else:
        assert lost.status >= 500, "a killed worker's request must not look answered"
    replacement = new_worker(server, original)
    wait_for(lambda: children(server.process.pid) == original - {victim} | {replacement}, 10,
             "the master's workers are not the survivor and the replacement")
    assert f"Worker (pid:{victim}) was sent SIGKILL!" in server.output()
    responses = [post_advice(server) for _ in range(50)]
    assert [response.status for response in responses] == [200] * 50
    assert all(json.loads(response.body) == healthy_answer for response in responses)


def test_sigterm_lets_the_request_in_flight_finish_and_the_master_exit_0(
    server, pool, healthy_answer
):
    in_flight = pool.submit(post_advice, server, "slow:3")
    armed_pid(server, "slow")

    server.process.send_signal(signal.SIGTERM)

    finished = in_flight.result(timeout=GRACEFUL_TIMEOUT_S)
    assert finished.status == 200
    assert json.loads(finished.body) == healthy_answer
    assert server.process.wait(timeout=GRACEFUL_TIMEOUT_S + 5) == 0
    stats = engine_stats(server)
    assert set(stats) == set(ready_pids(server)), "every worker logs its engine counters"
    assert all(open_sessions == 0 for _, open_sessions in stats.values())
    assert sum(evaluations for evaluations, _ in stats.values()) >= WORKERS + 1
