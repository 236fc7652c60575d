"""Start the service the way the README says and ask it for one piece of advice.

    python3 tools/run_smoke.py

Runs ``make run`` on a free port from this checkout, exactly as a new user would: on a clean
clone that builds ``.venv`` from the runtime lock alone (no test tools), so a runtime dependency
missing from the lock stops it here. Waits for ``GET /readyz``, posts the README's example
profile, and checks the answer is advice. Standard library only: it runs before any venv exists.
Exits 1, with the tail of the server's output, when anything fails.
"""

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: A ceiling, not a measurement: the first make run builds the venv and durable-rules' C core.
READY_WITHIN_S = 900
PROFILE = {"locations": ["calf"], "time_of_day": "night", "frequency": "weekly"}
URGENCIES = {"self_care", "routine", "soon", "urgent"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def ask(url: str, body: dict | None = None) -> tuple[int, bytes]:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(  # noqa: S310 - always http://127.0.0.1
        url, data=data, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def wait_until_ready(server: subprocess.Popen, base: str) -> None:
    deadline = time.monotonic() + READY_WITHIN_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"make run exited with {server.returncode} before it was ready")
        try:
            if ask(f"{base}/readyz")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"GET /readyz did not answer 200 within {READY_WITHIN_S} s")


def check_advice(base: str) -> str:
    status, body = ask(f"{base}/v1/advice", PROFILE)
    if status != 200:
        raise SystemExit(f"POST /v1/advice answered {status}: {body[:500]!r}")
    answer = json.loads(body)
    if answer.get("urgency") not in URGENCIES or not answer.get("disclaimer"):
        raise SystemExit(f"POST /v1/advice answered no advice: {body[:500]!r}")
    return answer["urgency"]


def stop(server: subprocess.Popen) -> None:
    """SIGTERM to make and the gunicorn it started (one process group); SIGKILL after 60 s."""
    with contextlib.suppress(ProcessLookupError):  # the group may have ended by itself
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


def main() -> None:
    port = free_port()
    with tempfile.TemporaryFile() as log:
        server = subprocess.Popen(  # noqa: S603 - a fixed command
            ["make", "--no-print-directory", "run", f"PORT={port}"],  # noqa: S607
            cwd=ROOT, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
            env={**os.environ, "PORT": str(port)}, start_new_session=True,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            wait_until_ready(server, base)
            urgency = check_advice(base)
        except SystemExit:
            log.seek(0)
            sys.stderr.write(log.read().decode(errors="replace")[-4000:])
            raise
        finally:
            stop(server)
    print(f"make run served {base}: /readyz 200, POST /v1/advice 200 ({urgency})")


if __name__ == "__main__":
    main()
