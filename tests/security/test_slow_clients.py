"""64 slow clients against the real gunicorn: everyone else is still answered, and each slow
client is ended by a deadline (service/server/).

With threaded workers, 16-24 connections dribbling a body or headers at a byte a second, or 32
posting and never reading, stopped ``/healthz`` from answering, and a body shorter than its
Content-Length held a thread for good. Here 64 connect at once, of five kinds:

* 16 dribble their head, a byte every half second: closed when the head deadline passes;
* 16 send a head and dribble the body: answered ``408`` at the request deadline, then closed;
* 16 connect and send nothing: closed at the head deadline;
* 8 send a body shorter than its Content-Length, then nothing: ``408`` at the request deadline;
* 8 pipeline 1,000 requests with a tiny receive buffer and do not read for 20 s: closed once
  a send has waited the send timeout, long before all the answers were sent.

Meanwhile ``/healthz`` and a normal advice request are sent one after the other; each must be
answered ``200`` within a bound far above what it takes, and far below how long the slow
clients hold on (so a server that waits for them fails). Latencies and the times at which the
server ended each kind are reported in the summary, not asserted.
"""

import contextlib
import json
import socket
import statistics
import threading
import time
from dataclasses import dataclass, field

import pytest

from service.server import REQUEST_DEADLINE_S, SEND_TIMEOUT_S
from tests.support.gunicorn import access_lines, http_request, logged_id, running_gunicorn
from tests.support.raw_http import exchange, request_head, status_of

pytestmark = [pytest.mark.server, pytest.mark.slow]

PROFILE = json.dumps({"locations": ["calf"], "time_of_day": "night"}).encode()
ADVICE_HEAD = request_head("POST", "/v1/advice", "Content-Type: application/json",
                           f"Content-Length: {len(PROFILE)}")
BYTE_INTERVAL_S = 0.5
#: How long a slow client holds on at most, if the server never ends it.
HOLD_S = 40.0
#: How long the normal requests are sent for, while every slow client is connected.
NORMAL_FOR_S = 4.0
#: A normal request that takes this long is waiting for slow clients: the test fails.
ANSWER_BOUND_S = 10.0
#: Requests each "never reads" client pipelines: about 13 MB of answers.
PIPELINED = 1000
KINDS = {"head dribbler": 16, "body dribbler": 16, "idle": 16, "short body": 8,
         "never reads": 8}


@dataclass
class SlowClient:
    kind: str
    sock: socket.socket
    received: bytes = b""
    ended_after_s: float | None = None  # when the server closed the connection
    sent_at: float = field(default_factory=time.monotonic)


def _connect(port: int, kind: str) -> SlowClient:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    if kind == "never reads":
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.connect(("127.0.0.1", port))
    return SlowClient(kind, sock)


def _dribble(client: SlowClient, payload: bytes, stop: threading.Event) -> None:
    for byte in payload:
        if stop.wait(BYTE_INTERVAL_S):
            return
        try:
            client.sock.sendall(bytes([byte]))
        except OSError:
            return  # the server closed it


#: What the server logs as it ends a connection whose client does not read (service/server/).
GAVE_UP = "Closed a connection whose client did not read its answer"


def _run(client: SlowClient, stop: threading.Event, server_gave_up) -> None:
    """Behave as the kind says, then wait for the server to end the connection."""
    started = time.monotonic()
    if client.kind == "head dribbler":
        _dribble(client, ADVICE_HEAD[:-2] + b"X-Padding: " + b"a" * 1000, stop)
    elif client.kind == "body dribbler":
        client.sock.sendall(request_head("POST", "/v1/advice", "Content-Type: application/json",
                                         "Content-Length: 1000"))
        _dribble(client, b" " * 1000, stop)
    elif client.kind == "short body":
        client.sock.sendall(ADVICE_HEAD + PROFILE[:10])
    elif client.kind == "never reads":
        client.sock.settimeout(5)
        # answers far beyond what socket buffers hold, so the server's send must wait
        with contextlib.suppress(OSError):
            client.sock.sendall((ADVICE_HEAD + PROFILE) * PIPELINED)
        # Never read until the server has given up on every such client (on a loaded machine
        # it may take long to fill the buffers): then see what it sent before it did.
        deadline = time.monotonic() + SEND_TIMEOUT_S + 120
        while not server_gave_up() and time.monotonic() < deadline:
            time.sleep(0.2)
        client.sock.settimeout(10)  # what is left to read is in the socket buffers
    else:
        client.sock.settimeout(max(0.1, HOLD_S - (time.monotonic() - started)))
    chunks = []
    try:
        while chunk := client.sock.recv(65536):
            chunks.append(chunk)
    except TimeoutError:
        return  # still open: ended_after_s stays None
    except OSError:
        pass  # reset by the server
    client.received = b"".join(chunks)
    client.ended_after_s = time.monotonic() - started


