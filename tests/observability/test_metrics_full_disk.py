"""A full metrics file system degrades the metrics, never the service (the real gunicorn).

Reported: with ``PROMETHEUS_MULTIPROC_DIR`` on a small tmpfs, a worker died of ``SIGBUS``, then
the master, folding its counters; the port closed and nothing restarted. prometheus_client
writes its values through memory maps of sparse files, and on a full file system the first
write to a page is a ``SIGBUS``. Now every page is reserved before it is mapped
(service/web/metrics_files.py): the master's fold fails as an error it logs, a worker that
cannot make its files logs "Metrics degraded" once and serves on, and ``/readyz`` and
``/metrics`` say the counts are incomplete.

gunicorn runs in a mount namespace of its own (``unshare --mount``; in a user namespace too when
the test is not root) with a 1 MiB tmpfs as its metrics directory, which the test reaches
through ``/proc/<master>/root`` and fills to the last byte, with a file, once its one worker has
made its files. So that the master's fold finds no room either, the test first gives that
worker's gauge file a second name: removing it then frees nothing, as when something else keeps
filling the file system. Then the worker is stopped, and its replacement boots on the full file
system.
"""

import json
import os
import re
import signal
from pathlib import Path

import pytest

from tests.support.faults import children, new_worker, ready_pids
from tests.support.gunicorn import access_lines, log_entries, running_gunicorn
from tests.support.metrics import samples, value

pytestmark = pytest.mark.server

PROFILE = json.dumps({"locations": ["calf"]}).encode()
JSON = {"Content-Type": "application/json"}
REQUESTS = "leg_cramps_advice_http_requests_total"
MOUNT_THEN_EXEC = 'mount -t tmpfs -o size=1m tmpfs "$METRICS_DIR" && exec "$@"'


def in_own_mount_namespace() -> list[str]:
    """``unshare`` with a shell that mounts the tmpfs, then becomes gunicorn (same pid)."""
    user = [] if os.geteuid() == 0 else ["--user", "--map-root-user"]
    return ["unshare", "--mount", *user, "sh", "-c", MOUNT_THEN_EXEC, "sh"]


def fill(directory: Path) -> int:
    """Write to a file in ``directory`` until its file system has no byte left."""
    written = 0
    fd = os.open(directory / "filler", os.O_WRONLY | os.O_CREAT, 0o644)
    try:
        while True:
            written += os.write(fd, b"\1" * 4096)
    except OSError as error:
        assert error.errno == 28, error  # ENOSPC
    finally:
        os.close(fd)
    return written


def advice_count(server) -> float:
    response = server.request("GET", "/metrics")
    assert response.status == 200
    scraped = samples(response.body.decode())
    assert value(scraped, "leg_cramps_advice_metrics_degraded") == 1
    return value(scraped, REQUESTS, route="/v1/advice", status="200")


def test_a_full_metrics_file_system_degrades_metrics_and_advice_goes_on(tmp_path):
    metrics_dir = tmp_path / "metrics"
    metrics_dir.mkdir()
    env = {"PROMETHEUS_MULTIPROC_DIR": str(metrics_dir), "METRICS_DIR": str(metrics_dir)}
    with running_gunicorn(tmp_path / "gunicorn.log", workers=1, extra_env=env,
                          prefix=in_own_mount_namespace()) as server:
        seen = Path(f"/proc/{server.process.pid}/root") / metrics_dir.relative_to("/")
        for _ in range(10):
            assert server.request("POST", "/v1/advice", PROFILE, JSON).status == 200
        (leaving,) = children(server.process.pid)
        os.link(seen / f"gauge_livesum_{leaving}.db", seen / "pinned")  # removing it frees none
        assert fill(seen) > 0

        os.kill(leaving, signal.SIGTERM)  # the master folds its files; a new worker boots
        replacement = new_worker(server, set(ready_pids(server)))
        assert server.process.poll() is None, "the master died"
        statuses = [server.request("POST", "/v1/advice", PROFILE, JSON).status
                    for _ in range(20)]
        readiness = [json.loads(server.request("GET", "/readyz").body) for _ in range(2)]
        count = advice_count(server)
        output = server.output()

    assert statuses == [200] * 20
    advice_by = [line["worker"] for line in access_lines(output) if line["route"] == "/v1/advice"]
    assert advice_by == [leaving] * 10 + [replacement] * 20  # the worker without metrics serves
    assert all(ready.get("metrics") == "degraded" for ready in readiness)
    assert count >= 10, "the exited worker's counts still count"
    messages = [(entry["pid"], entry["message"]) for entry in log_entries(output)]
    assert (replacement, f"Metrics degraded: cannot write the metrics files in {metrics_dir} "
            "(No space left on device); this process serves on and records no more metrics"
            ) in messages
    assert (server.process.pid, f"Could not fold the metrics files of worker {leaving} "
            "(No space left on device): they stay, and still count") in messages
    assert not re.search(r"SIGBUS|was sent|Traceback", output)


def test_metrics_are_complete_again_after_a_restart_with_room(tmp_path):
    """The mark of degraded metrics belongs to the server that left it: a configured directory
    keeps it across a restart, and the next server removes it with the other stale files."""
    metrics_dir = tmp_path / "metrics"
    metrics_dir.mkdir()
    (metrics_dir / "metrics-degraded").touch()
    with running_gunicorn(tmp_path / "gunicorn.log", workers=1,
                          extra_env={"PROMETHEUS_MULTIPROC_DIR": str(metrics_dir)}) as server:
        assert "metrics" not in json.loads(server.request("GET", "/readyz").body)
        scraped = samples(server.request("GET", "/metrics").body.decode())
    assert scraped[("leg_cramps_advice_metrics_degraded", frozenset())] == 0
