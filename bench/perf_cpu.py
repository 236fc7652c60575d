"""Server CPU per request: what a request costs the worker that answers it, without wrk.

wrk shares the machine's cores with the server, so a req/s ratio moves with wrk's own share of
them. Here one client sends requests one after another on one keep-alive connection to a
1-worker gunicorn (recycling off: the same worker answers them all), and the worker's CPU time
(user + system, from /proc/<pid>/stat, in clock ticks of 10 ms) read before and after gives µs
of CPU per request: ``GET /healthz``; ``POST /v1/advice`` with the replayed mixed set, sent once
unmeasured first each round so that every measured request is an answer cache hit; and ``POST
/v1/advice`` with diverse intake profiles, a fresh slice of them each round so that none is in
the answer cache. Two seconds of CPU or more per figure (2,000 requests) keep the ticks' error
near 1 %.
"""

from __future__ import annotations

import http.client
import os
import statistics
from pathlib import Path

from tests.support.observe import worker_pids

JSON = "application/json"


def worker_cpu_seconds(master_pid: int) -> dict[int, float]:
    """CPU seconds (user + system) so far of each live worker of ``master_pid``."""
    ticks = os.sysconf("SC_CLK_TCK")
    seconds = {}
    for pid in worker_pids(master_pid):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # the worker is gone
            continue
        seconds[pid] = (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
    return seconds


def cpu_per_request(server, requests: list[tuple[str, str, bytes | None]]) -> float:
    """µs of worker CPU per request of ``requests`` (method, path, body), each answered 200."""
    before = worker_cpu_seconds(server.process.pid)
    connection = http.client.HTTPConnection(server.host, server.port, timeout=30)
    try:
        for method, path, body in requests:
            connection.request(method, path, body=body,
                               headers={"Content-Type": JSON} if body is not None else {})
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                raise RuntimeError(f"{method} {path} answered {response.status}")
    finally:
        connection.close()
    after = worker_cpu_seconds(server.process.pid)
    if set(after) != set(before):
        raise RuntimeError("a worker was replaced while its CPU time was measured")
    return (sum(after.values()) - sum(before.values())) / len(requests) * 1e6


def measure(server, diverse: list[bytes], count: int, rounds: int,
            replayed: list[bytes] = ()) -> dict:
    """``rounds`` sets of figures (healthz, the ``replayed`` set if given, then diverse advice),
    ``count`` requests each."""
    if len(diverse) < count * rounds:
        raise ValueError(f"{count * rounds} diverse profiles needed, {len(diverse)} given")
    runs = []
    for number in range(rounds):
        run = {"healthz_us": cpu_per_request(server, [("GET", "/healthz", None)] * count)}
        if replayed:
            cpu_per_request(server, [("POST", "/v1/advice", body) for body in replayed])  # cached
            run["replayed_us"] = cpu_per_request(
                server, [("POST", "/v1/advice", replayed[i % len(replayed)]) for i in range(count)])
        fresh = diverse[number * count:(number + 1) * count]
        run["diverse_us"] = cpu_per_request(server, [("POST", "/v1/advice", body)
                                                     for body in fresh])
        runs.append(run)
    figures = {key: round(statistics.median(run[key] for run in runs)) for key in runs[0]}
    ratios = {f"healthz_over_{key.removesuffix('_us')}": round(figures["healthz_us"] / value, 3)
              for key, value in figures.items() if key != "healthz_us"}
    return {"requests": count, "runs": runs, **figures, **ratios}
