"""The real server for end-to-end tests: gunicorn with the project's gunicorn.conf.py.

``running_gunicorn()`` starts ``<venv>/bin/gunicorn --config gunicorn.conf.py service.wsgi:app``
from the repository root on a free port, waits (at most 20 s) until ``GET /readyz`` answers 200
and every worker has loaded the application, and stops it with SIGTERM at the end. Only the
standard library talks HTTP here, so these tests see exactly what a client sees.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")
START_TIMEOUT_S = 20.0
STOP_TIMEOUT_S = 15.0
# gunicorn.conf.py's post_worker_init hook logs this once a worker has built its app.
WORKER_READY = "Worker ready (pid:"
#: Set by ``make check``, which deselects the tests marked ``server``: a test that starts gunicorn
#: without the mark then fails at once instead of slowing the fast run down unnoticed.
NO_SERVERS_ENV = "TESTS_START_NO_SERVER"
#: A configuration that holds each replacement worker right after its fork until a stop signal
#: reaches it (held_boot_conf.py), and what such a worker logs first, followed by its pid.
HELD_BOOT_CONF = "tests/support/held_boot_conf.py"
HOLDING = "Held after its fork until a stop signal arrives: worker"
#: A configuration whose workers log, as they exit, how they take each stop signal then
#: (exit_signals_conf.py), and the start of that line.
EXIT_SIGNALS_CONF = "tests/support/exit_signals_conf.py"
EXIT_SIGNALS = "Stop signals as the worker exits:"
# Settings a developer's shell might carry that would change what is being tested.
FOREIGN_ENV = ("GUNICORN_CMD_ARGS", "GUNICORN_WORKER_CLASS", "GUNICORN_THREADS",
                "PROMETHEUS_MULTIPROC_DIR", "CDS_HOOKS_REPLAY_DIR", "CDS_HOOKS_REPLAY_STORE")


@dataclass(frozen=True)
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def content_type(self) -> str:
        return self.headers.get("Content-Type", "")


@dataclass
class GunicornServer:
    host: str
    port: int
    process: subprocess.Popen
    log_path: Path

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def output(self) -> str:
        """Everything the server wrote so far: stdout (the JSON access lines) and stderr."""
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def wait_for_output(self, text: str, timeout: float = 5.0) -> str:
        """The output once it contains text (a log line is written just after the response)."""
        deadline = time.monotonic() + timeout
        while True:
            output = self.output()
            if text in output or time.monotonic() >= deadline:
                return output
            time.sleep(0.05)

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        timeout: float = 10.0,
    ) -> Response:
        """One request on a fresh connection; any status comes back as a Response."""
        return http_request(self.host, self.port, method, path, body, headers, timeout)


def http_request(
    host: str,
    port: int,
    method: str,
    path: str,
    body: bytes | None = None,
    headers: Mapping[str, str] | None = None,
    timeout: float = 10.0,
) -> Response:
    connection = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=dict(headers or {}))
        response = connection.getresponse()
        return Response(response.status, response.headers, response.read())
    finally:
        connection.close()


def json_lines(output: str) -> list[dict]:
    """Every line of ``output`` that is a JSON object: all the server writes, both streams."""
    entries = []
    for line in output.splitlines():
        if line.startswith("{"):
            try:
                entry = json.loads(line)
            except ValueError:
                continue  # a line cut by the end of the file being written
            if isinstance(entry, dict):
                entries.append(entry)
    return entries


def access_lines(output: str) -> list[dict]:
    """The service's JSON line of each request (service/web/request_log.py) in ``output``, in order.

    gunicorn's own access log is off (gunicorn.conf.py): these lines are the access log, with
    ``request_id``, ``method``, ``route``, ``status``, ``duration_ms`` and the ``worker`` pid.
    """
    return [entry for entry in json_lines(output) if "request_id" in entry]


def log_entries(output: str) -> list[dict]:
    """Every other JSON line in ``output``: the service's and gunicorn's own stderr lines, with
    ``time``, ``level``, ``logger``, ``message`` and ``pid`` (service/web/logs.py)."""
    return [entry for entry in json_lines(output) if "logger" in entry]


def logged_id(request_id: str) -> str:
    """How ``request_id`` appears in its JSON line: what ``wait_for_output`` waits for."""
    return f'"request_id": "{request_id}"'


def free_port() -> int:
    """A TCP port nobody listens on right now (the kernel picks it for a bound socket)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def running_gunicorn(
    log_path: Path,
    *,
    app: str = "service.wsgi:app",
    workers: int = 2,
    extra_env: Mapping[str, str] | None = None,
    gunicorn: Path = GUNICORN,
    cwd: Path = REPO_ROOT,
    config: str = "gunicorn.conf.py",
    prefix: Sequence[str] = (),
) -> Iterator[GunicornServer]:
    """Run gunicorn as the Makefile's ``make run`` does, and stop it when the block ends.

    ``gunicorn`` and ``cwd`` run another venv's gunicorn from another directory (which must hold
    a gunicorn.conf.py): the installed package, not this checkout, is then what it serves.
    ``config`` names another configuration file, one that runs gunicorn.conf.py and adds a hook
    (tests/support/held_boot_conf.py). ``prefix`` runs gunicorn through another command, which
    must end by executing it (``unshare`` and a shell that mounts a file system first), so that
    the process started is gunicorn's master.
    """
    if os.environ.get(NO_SERVERS_ENV):
        raise RuntimeError("this test starts gunicorn: mark it with @pytest.mark.server")
    if not gunicorn.exists():
        raise RuntimeError(f"gunicorn is not installed at {gunicorn}")
    port = free_port()
    env = {key: value for key, value in os.environ.items() if key not in FOREIGN_ENV}
    # Its public URL is where the tests reach it, as a deployment names its own.
    env.update(PORT=str(port), WEB_CONCURRENCY=str(workers), PYTHONUNBUFFERED="1",
               PUBLIC_BASE_URL=f"http://127.0.0.1:{port}")
    env.update(extra_env or {})
    command = [*prefix, str(gunicorn), "--config", str(config), app]
    with open(log_path, "ab") as log:
        process = subprocess.Popen(
            command,
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    server = GunicornServer("127.0.0.1", port, process, log_path)
    try:
        _wait_until_ready(server, workers)
        yield server
    finally:
        _stop(process)


def failed_start(
    log_path: Path,
    *,
    extra_env: Mapping[str, str] | None = None,
    prefix: Sequence[str] = (),
    timeout: float = 60.0,
) -> tuple[int, str]:
    """Start gunicorn as :func:`running_gunicorn` does, for a test whose settings must stop it;
    its exit status and output once it has exited. ``prefix`` runs it through another command
    (``setpriv`` to drop a capability). A server still running after ``timeout`` is killed and
    the test fails."""
    if os.environ.get(NO_SERVERS_ENV):
        raise RuntimeError("this test starts gunicorn: mark it with @pytest.mark.server")
    env = {key: value for key, value in os.environ.items() if key not in FOREIGN_ENV}
    env.update(PORT=str(free_port()), PYTHONUNBUFFERED="1")
    env.update(extra_env or {})
    command = [*prefix, str(GUNICORN), "--config", "gunicorn.conf.py", "service.wsgi:app"]
    with open(log_path, "ab") as log:
        process = subprocess.Popen(command, cwd=REPO_ROOT, env=env, stdin=subprocess.DEVNULL,
                                   stdout=log, stderr=subprocess.STDOUT)
    try:
        returncode = process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        _stop(process)
        raise AssertionError(f"gunicorn was still running after {timeout:.0f} s") from None
    return returncode, log_path.read_text(encoding="utf-8", errors="replace")


def _wait_until_ready(server: GunicornServer, workers: int) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    last_problem = "no answer yet"
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(
                f"gunicorn exited with {server.process.returncode} before it was ready:\n"
                + _tail(server.output())
            )
        try:
            status = server.request("GET", "/readyz", timeout=2.0).status
        except OSError as error:
            last_problem = f"GET /readyz failed: {error!r}"
        else:
            booted = server.output().count(WORKER_READY)
            if status == 200 and booted >= workers:
                return
            last_problem = f"GET /readyz answered {status}; {booted}/{workers} workers ready"
        time.sleep(0.1)
    raise RuntimeError(
        f"gunicorn was not ready within {START_TIMEOUT_S:.0f} s ({last_problem}):\n"
        + _tail(server.output())
    )


def _stop(process: subprocess.Popen) -> None:
    """SIGTERM (gunicorn's graceful shutdown), then SIGKILL if it does not stop in time."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _tail(text: str, lines: int = 40) -> str:
    return "\n".join(text.splitlines()[-lines:])
