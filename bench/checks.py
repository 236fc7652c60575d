"""The soak's invariants: what each answer must be, and what must hold once gunicorn has stopped.

Kept apart from the driver (soak.py) so that tests/load can read what is checked, and so that
every rule is one line of ``failures()``.
"""

from __future__ import annotations

import json

from bench.http_client import Reply
from bench.mix import MixedRequest
from service.contract.vocabulary import URGENCIES
from tests.support.bad_input import BAD_KINDS

RSS_FLAT_PERCENT = 5.0
COVERAGE_FROM = 2_000  # shorter runs may miss a rare value by chance: coverage not checked


def wrong_answer(mixed: MixedRequest, reply: Reply) -> str | None:
    """Why ``reply`` is not what the contract promises for ``mixed``, or None if it is."""
    if reply.status != mixed.expected:
        return f"expected {mixed.expected}, got {reply.status}: {reply.body[:200]!r}"
    media = "application/json" if reply.status == 200 else "application/problem+json"
    if reply.headers.get("content-type", "").split(";")[0] != media:
        return f"expected {media}, got {reply.headers.get('content-type')!r}"
    try:
        document = json.loads(reply.body)
    except ValueError:
        return f"the body is not JSON: {reply.body[:200]!r}"
    if mixed.text is not None:
        return _wrong_draft(mixed.text, document) if reply.status == 200 else None
    if reply.status == 200 and not (document["urgency"] in URGENCIES and document["trace"]):
        return f"an answer without urgency or trace: {reply.body[:200]!r}"
    if reply.status != 200 and document.get("status") != reply.status:
        return f"a problem document with another status: {reply.body[:200]!r}"
    return None


def _wrong_draft(text: str, draft: dict) -> str | None:
    """Why a parse's answer is not a draft whose spans index ``text`` exactly, or None."""
    if draft.get("draft") is not True or "urgency" in draft:
        return f"not a draft: {json.dumps(draft)[:200]}"
    for item in [*draft["findings"], *draft["unmapped"]]:
        start, end = item["span"]
        if text[start:end] != item["text"]:
            return f"a span that is not its text: {item}"
    return None


def rss_report(after: int, checkpoint: dict[int, int], end: dict[int, int]) -> dict:
    """Worker RSS after ``after`` requests and at the end, and its growth per unchanged worker."""
    same = sorted(set(checkpoint) & set(end))
    growth = {pid: _percent(checkpoint[pid], end[pid]) for pid in same}
    both = same and set(checkpoint) == set(end)
    return {
        "after_requests": after, "checkpoint": checkpoint, "end": end,
        "checkpoint_sum": sum(checkpoint.values()), "end_sum": sum(end.values()),
        "same_workers": bool(both), "growth_percent": growth,
        "sum_growth_percent": _percent(sum(checkpoint.values()), sum(end.values())) if both
        else None,
    }


def _percent(before: int, after: int) -> float:
    return round((after - before) * 100 / before, 2)


def failures(report: dict, answered_200: int, log) -> list[str]:
    """Every invariant the run broke, as sentences (empty: all hold)."""
    found = []
    if report["five_xx"]:
        found.append(f"{report['five_xx']} responses were 5xx")
    if report["wrong_answers"]:
        found.append(f"{report['wrong_answers']} answers were not the promised ones")
    if report["client"]["unanswered"]:
        found.append(f"{len(report['client']['unanswered'])} requests got no answer")
    if report["requests"] >= COVERAGE_FROM:
        if report["values_never_sent"]:
            found.append(f"vocabulary never sent: {report['values_never_sent']}")
        if unsent := [kind for kind in BAD_KINDS if not report["by_kind"][kind]]:
            found.append(f"bad kinds never sent: {unsent}")
    if silent := sorted(set(log.booted) - set(log.engine_stats)):
        found.append(f"workers that exited without their engine stats (crashed?): {silent}")
    for pid, stats in log.engine_stats.items():
        if stats["open_sessions"]:
            found.append(f"worker {pid} exited with {stats['open_sessions']} open sessions")
        if stats["evaluations"] != 1 + log.advice_200_by_worker[pid]:  # 1: its warm-up
            found.append(f"worker {pid} evaluated {stats['evaluations']} times for "
                         f"{log.advice_200_by_worker[pid]} answers (+1 warm-up)")
    if sum(log.advice_200_by_worker.values()) != answered_200:
        found.append(f"the access log shows {sum(log.advice_200_by_worker.values())} answers, "
                     f"the client got {answered_200}")
    if report["server_trouble"]:
        found.append(f"the server logged trouble: {report['server_trouble'][:3]}")
    if report["settings"] == "no-recycle":
        found += _steady_workers(report)
    return found


def _steady_workers(report: dict) -> list[str]:
    """With recycling off, the same workers serve throughout and their memory stays flat."""
    rss, found = report["rss_kib"], []
    if report["workers"]["autorestarts"] or not rss["same_workers"]:
        found.append(f"workers changed with recycling off: {report['workers']}")
    grown = {pid: g for pid, g in rss["growth_percent"].items() if g > RSS_FLAT_PERCENT}
    if grown or (rss["sum_growth_percent"] or 0) > RSS_FLAT_PERCENT:
        found.append(f"worker RSS grew over {RSS_FLAT_PERCENT} %: {grown or rss}")
    return found


def summary(report: dict) -> str:
    """A few lines for a person: the figures, then every broken invariant."""
    rss = report["rss_kib"]
    lines = [
        f"  gunicorn.conf.py {report['gunicorn']}, {report['workers']['count']} workers, "
        f"extra environment {report['extra_env']}",
        f"  {report['requests']:,} requests in {report['seconds']} s "
        f"({report['requests_per_second']} req/s), statuses {report['statuses']}, "
        f"5xx {report['five_xx']}, wrong answers {report['wrong_answers']}",
        f"  urgencies of the 200s {report['urgencies']}; client {report['client']}",
        f"  workers booted {report['workers']['booted']}, "
        f"autorestarts {report['workers']['autorestarts']}",
        f"  engine stats at exit {report['engine']['exit_stats']}",
        f"  RSS KiB after {rss['after_requests']:,}: {rss['checkpoint']} "
        f"(sum {rss['checkpoint_sum']}); end: {rss['end']} (sum {rss['end_sum']}); "
        f"growth % {rss['growth_percent']} (sum {rss['sum_growth_percent']})",
    ]
    return "\n".join(lines + [f"  FAILED: {failure}" for failure in report["failures"]])
