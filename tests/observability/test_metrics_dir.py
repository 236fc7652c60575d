"""The metrics directory's life under the real gunicorn (gunicorn.conf.py's hooks).

* A configured ``PROMETHEUS_MULTIPROC_DIR`` (an emptyDir in Kubernetes outlives a restarted
  container) is emptied of metric files at start: the previous server's counts are not ours.
  Other files in it are left alone.
* A worker that exits keeps its counts in the totals (its requests happened), folded into one
  archive file per type so that recycled workers' files do not pile up; its live gauge file is
  removed (``mark_process_dead``), so the open-sessions gauge sums live workers only.
* Without the variable, the server makes a directory of its own and removes it at exit.
"""

import json
import os
import re
import signal

import pytest
from prometheus_client.mmap_dict import MmapedDict, mmap_key

from tests.support.faults import children, new_worker, ready_pids, wait_for
from tests.support.gunicorn import running_gunicorn
from tests.support.metrics import samples, value

pytestmark = pytest.mark.server

REQUESTS = "leg_cramps_advice_http_requests_total"
PROFILE = json.dumps({"locations": ["calf"]}).encode()
JSON = {"Content-Type": "application/json"}
STALE_COUNT = 5000.0
METRICS_DIR_LINE = re.compile(r"Metrics of the workers in ([^\s\"]+)")


def stale_counter_file(directory) -> None:
    """A previous server's counter file: 5000 answered /v1/advice requests."""
    stale = MmapedDict(str(directory / "counter_999999.db"))
    key = mmap_key("leg_cramps_advice_http_requests", REQUESTS, ["route", "status"],
                   ["/v1/advice", "200"], "HTTP requests answered.")
    stale.write_value(key, STALE_COUNT, 0.0)
    stale.close()


def advice_count(server) -> float:
    response = server.request("GET", "/metrics")
    assert response.status == 200
    return value(samples(response.body.decode()), REQUESTS, route="/v1/advice", status="200")


def test_a_configured_dir_loses_stale_counts_and_exited_workers_are_folded_not_forgotten(
    tmp_path
):
    metrics_dir = tmp_path / "metrics"
    metrics_dir.mkdir()
    stale_counter_file(metrics_dir)
    (metrics_dir / "README").write_text("not a metrics file")

    with running_gunicorn(tmp_path / "gunicorn.log", workers=2,
                          extra_env={"PROMETHEUS_MULTIPROC_DIR": str(metrics_dir)}) as server:
        assert not (metrics_dir / "counter_999999.db").exists()
        assert (metrics_dir / "README").exists()
        for _ in range(10):
            assert server.request("POST", "/v1/advice", PROFILE, JSON).status == 200
        assert advice_count(server) == 10, "the stale file's 5000 must not count"

        for generation in range(3):  # three workers replaced, one after another
            leaving = min(children(server.process.pid))
            assert (metrics_dir / f"gauge_livesum_{leaving}.db").exists()
            os.kill(leaving, signal.SIGTERM)
            new_worker(server, set(ready_pids(server)))
            wait_for(lambda pid=leaving: not any(
                (metrics_dir / f"{kind}_{pid}.db").exists()
                for kind in ("gauge_livesum", "counter", "histogram")), 10.0,
                f"child_exit did not fold the files of worker {leaving}")
            assert server.request("POST", "/v1/advice", PROFILE, JSON).status == 200
            assert advice_count(server) == 11 + generation, "exited workers' counts stay"

        live = children(server.process.pid)
        pids = {int(name.rsplit("_", 1)[1][:-3]) for name in os.listdir(metrics_dir)
                if name.endswith(".db") and "_archive" not in name}
        assert pids <= live, "only live workers have files of their own"
        assert {"counter_archive.db", "histogram_archive.db"} <= set(os.listdir(metrics_dir))


def test_without_a_configured_dir_the_server_makes_one_in_ram_and_removes_it_at_exit(tmp_path):
    with running_gunicorn(tmp_path / "gunicorn.log", workers=1) as server:
        (path,) = METRICS_DIR_LINE.findall(server.output())
        assert os.path.isdir(path)
        if os.access("/dev/shm", os.W_OK):  # noqa: S108
            assert path.startswith("/dev/shm/")  # noqa: S108
        assert server.request("POST", "/v1/advice", PROFILE, JSON).status == 200
        assert advice_count(server) == 1
        assert any(name.startswith("counter_") for name in os.listdir(path))
    assert not os.path.exists(path)
