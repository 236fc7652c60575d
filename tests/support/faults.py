"""What the fault tests share: the profile they send, and how they read gunicorn and its workers."""

from __future__ import annotations

import http.client
import json
import re
import time
from pathlib import Path

from tests.support.builders import a_profile
from tests.support.fault_injection import FAULT_HEADER
from tests.support.gunicorn import GunicornServer, Response

FAULTY_APP = "tests.support.faulty_wsgi:app"
#: A profile whose values must never reach a log line or an error response.
PROFILE = a_profile(conditions=["varicose_veins"], symptoms=["swelling"], time_of_day="night")
PROFILE_VALUES = ("varicose", "swelling")
PROBLEM_MEMBERS = {"type", "title", "status", "detail"}
# What a client may see when its worker dies under it: never an HTTP status, let alone a 200.
CONNECTION_LOST = (OSError, http.client.HTTPException)

_READY = re.compile(r"Worker ready \(pid: (\d+)\)")
_ARMED = re.compile(r"Fault armed \(pid: (\d+)\): (\w+)")
_STATS = re.compile(r"Engine stats \(pid: (\d+)\): evaluations=(\d+) open_sessions=(\d+)")


def post_advice(
    server: GunicornServer,
    fault: str | None = None,
    request_id: str | None = None,
    timeout: float = 20.0,
) -> Response:
    """POST PROFILE to /v1/advice, arming ``fault`` (``"slow:3"``...) for this request only."""
    headers = {"Content-Type": "application/json"}
    if fault:
        headers[FAULT_HEADER] = fault
    if request_id:
        headers["X-Request-ID"] = request_id
    body = json.dumps(PROFILE).encode()
    return server.request("POST", "/v1/advice", body, headers, timeout=timeout)


def ready_pids(server: GunicornServer) -> list[int]:
    """The pid of every worker that has loaded the app so far, in order."""
    return [int(pid) for pid in _READY.findall(server.output())]


def engine_stats(server: GunicornServer) -> dict[int, tuple[int, int]]:
    """``{pid: (evaluations, open_sessions)}`` of every worker that logged its exit."""
    return {int(pid): (int(evaluations), int(open_sessions))
            for pid, evaluations, open_sessions in _STATS.findall(server.output())}


def armed_pid(server: GunicornServer, fault: str, timeout: float = 15.0) -> int:
    """The pid of the worker that armed ``fault`` (its first such line), once it is logged."""
    pids = wait_for(lambda: [int(pid) for pid, name in _ARMED.findall(server.output())
                             if name == fault], timeout, f"no worker armed {fault!r}")
    return pids[0]


def new_worker(server: GunicornServer, known: set[int], timeout: float = 20.0) -> int:
    """The pid of the first worker that loads the app and is not in ``known``."""
    pids = wait_for(lambda: [pid for pid in ready_pids(server) if pid not in known], timeout,
                    f"no worker besides {sorted(known)} became ready")
    return pids[0]


def children(pid: int) -> set[int]:
    """The live child processes of ``pid`` (the gunicorn master's are its workers)."""
    text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    return {int(child) for child in text.split()}


def wait_for(probe, timeout: float, failure: str):
    """``probe()``'s first truthy value, polled for at most ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not (value := probe()):
        assert time.monotonic() < deadline, failure
        time.sleep(0.05)
    return value


def assert_bare_500(response: Response) -> None:
    """A problem document with nothing but the RFC 9457 members and a generic detail."""
    assert response.status == 500, response.body
    assert response.content_type == "application/problem+json"
    document = json.loads(response.body)
    assert set(document) == PROBLEM_MEMBERS and document["status"] == 500
    assert_says_nothing_of_the_failure(response.body.decode())


def assert_says_nothing_of_the_failure(text: str) -> None:
    """No profile value, exception message, injected class or stack trace in ``text``."""
    for secret in (*PROFILE_VALUES, "InjectedFault", "failed on", "Traceback"):
        assert secret not in text, f"{secret!r} leaked"
