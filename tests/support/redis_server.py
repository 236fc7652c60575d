"""A real Redis for the tests of the shared replay store: Debian's ``redis-server`` on loopback.

``running_redis(directory)`` starts ``/usr/bin/redis-server`` (the ``redis-server`` package,
which ``make test`` installs as it installs Chromium) on a free port of 127.0.0.1, with nothing
written to disk, waits until it answers ``PING``, and stops it at the end; ``.stop()`` stops it
earlier, to show what the service does when its store is gone. A missing ``redis-server`` fails
the test instead of skipping it, so a green run always means a real Redis ran.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import redis

from tests.support.gunicorn import NO_SERVERS_ENV, free_port

REDIS_SERVER = Path(os.environ.get("REDIS_SERVER_PATH", "/usr/bin/redis-server"))
START_TIMEOUT_S = 10.0


@dataclass
class RedisServer:
    port: int
    process: subprocess.Popen

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def connect(self) -> redis.Redis:
        return redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=2.0)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def require_redis_server() -> Path:
    """The redis-server executable, or a failed test that says how to install it."""
    if not os.access(REDIS_SERVER, os.X_OK):
        pytest.fail(f"{REDIS_SERVER} is missing: the shared replay store's tests need Debian's "
                    "redis-server package. `make test` installs it (as root: apt-get update && "
                    "apt-get install -y redis-server).", pytrace=False)
    return REDIS_SERVER


@contextlib.contextmanager
def running_redis(directory: Path):
    """A redis-server of its own on loopback, its log in ``directory``; yields a RedisServer."""
    if os.environ.get(NO_SERVERS_ENV):
        raise RuntimeError("this test starts redis-server: mark it with @pytest.mark.server")
    port = free_port()
    command = [str(require_redis_server()), "--bind", "127.0.0.1", "--port", str(port),
               "--save", "", "--appendonly", "no", "--dir", str(directory),
               "--logfile", str(directory / "redis.log")]
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                               stderr=subprocess.STDOUT)
    server = RedisServer(port, process)
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            assert process.poll() is None, f"redis-server exited with {process.returncode}"
            try:
                if server.connect().ping():
                    break
            except redis.ConnectionError:
                assert time.monotonic() < deadline, "redis-server did not answer PING in time"
                time.sleep(0.05)
        yield server
    finally:
        server.stop()
