"""A CDS client's key server that misbehaves costs its calls a 503, never a 500, 408 or the memory.

Each client of the server under test has its keys at a URL, and each URL is a real HTTP server
on loopback that misbehaves one way (tests/support/key_servers.py). Before, HTML, ``{"keys":
[]}``, unreadable keys or deeply nested JSON gave a 500 with a traceback in the log; a slow
key server gave six concurrent calls two 503s and four 408s ("send the whole body at once",
the worker's deadline); a 200 MB JWK Set took a worker's peak memory from 56 MB to 687 MB.
Now every call gets a 503 problem saying the key server failed and how, within the 5 s fetch
deadline, each worker fetches once at a time per client, and an answer is read up to 64 KiB.
"""

import contextlib
import json
import threading

import pytest

from tests.support.cds_tokens import CDS_BASE_URL, CdsClient, clients_file
from tests.support.gunicorn import running_gunicorn
from tests.support.key_servers import HUGE_BYTES, serving_keys
from tests.support.observe import worker_pids

pytestmark = pytest.mark.server

WORKERS = 2
DISCOVERY = "/cds-services"
FAILURES = {  # behaviour: what the 503 says
    "html": "its answer is not JSON",
    "no keys": "it serves no usable signing key",
    "invalid keys": "it serves no usable signing key",
    "deeply nested": "its answer is not JSON",
    "not found": "it answered 404",
    "redirect": "redirects are not followed",
    "huge": "its answer is over 64 KiB",
    "silent": "it did not answer within 5 s",
    "dribbling": "it did not answer within 5 s",
}
CLIENTS = {behaviour: CdsClient(f"https://{behaviour.replace(' ', '-')}.example")
           for behaviour in FAILURES}


def peak_rss_mib(pid: int) -> float:
    with open(f"/proc/{pid}/status") as status:
        line = next(line for line in status if line.startswith("VmHWM:"))
    return int(line.split()[1]) / 1024


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    """One gunicorn trusting one client per misbehaving key server; yields (server, keys)."""
    directory = tmp_path_factory.mktemp("cds-key-servers")
    with contextlib.ExitStack() as stack:
        keys = {behaviour: stack.enter_context(serving_keys(behaviour)) for behaviour in FAILURES}
        clients = clients_file(directory / "clients.json", *(
            {"iss": CLIENTS[behaviour].iss, "jwks_url": keys[behaviour].url}
            for behaviour in FAILURES))
        server = stack.enter_context(running_gunicorn(
            directory / "gunicorn.log", workers=WORKERS,
            extra_env={"CDS_HOOKS_CLIENTS": clients, "PUBLIC_BASE_URL": CDS_BASE_URL}))
        yield server, keys


def discover(server, behaviour: str):
    token = CLIENTS[behaviour].token(CDS_BASE_URL + DISCOVERY)
    return server.request("GET", DISCOVERY, headers={"Authorization": f"Bearer {token}"},
                          timeout=30)


def assert_key_server_failed(response, behaviour: str) -> None:
    assert response.status == 503, response.body
    assert int(response.headers["Retry-After"]) >= 1
    detail = json.loads(response.body)["detail"]
    assert detail.startswith("The CDS client's key server failed: "), detail
    assert FAILURES[behaviour] in detail and "not accepted" in detail, detail


@pytest.mark.parametrize("behaviour", ["html", "no keys", "invalid keys", "deeply nested",
                                       "not found", "redirect"])
def test_a_key_server_that_answers_no_usable_keys_gets_the_call_a_503_saying_so(setup, behaviour):
    server, _ = setup

    assert_key_server_failed(discover(server, behaviour), behaviour)

    assert "Traceback" not in server.output() and "unhandled" not in server.output()


def test_a_huge_key_set_is_read_no_further_than_64_kib(setup, report_figure):
    server, keys = setup
    before = {pid: peak_rss_mib(pid) for pid in worker_pids(server.process.pid)}

    assert_key_server_failed(discover(server, "huge"), "huge")

    # The server hung up after 64 KiB; what it had sent beyond is what the socket buffers took.
    assert 0 < keys["huge"].bytes_sent < HUGE_BYTES // 8
    after = {pid: peak_rss_mib(pid) for pid in before}
    report_figure("CDS key server of 200 MB: peak RSS of the workers "
                  + ", ".join(f"{before[pid]:.0f} -> {after[pid]:.0f} MiB" for pid in before)
                  + f"; {keys['huge'].bytes_sent / 2**20:.1f} MiB sent before the hang-up")


@pytest.mark.slow
@pytest.mark.parametrize("behaviour", ["silent", "dribbling"])
def test_a_slow_key_server_gets_every_concurrent_call_a_503_from_one_fetch_per_worker(
        setup, behaviour):
    server, keys = setup
    responses = []

    def call():
        responses.append(discover(server, behaviour))

    threads = [threading.Thread(target=call) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(responses) == 6
    for response in responses:  # none a 408: the calls did not outlive the worker's deadline
        assert_key_server_failed(response, behaviour)
    assert 1 <= keys[behaviour].fetches <= WORKERS