def _normal_requests(gunicorn) -> tuple[dict[str, list[float]], list]:
    """``/healthz`` and an advice request in turn for NORMAL_FOR_S: latencies and statuses
    (None for a request not answered within ANSWER_BOUND_S)."""
    latencies: dict[str, list[float]] = {"/healthz": [], "/v1/advice": []}
    statuses = []
    until = time.monotonic() + NORMAL_FOR_S
    while time.monotonic() < until:
        for path, method, body in (("/healthz", "GET", None), ("/v1/advice", "POST", PROFILE)):
            started = time.monotonic()
            try:
                status = http_request(gunicorn.host, gunicorn.port, method, path, body,
                                      {"Content-Type": "application/json"},
                                      timeout=ANSWER_BOUND_S).status
            except OSError:
                status = None
            latencies[path].append(time.monotonic() - started)
            statuses.append(status)
    return latencies, statuses


@pytest.fixture(scope="module")
def under_slow_clients(gunicorn, report_figure):
    """Connect the 64, send normal requests meanwhile, then let every slow client finish."""
    stop = threading.Event()
    clients = [_connect(gunicorn.port, kind) for kind, count in KINDS.items()
               for _ in range(count)]
    gave_up_before = gunicorn.output().count(GAVE_UP)

    def server_gave_up() -> bool:
        return gunicorn.output().count(GAVE_UP) - gave_up_before >= KINDS["never reads"]

    threads = [threading.Thread(target=_run, args=(client, stop, server_gave_up))
               for client in clients]
    for thread in threads:
        thread.start()
    try:
        time.sleep(2 * BYTE_INTERVAL_S)  # every slow client has started its behaviour
        latencies, statuses = _normal_requests(gunicorn)
    finally:
        stop.set()
        for thread in threads:
            thread.join(HOLD_S + SEND_TIMEOUT_S + 130)  # never-readers wait on the server
        for client in clients:
            client.sock.close()
    for path, values in latencies.items():
        report_figure(
            f"slow clients: {path} with 64 slow connections open: {len(values)} requests, "
            f"median {statistics.median(values) * 1000:.1f} ms, "
            f"max {max(values) * 1000:.1f} ms")
    for kind in KINDS:
        ended = [c.ended_after_s for c in clients if c.kind == kind and c.ended_after_s]
        report_figure(f"slow clients: {kind}: {len(ended)}/{KINDS[kind]} ended by the server, "
                      f"median after {statistics.median(ended):.1f} s" if ended else
                      f"slow clients: {kind}: none ended by the server")
    return clients, statuses, latencies


def test_everyone_else_is_answered_while_64_slow_clients_hold_on(under_slow_clients):
    _, statuses, latencies = under_slow_clients
    assert statuses and set(statuses) == {200}
    assert all(values for values in latencies.values())


@pytest.mark.parametrize("kind", list(KINDS))
def test_the_server_ends_every_slow_client(under_slow_clients, kind):
    clients, _, _ = under_slow_clients
    mine = [client for client in clients if client.kind == kind]
    assert all(client.ended_after_s is not None for client in mine), (
        f"{sum(c.ended_after_s is None for c in mine)} {kind} connection(s) still open")


@pytest.mark.parametrize("kind", ["body dribbler", "short body"])
def test_a_body_not_sent_in_time_gets_a_408_problem(under_slow_clients, kind):
    clients, _, _ = under_slow_clients
    for client in (c for c in clients if c.kind == kind):
        assert status_of(client.received) == 408
        head, _, body = client.received.partition(b"\r\n\r\n")
        assert b"Content-Type: application/problem+json" in head
        assert b"\r\nConnection: close\r\n" in head  # it said keep-alive, then closed
        assert b"X-Content-Type-Options: nosniff" in head
        assert json.loads(body)["status"] == 408
        assert client.ended_after_s >= REQUEST_DEADLINE_S - 1


def test_a_client_that_never_reads_is_closed_once_a_send_waits_too_long(under_slow_clients):
    clients, _, _ = under_slow_clients
    for client in (c for c in clients if c.kind == "never reads"):
        assert client.ended_after_s is not None
        assert client.received.count(b"HTTP/1.1 200 ") < PIPELINED  # it gave up on them


def test_a_slow_client_is_still_answered_once_it_has_sent_everything(gunicorn):
    with socket.create_connection(("127.0.0.1", gunicorn.port), timeout=15) as sock:
        sock.sendall(ADVICE_HEAD)
        for start in range(0, len(PROFILE), 8):
            time.sleep(0.1)
            sock.sendall(PROFILE[start:start + 8])
        assert sock.recv(64).startswith(b"HTTP/1.1 200 ")


def _healthz(request_id: str) -> bytes:
    return request_head("GET", "/healthz", f"X-Request-ID: {request_id}")


def test_a_busy_keep_alive_client_does_not_keep_a_worker_from_the_others(tmp_path):
    """One worker; client A pipelines 300 requests, then B sends one. Without turns (a greenlet
    serves a connection whose next request is already waiting without ever yielding) B waited
    for all of A's; now B is answered among them. Read from the order of the access log."""
    pipelined = 300
    with running_gunicorn(tmp_path / "gunicorn.log", workers=1) as server, \
         socket.create_connection(("127.0.0.1", server.port)) as busy:
        busy.sendall(b"".join(_healthz(f"a-{n}") for n in range(pipelined)))
        time.sleep(0.05)  # A's requests are in the server's buffer before B connects
        assert status_of(exchange(server.port, _healthz("b-0"))) == 200
        order = [line["request_id"] for line in access_lines(
            server.wait_for_output(logged_id(f"a-{pipelined - 1}")))]
    assert order.index("b-0") < order.index(f"a-{pipelined - 1}")
