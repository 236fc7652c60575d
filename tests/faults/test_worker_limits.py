"""gunicorn's ``max_requests`` and ``timeout``, lowered in ``GUNICORN_CMD_ARGS`` to be testable.

A worker recycled after max_requests must hand over without a single failed request. A worker
stuck in C code holding the GIL (a hung C extension) stops its heartbeat: ``timeout`` must kill
it, its client must see an error rather than a 200, and the service must keep answering. Under
the production worker (gevent) the heartbeat is a greenlet of its own, so a request that merely
waits (and yields) is not a stuck worker and runs past the timeout; under the sync worker class
the same wait is. The sync test is the regression test of a worker aborted inside a rule action.
"""

import json
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.support.faults import (
    CONNECTION_LOST,
    FAULTY_APP,
    armed_pid,
    engine_stats,
    new_worker,
    post_advice,
    ready_pids,
    wait_for,
)
from tests.support.gunicorn import running_gunicorn

pytestmark = pytest.mark.server

MAX_REQUESTS = 20
TIMEOUT_S = 3
# gunicorn applies GUNICORN_CMD_ARGS over gunicorn.conf.py, as it does its command line.
RECYCLING = {"GUNICORN_CMD_ARGS": f"--max-requests {MAX_REQUESTS} --max-requests-jitter 0"}
SHORT_TIMEOUT = {"GUNICORN_CMD_ARGS": f"--timeout {TIMEOUT_S}"}
# The sync worker class (with more than one thread gunicorn would run gthread instead).
SYNC = {**SHORT_TIMEOUT, "GUNICORN_WORKER_CLASS": "sync", "GUNICORN_THREADS": "1"}


def assert_fails_visibly(server, fault: str) -> None:
    """The request arming ``fault`` gets a connection error or a 5xx, never an answer."""
    try:
        response = post_advice(server, fault)
    except CONNECTION_LOST:
        return
    assert response.status >= 500, f"a request cut off by the timeout answered {response.status}"


def assert_keeps_answering(server, healthy_answer, count: int = 20) -> None:
    responses = [post_advice(server) for _ in range(count)]
    assert [response.status for response in responses] == [200] * count
    assert all(json.loads(response.body) == healthy_answer for response in responses)


def test_a_worker_recycled_after_max_requests_drops_no_request(tmp_path, healthy_answer):
    """One worker, so that the requests arriving while its successor boots have to wait for it."""
    with running_gunicorn(tmp_path / "gunicorn.log", app=FAULTY_APP, workers=1,
                          extra_env=RECYCLING) as server:
        first = set(ready_pids(server))
        with ThreadPoolExecutor(max_workers=4) as pool:
            responses = list(pool.map(lambda _: post_advice(server), range(MAX_REQUESTS + 10)))

        assert [response.status for response in responses] == [200] * len(responses)
        assert all(json.loads(response.body) == healthy_answer for response in responses)
        output = server.output()
        assert "Autorestarting worker after current request." in output
        assert new_worker(server, first)
        stats = wait_for(lambda: engine_stats(server), 10, "no recycled worker logged its exit")
        assert all(open_sessions == 0 for _, open_sessions in stats.values())


@pytest.fixture(scope="module")
def production_server(tmp_path_factory):
    """The production worker class, with a timeout short enough to wait for."""
    log_path = tmp_path_factory.mktemp("timeout") / "gunicorn.log"
    with running_gunicorn(log_path, app=FAULTY_APP, extra_env=SHORT_TIMEOUT) as server:
        yield server


def test_the_timeout_kills_a_worker_stuck_holding_the_gil_and_the_service_recovers(
    production_server, healthy_answer
):
    server = production_server
    before = set(ready_pids(server))

    assert_fails_visibly(server, "stuck:20")

    stuck = armed_pid(server, "stuck")
    assert f"WORKER TIMEOUT (pid:{stuck})" in server.wait_for_output(f"TIMEOUT (pid:{stuck})")
    new_worker(server, before)
    assert_keeps_answering(server, healthy_answer)


def test_under_the_production_worker_a_request_waiting_past_the_timeout_still_answers(
    production_server, healthy_answer
):
    server = production_server

    response = post_advice(server, f"slow:{TIMEOUT_S + 2}")

    assert response.status == 200 and json.loads(response.body) == healthy_answer
    slow = armed_pid(server, "slow")
    assert f"WORKER TIMEOUT (pid:{slow})" not in server.output()


def test_a_sync_worker_timed_out_inside_a_rule_action_never_answers_a_wrong_200(
    tmp_path, healthy_answer
):
    """The arbiter's SIGABRT makes the worker raise SystemExit inside the sleeping rule action.

    durable-rules used to swallow it and run the rest of the chain without that action, and the
    client got a 200 with advice missing every emergency step; now the exit leaves the app.
    """
    with running_gunicorn(tmp_path / "gunicorn.log", app=FAULTY_APP, workers=1,
                          extra_env=SYNC) as server:
        first = set(ready_pids(server))

        assert_fails_visibly(server, f"slow:{3 * TIMEOUT_S}")

        slow = armed_pid(server, "slow")
        assert f"WORKER TIMEOUT (pid:{slow})" in server.wait_for_output(f"TIMEOUT (pid:{slow})")
        new_worker(server, first)
        assert_keeps_answering(server, healthy_answer)
