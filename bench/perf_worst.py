"""What the worst bodies of tests/support/worst_bodies.py cost, against a normal advice request.

Each body is posted through the Flask test client of an app without an answer cache, in
``repeats`` rounds of ``iterations`` calls interleaved with the normal request, so noise from
other jobs lands on all of them alike. Reported per body: the median µs, its ratio to the
normal request's median, the status and the answer's size in bytes.
"""

from __future__ import annotations

import json
import statistics
import time

from bench.perf_inprocess import REFERENCE_PROFILES, quiet_service_log
from tests.support.worst_bodies import ADVICE, JSON, WORST

NORMAL = "normal: typical night cramps"


def measure_worst(app, iterations: int, repeats: int) -> dict:
    """``{body name: {median_us, over_normal, status, answer_bytes, body_bytes}}``."""
    client = app.test_client()
    normal = json.dumps(REFERENCE_PROFILES["typical night cramps"]).encode()
    bodies = {NORMAL: (ADVICE, JSON, normal), **WORST}
    rounds: dict[str, list[float]] = {name: [] for name in bodies}
    answers = {}
    with quiet_service_log():
        for _ in range(repeats):
            for name, (path, content_type, body) in bodies.items():
                times = []
                for _ in range(iterations):
                    started = time.perf_counter_ns()
                    response = client.post(path, data=body, content_type=content_type)
                    times.append(time.perf_counter_ns() - started)
                answers[name] = response
                rounds[name].append(statistics.median(times) / 1000)
    medians = {name: statistics.median(values) for name, values in rounds.items()}
    return {
        name: {"median_us": round(medians[name], 1),
               "over_normal": round(medians[name] / medians[NORMAL], 2),
               "status": answers[name].status_code,
               "answer_bytes": len(answers[name].data),
               "body_bytes": len(bodies[name][2])}
        for name in bodies
    }


def rows(figures: dict) -> list[str]:
    """Table rows: one per body, the normal request first."""
    return [f"| worst body: {name} ({f['body_bytes']:,} B) | {f['median_us']:,.0f} µs | "
            f"{f['over_normal']:.2f} x normal; answers {f['status']}, {f['answer_bytes']:,} B | |"
            for name, f in figures.items()]
