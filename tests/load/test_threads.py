"""Concurrent requests never mix answers: a profile answered concurrently gets its lone answer.

durable-rules keeps session state in C and, left alone, lets timer threads run one request's
actions on another's thread (docs/engine.md). service/engine.py never starts those timers and
keeps one session live at a time behind a lock. This checks the result where it matters, in the
real gunicorn, with the production workers (gevent, service/server/) and with threaded ones
(gthread, which GUNICORN_WORKER_CLASS can still choose): 40 different profiles are answered one
by one first, then all at once from 16 client threads in shuffled rounds, and every concurrent
answer must equal the lone one as a whole: urgency, items, ids, trace and their order.

A guard, not a proof: under the GIL such races are rare. With the lock removed and the timers
started, one run of 3,200 concurrent requests gave one 500 and no mixed answer.
"""

import json
import random
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.support.gunicorn import running_gunicorn
from tests.support.observe import read_log
from tests.support.profiles import valid_profile

pytestmark = pytest.mark.server

PROFILES = 40
ROUNDS = 5
CLIENT_THREADS = 16
JSON_HEADERS = {"Content-Type": "application/json"}


def distinct_profiles(count: int) -> list[dict]:
    """``count`` different valid profiles, the same on every run."""
    profiles, index = {}, 0
    while len(profiles) < count:
        profile = valid_profile(random.Random(f"threads:{index}"))
        profiles.setdefault(json.dumps(profile, sort_keys=True), profile)
        index += 1
    return list(profiles.values())


def ask(server, profile: dict) -> tuple[int, object]:
    response = server.request("POST", "/v1/advice", json.dumps(profile).encode(), JSON_HEADERS)
    return response.status, json.loads(response.body)


@pytest.fixture(scope="module", params=[(1, {"GUNICORN_WORKER_CLASS": "gthread"}), (2, {})],
                ids=["1 gthread worker x 8 threads", "2 production workers"])
def answers(request, tmp_path_factory):
    """The lone answers, every concurrent answer as ``(profile index, status, body)``, the log."""
    workers, settings = request.param
    log_path = tmp_path_factory.mktemp("threads") / "gunicorn.log"
    profiles = distinct_profiles(PROFILES)
    rng = random.Random(f"rounds:{workers}:{settings}")
    env = {"ANSWER_CACHE_SIZE": "0", **settings}  # every request through the engine
    with running_gunicorn(log_path, workers=workers, extra_env=env) as server:
        alone = [ask(server, profile) for profile in profiles]
        concurrent = []
        with ThreadPoolExecutor(max_workers=CLIENT_THREADS) as pool:
            for _ in range(ROUNDS):
                order = rng.sample(list(range(PROFILES)) * 2, PROFILES * 2)
                replies = pool.map(lambda index: ask(server, profiles[index]), order)
                concurrent += [(index, *reply) for index, reply in zip(order, replies, strict=True)]
    return alone, concurrent, read_log(log_path)


def test_every_profile_alone_gets_200_and_a_different_profile_a_different_answer(answers):
    alone = answers[0]
    assert {status for status, _ in alone} == {200}
    assert len({json.dumps(body) for _, body in alone}) > PROFILES // 2


def test_every_concurrent_answer_equals_the_answer_the_same_profile_got_alone(answers):
    alone, concurrent, _ = answers
    assert len(concurrent) == ROUNDS * PROFILES * 2
    for index, status, body in concurrent:
        assert status == 200, f"profile {index}: {status} {body}"
        differing = [key for key in body if body[key] != alone[index][1].get(key)]
        assert body == alone[index][1], f"profile {index} answered differently in {differing}"


def test_no_worker_exits_with_an_open_session_after_the_concurrent_rounds(answers):
    log = answers[2]
    assert sorted(log.engine_stats) == sorted(log.booted)
    assert all(stats["open_sessions"] == 0 for stats in log.engine_stats.values())
    assert sum(s["evaluations"] for s in log.engine_stats.values()) == (
        PROFILES + ROUNDS * PROFILES * 2 + len(log.booted))  # + one warm-up per worker
