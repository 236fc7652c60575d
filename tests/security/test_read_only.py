"""The service runs on a read-only root file system, as ``docker run --read-only`` starts it.

Docker does not run on the development machines, so the container's condition is reproduced
here: gunicorn, with the production gunicorn.conf.py, starts in a private mount namespace
(``unshare --mount``) in which ``/`` is remounted read-only, so the repository, ``/tmp`` and
``$HOME`` cannot be written; ``/dev/shm`` stays writable, as Docker keeps it (gunicorn's worker
heartbeat files live there, and the ids of used CDS client tokens, which a trusted client's call
writes). The remount is private to that namespace. A probe write inside it must fail first, or
the test would prove nothing.

It needs the right to create a mount namespace (root, as on CI); elsewhere it is skipped.
"""

import json
import os
import shutil
import signal
import subprocess
import time

import pytest

from tests.support.cds_tokens import CDS_BASE_URL, TRUSTED, clients_file
from tests.support.gunicorn import GUNICORN, REPO_ROOT, WORKER_READY, free_port, http_request

PROBE = REPO_ROOT / ".read-only-probe"
WORKERS = 2
# Make / read-only in this namespace, prove it, then become gunicorn.
READ_ONLY_SHELL = (
    'mount -o remount,bind,ro / || exit 98; '
    'if touch "$PROBE" 2>/dev/null; then rm -f "$PROBE"; echo "NOT READ-ONLY"; exit 97; fi; '
    'exec "$@"'
)
FAILURE_SIGNS = ("Read-only file system", "Errno 30", "Permission denied", "Traceback")


def can_unshare_mounts() -> bool:
    if shutil.which("unshare") is None:
        return False
    probe = subprocess.run(["unshare", "--mount", "true"], capture_output=True, check=False)
    return probe.returncode == 0


pytestmark = [
    pytest.mark.server,
    pytest.mark.skipif(not can_unshare_mounts(),
                       reason="needs the right to create a mount namespace (root)"),
]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """gunicorn on a read-only root file system; yields (port, function returning its output)."""
    directory = tmp_path_factory.mktemp("read-only")
    log_path = directory / "gunicorn.log"
    port = free_port()
    # A trusted CDS client: its calls write the used token's id to the replay store in /dev/shm.
    clients = clients_file(directory / "clients.json", {"iss": TRUSTED.iss, "jwks": TRUSTED.jwks()})
    env = {**os.environ, "PORT": str(port), "WEB_CONCURRENCY": str(WORKERS),
           "PYTHONUNBUFFERED": "1", "PYTHONDONTWRITEBYTECODE": "1", "PROBE": str(PROBE),
           "TMPDIR": "/tmp", "HOME": "/nonexistent", "CDS_HOOKS_CLIENTS": clients,
           "PUBLIC_BASE_URL": CDS_BASE_URL}
    for name in ("GUNICORN_CMD_ARGS", "GUNICORN_WORKER_CLASS", "GUNICORN_THREADS",
                 "CDS_HOOKS_REPLAY_DIR", "CDS_HOOKS_REPLAY_STORE"):
        env.pop(name, None)
    command = ["unshare", "--mount", "sh", "-c", READ_ONLY_SHELL, "sh",
               str(GUNICORN), "--config", "gunicorn.conf.py", "service.wsgi:app"]
    with open(log_path, "ab") as log:
        process = subprocess.Popen(command, cwd=REPO_ROOT, env=env, stdin=subprocess.DEVNULL,
                                   stdout=log, stderr=subprocess.STDOUT)

    def output() -> str:
        return log_path.read_text(encoding="utf-8", errors="replace")

    try:
        deadline = time.monotonic() + 30
        while output().count(WORKER_READY) < WORKERS:
            assert process.poll() is None, f"gunicorn exited:\n{output()[-3000:]}"
            assert time.monotonic() < deadline, f"gunicorn did not start:\n{output()[-3000:]}"
            time.sleep(0.1)
        yield port, output, process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def call(port: int, method: str, path: str, body=None, token=None):
    headers = {"Content-Type": "application/json"} if body is not None else {}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = json.dumps(body).encode() if body is not None and not isinstance(body, bytes) else body
    return http_request("127.0.0.1", port, method, path, data, headers, timeout=15)


def test_every_kind_of_answer_works_on_a_read_only_root_file_system(server):
    port, output, _ = server
    assert call(port, "GET", "/readyz").status == 200
    assert call(port, "POST", "/v1/advice", {"locations": ["calf"], "time_of_day": "night",
                                               "frequency": "weekly"}).status == 200
    assert call(port, "POST", "/v1/advice", {"locations": ["knee"]}).status == 400
    assert call(port, "POST", "/v1/advice", b'{"locations": ["calf"]' + b" " * 70_000 + b"}"
                ).status == 413
    assert call(port, "GET", "/v1/knowledge-base").status == 200
    assert call(port, "GET", "/openapi.yaml").status == 200
    assert call(port, "GET", "/nowhere").status == 404
    token = TRUSTED.token(CDS_BASE_URL + "/cds-services")
    assert [call(port, "GET", "/cds-services", token=token).status for _ in range(2)] == [200, 401]
    assert not PROBE.exists()
    log = output()
    assert "NOT READ-ONLY" not in log
    assert not [sign for sign in FAILURE_SIGNS if sign in log], log[-3000:]


def test_it_stops_cleanly_on_sigterm_without_writing_anything(server):
    port, output, process = server
    assert call(port, "GET", "/healthz").status == 200
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=20) == 0
    log = output()
    assert "Shutting down: Master" in log
    assert not [sign for sign in FAILURE_SIGNS if sign in log], log[-3000:]
