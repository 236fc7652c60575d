"""Slow clients (slowloris) against the real gunicorn: they must not block anyone else.

gunicorn's gthread worker reads a request in one of its threads and sets no deadline for it. So:

* a client that connects and sends nothing is parked off-thread after 5 s and closed after the
  keep-alive time (5 s more);
* a client that dribbles its head or body, one byte every half second, holds its thread as long
  as it keeps sending, until a limit ends it (request line 2 KiB: 414; headers: 431; body
  64 KiB: 413) or it has sent the whole request; one that goes silent halfway holds it until it
  disconnects;
* so with 8 threads per worker, fewer than 8 slow clients on one worker leave it free threads
  for everyone else. The defence against many is a buffering proxy in front (README, Security).

These tests pin that down; the last one would tell us when gunicorn starts closing a silent
half-sent request, so the README can be updated.
"""

import json
import socket
import threading
import time

import pytest

from tests.api.gunicorn_server import http_request
from tests.security.raw_http import request_head, wait_until_closed

SLOW_CLIENTS = 4
NORMAL_REQUESTS = 20
BYTE_INTERVAL_S = 0.5
NORMAL_BATCH_BOUND_S = 10.0
PROFILE = json.dumps({"locations": ["calf"], "time_of_day": "night"}).encode()


def dribble(port: int, payload: bytes, stop: threading.Event, connected: threading.Barrier):
    """Send ``payload`` one byte every BYTE_INTERVAL_S until told to stop."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(payload[:1])
        connected.wait()
        for byte in payload[1:]:
            if stop.wait(BYTE_INTERVAL_S):
                return
            sock.sendall(bytes([byte]))


def slow_payloads() -> list[bytes]:
    """Half dribble their headers, half send headers at once and dribble the body."""
    head = request_head("POST", "/v1/advice", "Content-Type: application/json",
                        f"Content-Length: {len(PROFILE)}")
    slow_head = head[:-2] + b"X-Padding: " + b"a" * 1000
    return [slow_head if n % 2 == 0 else head + PROFILE for n in range(SLOW_CLIENTS)]


@pytest.fixture
def slow_clients(gunicorn):
    """SLOW_CLIENTS connections that each hold a thread, while the test runs."""
    stop = threading.Event()
    connected = threading.Barrier(SLOW_CLIENTS + 1)
    threads = [threading.Thread(target=dribble, args=(gunicorn.port, payload, stop, connected))
               for payload in slow_payloads()]
    for thread in threads:
        thread.start()
    connected.wait(timeout=10)
    time.sleep(2 * BYTE_INTERVAL_S)  # every slow request is now being read by a thread
    yield
    stop.set()
    for thread in threads:
        thread.join(timeout=10)


@pytest.mark.usefixtures("slow_clients")
def test_four_slow_clients_do_not_keep_twenty_normal_requests_from_an_answer(gunicorn):
    started = time.monotonic()
    statuses = [
        http_request(gunicorn.host, gunicorn.port, "POST", "/v1/advice", PROFILE,
                     {"Content-Type": "application/json"}, timeout=NORMAL_BATCH_BOUND_S).status
        for _ in range(NORMAL_REQUESTS)
    ]
    elapsed = time.monotonic() - started
    assert statuses == [200] * NORMAL_REQUESTS
    assert elapsed < NORMAL_BATCH_BOUND_S, f"{NORMAL_REQUESTS} requests took {elapsed:.1f} s"


def test_a_slow_client_is_still_answered_once_it_has_sent_everything(gunicorn):
    head = request_head("POST", "/v1/advice", "Content-Type: application/json",
                        f"Content-Length: {len(PROFILE)}")
    with socket.create_connection(("127.0.0.1", gunicorn.port), timeout=15) as sock:
        sock.sendall(head)
        for start in range(0, len(PROFILE), 8):
            time.sleep(0.1)
            sock.sendall(PROFILE[start:start + 8])
        assert sock.recv(64).startswith(b"HTTP/1.1 200 ")


def test_gunicorn_closes_a_silent_new_connection_but_not_a_silent_half_sent_request(gunicorn):
    """Both clients go silent; gunicorn parks and closes the first, holds the second."""
    with socket.create_connection(("127.0.0.1", gunicorn.port)) as idle, \
         socket.create_connection(("127.0.0.1", gunicorn.port)) as half_sent:
        half_sent.sendall(request_head("POST", "/v1/advice", "Content-Length: 100")[:-4])
        result = {}
        watcher = threading.Thread(
            target=lambda: result.update(half_sent=wait_until_closed(half_sent, 12)))
        watcher.start()
        result["idle"] = wait_until_closed(idle, 30)
        watcher.join()
    assert result["idle"] is not None, "a connection that never sends must be closed"
    assert result["half_sent"] is None, (
        "gunicorn now closes a half-sent request: update the README and this module")
