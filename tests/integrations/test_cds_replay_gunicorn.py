"""A CDS client's token is good once, whichever worker, worker generation or replica sees it again.

Each worker used to remember the token ids it had accepted in its own memory: the same token got
in once per worker (5 of 5 trials on the default two workers) and again after every worker
recycle. Now the ids are kept where all of them look: by default a SQLite file that every
worker of the server opens (gunicorn.conf.py makes its directory before it forks), or, for
several replicas, a Redis they share (``CDS_HOOKS_REPLAY_STORE``). Real gunicorns and a real
redis-server, over HTTP; the servers name one public base URL, as replicas behind one load
balancer do, so a token's audience is the same on each.
"""

import json
import os
import signal
import uuid

import pytest

from tests.support.cds_tokens import CDS_BASE_URL, CdsClient, clients_file
from tests.support.faults import children, new_worker, ready_pids, wait_for
from tests.support.gunicorn import access_lines, logged_id, running_gunicorn
from tests.support.redis_server import running_redis

pytestmark = pytest.mark.server

EHR = CdsClient("https://ehr.example/replay")
DISCOVERY = "/cds-services"
AUDIENCE = CDS_BASE_URL + DISCOVERY
#: Fresh connections sent until one reaches another worker: the kernel hands each to whichever
#: worker accepts first, so a few are enough; this many is a ceiling, never a measurement.
TRIES = 200


def settings(directory, **more) -> dict:
    clients = clients_file(directory / "clients.json", {"iss": EHR.iss, "jwks": EHR.jwks()})
    return {"CDS_HOOKS_CLIENTS": clients, "PUBLIC_BASE_URL": CDS_BASE_URL, **more}


def discover(server, token: str) -> tuple[int, int, str]:
    """GET /cds-services with ``token``: the status, the pid of the worker that answered, and
    the problem's detail (empty for a 200)."""
    request_id = uuid.uuid4().hex
    response = server.request("GET", DISCOVERY, headers={"Authorization": f"Bearer {token}",
                                                         "X-Request-ID": request_id})
    line = next(entry for entry in access_lines(server.wait_for_output(logged_id(request_id)))
                if entry["request_id"] == request_id)
    detail = "" if response.status == 200 else json.loads(response.body)["detail"]
    return response.status, line["worker"], detail


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    directory = tmp_path_factory.mktemp("cds-replay")
    with running_gunicorn(directory / "gunicorn.log", workers=2,
                          extra_env=settings(directory)) as server:
        yield server


def test_a_token_one_worker_accepted_is_refused_by_the_other_worker(server):
    token = EHR.token(AUDIENCE)
    status, first_worker, _ = discover(server, token)
    assert status == 200

    for _ in range(TRIES):
        status, worker, detail = discover(server, token)
        assert (status, "used before" in detail) == (401, True), detail
        if worker != first_worker:
            break
    else:
        pytest.fail(f"no replay reached the other worker in {TRIES} connections")


def test_a_token_is_still_refused_once_every_worker_has_been_recycled(server):
    token = EHR.token(AUDIENCE)
    assert discover(server, token)[0] == 200
    old = children(server.process.pid)
    known = set(ready_pids(server))

    for pid in old:  # as max_requests recycles them: SIGTERM, and the master starts another
        os.kill(pid, signal.SIGTERM)
    fresh = {new_worker(server, known | set())}
    fresh.add(new_worker(server, known | fresh))
    wait_for(lambda: children(server.process.pid) == fresh, 20, "the old workers did not go")

    status, worker, detail = discover(server, token)
    assert worker in fresh
    assert (status, "used before" in detail) == (401, True), detail
    assert discover(server, EHR.token(AUDIENCE))[0] == 200  # a new token still gets in


def test_two_servers_sharing_one_redis_refuse_each_others_used_tokens(tmp_path):
    with running_redis(tmp_path) as redis:
        shared = settings(tmp_path, CDS_HOOKS_REPLAY_STORE=redis.url)
        with running_gunicorn(tmp_path / "a.log", workers=1, extra_env=shared) as a, \
                running_gunicorn(tmp_path / "b.log", workers=1, extra_env=shared) as b:
            token = EHR.token(AUDIENCE)
            assert discover(a, token)[0] == 200

            for replica in (b, a):
                status, _, detail = discover(replica, token)
                assert (status, "used before" in detail) == (401, True), detail
            assert discover(b, EHR.token(AUDIENCE))[0] == 200
            assert len(redis.connect().keys("leg-cramps-advice:cds-jti:*")) == 2
            ttl = redis.connect().pttl(redis.connect().keys("leg-cramps-advice:cds-jti:*")[0])
            assert 0 < ttl <= (300 + 60) * 1000  # forgotten with its token, not kept forever


def test_a_server_whose_redis_is_gone_refuses_every_call_with_a_503(tmp_path):
    with running_redis(tmp_path) as redis:
        shared = settings(tmp_path, CDS_HOOKS_REPLAY_STORE=redis.url)
        with running_gunicorn(tmp_path / "gunicorn.log", workers=1, extra_env=shared) as server:
            assert discover(server, EHR.token(AUDIENCE))[0] == 200
            redis.stop()

            response = server.request("GET", DISCOVERY, headers={
                "Authorization": f"Bearer {EHR.token(AUDIENCE)}"})

            assert response.status == 503
            detail = json.loads(response.body)["detail"]
            assert "store of used tokens failed" in detail and "not accepted" in detail
            assert "Traceback" not in server.output()
