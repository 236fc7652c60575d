"""What the soak reads from outside the server: worker memory from /proc, counters from the log.

The workers are the gunicorn master's child processes; their resident memory is ``VmRSS`` of
``/proc/<pid>/status``. The engine counters come from the "Engine stats" line each worker logs
as it exits (gunicorn.conf.py's ``worker_exit``), recycled workers included, so a session left
open by any generation of worker shows up. The report also names the settings the workers read
from gunicorn.conf.py and the machine they ran on.
"""

from __future__ import annotations

import os
import platform
import re
import runpy
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from unittest import mock

from tests.support.gunicorn import FOREIGN_ENV, REPO_ROOT, access_lines

_BOOTED = re.compile(r"Booting worker with pid: (\d+)")
_STATS = re.compile(r"Engine stats \(pid: (\d+)\): evaluations=(\d+) open_sessions=(-?\d+)")
ADVICE_200 = ("POST", "/v1/advice", 200)
# Lines that mean something went wrong in the server, whatever the client saw.
_TROUBLE = re.compile(r'"level": "(ERROR|CRITICAL)"|Traceback|WORKER TIMEOUT'
                      r"|was sent SIG|exited with code|Exception during worker exit")


def worker_pids(master_pid: int) -> list[int]:
    """The live child processes of ``master_pid`` (gunicorn's workers), from /proc."""
    children = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                status = (entry / "status").read_text()
            except OSError:
                continue  # gone meanwhile
            if re.search(rf"^PPid:\s+{master_pid}$", status, re.MULTILINE):
                children.append(int(entry.name))
    return sorted(children)


def rss_kib(pid: int) -> int | None:
    """Resident memory of ``pid`` in KiB, or None if the process is gone."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    match = re.search(r"^VmRSS:\s+(\d+) kB$", status, re.MULTILINE)
    return int(match.group(1)) if match else None


def sample_rss(master_pid: int) -> dict[int, int]:
    """``{worker pid: RSS in KiB}`` for every live worker of ``master_pid``."""
    sizes = {pid: rss_kib(pid) for pid in worker_pids(master_pid)}
    return {pid: size for pid, size in sizes.items() if size is not None}


@dataclass
class ServerLog:
    booted: list[int] = field(default_factory=list)
    engine_stats: dict[int, dict[str, int]] = field(default_factory=dict)
    autorestarts: int = 0
    advice_200_by_worker: Counter = field(default_factory=Counter)
    responses_by_worker: Counter = field(default_factory=Counter)
    trouble: list[str] = field(default_factory=list)


def read_log(path: Path) -> ServerLog:
    """Worker births and exit counters, per-worker answers and any trouble, from gunicorn's log."""
    log = ServerLog()
    with open(path, encoding="utf-8", errors="replace") as lines:
        for line in lines:
            if access := access_lines(line):  # the service's JSON line of one request
                (entry,) = access
                log.responses_by_worker[entry["worker"]] += 1
                if (entry["method"], entry["route"], entry["status"]) == ADVICE_200:
                    log.advice_200_by_worker[entry["worker"]] += 1
            elif booted := _BOOTED.search(line):
                log.booted.append(int(booted.group(1)))
            elif stats := _STATS.search(line):
                log.engine_stats[int(stats.group(1))] = {
                    "evaluations": int(stats.group(2)), "open_sessions": int(stats.group(3))}
            elif "Autorestarting worker" in line:
                log.autorestarts += 1
            elif _TROUBLE.search(line) and len(log.trouble) < 20:
                log.trouble.append(line.rstrip())
    return log


def gunicorn_settings(env: dict[str, str]) -> dict:
    """gunicorn.conf.py's settings as the workers read them, from the environment they had."""
    with mock.patch.dict(os.environ, env):
        for name in FOREIGN_ENV:
            os.environ.pop(name, None)
        conf = runpy.run_path(str(REPO_ROOT / "gunicorn.conf.py"))
    return {key: conf[key] for key in ("worker_class", "worker_connections", "threads",
                                       "max_requests")}


def machine() -> dict:
    """Cores, memory, load and Python of this machine: the context of every figure."""
    meminfo = Path("/proc/meminfo").read_text().split()
    return {"cpus": os.cpu_count(), "memory_gib": round(int(meminfo[1]) / 2**20, 1),
            "load_average_at_start": os.getloadavg(), "python": platform.python_version(),
            "platform": platform.platform()}
