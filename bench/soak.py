"""Soak the real server: N mixed requests through gunicorn with the production config.

``python -m bench.soak --requests 100000 --json soak.json`` starts ``gunicorn --config
gunicorn.conf.py service.wsgi:app`` (tests/support/gunicorn.py), sends the request mix of
bench/mix.py over 16 keep-alive connections (bench/http_client.py), stops gunicorn with SIGTERM
and checks the invariants in bench/checks.py: no 5xx, every answer the one the contract
promises (for a person's own words, a draft whose spans are its text), no open engine session in
any worker at exit, one evaluation per valid request plus each worker's warm-up, and worker
memory flat. It exits 1 if any fails.

Workers recycle after 10,000 +- 1,000 requests (``max_requests``), and a recycled worker's
memory says nothing about a leak. So by default the soak runs twice: first with recycling off
(``--max-requests 0`` in GUNICORN_CMD_ARGS, which gunicorn applies over the config file), the
same two workers from start to end, for the memory figures; then with the production settings
unchanged, which proves that recycling under load loses no request and leaks no session.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from collections import Counter
from pathlib import Path

from bench import checks
from bench.http_client import Reply, Request, closed_loop
from bench.mix import FREE_TEXT, MixedRequest, request_at
from tests.support.bad_input import BAD_KINDS
from tests.support.gunicorn import REPO_ROOT, running_gunicorn
from tests.support.observe import gunicorn_settings, machine, read_log, sample_rss
from tests.support.profiles import values_of, vocabulary_values

# The answer cache is off in both passes: every valid request must reach the engine, whose
# sessions, evaluations and memory are what the soak watches (the cache only skips work).
NO_CACHE = {"ANSWER_CACHE_SIZE": "0"}
SETTINGS = {
    "no-recycle": {**NO_CACHE, "GUNICORN_CMD_ARGS": "--max-requests 0"},
    "production": NO_CACHE,
}
WORKERS = 2  # gunicorn.conf.py's default WEB_CONCURRENCY


class Tally:
    """Every reply, judged against what its request expected."""

    def __init__(self, seed: int, rss_after: int, sample):
        self.seed, self.rss_after, self.sample = seed, rss_after, sample
        self.statuses, self.by_kind, self.urgencies = Counter(), Counter(), Counter()
        self.mismatches, self.examples, self.done = 0, [], 0
        self.pending: dict[int, MixedRequest] = {}  # sent, not answered yet
        self.values_sent: set[str] = set()
        self.rss_checkpoint: dict[int, int] = {}

    def request(self, index: int) -> Request:
        mixed = self.pending[index] = request_at(self.seed, index)
        headers = (("X-Request-ID", f"soak-{index}"),)
        if mixed.content_type:
            headers += (("Content-Type", mixed.content_type),)
        return Request("POST", mixed.path, mixed.body, headers)

    def reply(self, index: int, reply: Reply) -> None:
        mixed = self.pending.pop(index)
        self.statuses[reply.status] += 1
        self.by_kind[mixed.kind, reply.status] += 1
        problem = checks.wrong_answer(mixed, reply)
        if problem:
            self.mismatches += 1
            if len(self.examples) < 20:
                self.examples.append(f"request {index} ({mixed.kind}): {problem}")
        elif mixed.profile is not None:
            self.urgencies[json.loads(reply.body)["urgency"]] += 1
            self.values_sent |= values_of(mixed.profile)
        self.done += 1
        if self.done == self.rss_after:
            self.rss_checkpoint = self.sample()


def run_soak(requests: int, log_path: Path, *, settings: str = "production", seed: int = 1,
             connections: int = 16, rss_after: int = 10_000,
             extra_env: dict[str, str] | None = None) -> dict:
    """One soak run against a fresh gunicorn; the report, with ``failures`` listing broken rules.

    ``extra_env`` adds to the environment of ``settings`` (tests shorten ``max_requests``).
    """
    rss_after = min(rss_after, requests // 2)
    env = {**SETTINGS[settings], **(extra_env or {})}
    with running_gunicorn(log_path, workers=WORKERS, extra_env=env) as server:
        master = server.process.pid
        tally = Tally(seed, rss_after, lambda: sample_rss(master))
        started = time.monotonic()
        client = asyncio.run(closed_loop(server.host, server.port, requests, connections,
                                         tally.request, tally.reply))
        seconds = time.monotonic() - started
        rss_end = sample_rss(master)
    log = read_log(log_path)  # gunicorn has stopped: every worker has logged its exit
    conf = gunicorn_settings(env)
    report = {
        "settings": settings, "extra_env": env, "requests": requests,
        "gunicorn": conf,
        "seed": seed, "connections": connections, "log": str(log_path),
        "seconds": round(seconds, 1), "requests_per_second": round(requests / seconds),
        "statuses": dict(sorted(tally.statuses.items())),
        "five_xx": sum(n for status, n in tally.statuses.items() if status >= 500),
        "by_kind": {kind: {s: n for (k, s), n in sorted(tally.by_kind.items()) if k == kind}
                    for kind in ["valid", FREE_TEXT, *sorted(BAD_KINDS)]},
        "wrong_answers": tally.mismatches, "wrong_answer_examples": tally.examples,
        "urgencies": dict(tally.urgencies),
        "values_never_sent": sorted(vocabulary_values() - tally.values_sent),
        "client": {"connections_opened": client.connections_opened, "retries": client.retries,
                   "retries_after_status": dict(client.retries_after_status),
                   "closed_by_server": client.closed_by_server, "unanswered": client.errors},
        "workers": {"count": WORKERS, "booted": log.booted, "autorestarts": log.autorestarts,
                    "responses": dict(log.responses_by_worker)},
        "engine": {"exit_stats": log.engine_stats,
                   "advice_200_by_worker": dict(log.advice_200_by_worker)},
        "rss_kib": checks.rss_report(rss_after, tally.rss_checkpoint, rss_end),
        "server_trouble": log.trouble,
    }
    report["failures"] = checks.failures(report, tally.by_kind["valid", 200], log)
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--settings", choices=["both", *SETTINGS], default="both")
    parser.add_argument("--json", type=Path, help="write the full report here")
    parser.add_argument("--log-dir", type=Path, default=REPO_ROOT / "test-artifacts")
    parser.add_argument("--gunicorn-args", default="",
                        help="extra gunicorn options, applied over the settings' own")
    args = parser.parse_args(argv)
    args.log_dir.mkdir(parents=True, exist_ok=True)
    command = " ".join(["python -m bench.soak", *(sys.argv[1:] if argv is None else argv)])
    result = {"command": command, "machine": machine(), "runs": []}
    print(f"soak: {command}; machine {result['machine']}", flush=True)
    for settings in ["no-recycle", "production"] if args.settings == "both" else [args.settings]:
        log_path = args.log_dir / f"soak-{settings}.log"
        log_path.unlink(missing_ok=True)
        print(f"soak: {args.requests:,} requests, settings {settings}, log {log_path}", flush=True)
        extra_env = {"GUNICORN_CMD_ARGS": args.gunicorn_args} if args.gunicorn_args else None
        report = run_soak(args.requests, log_path, settings=settings, seed=args.seed,
                          connections=args.connections, extra_env=extra_env)
        print(checks.summary(report), flush=True)
        result["runs"].append(report)
    result["ok"] = not any(run["failures"] for run in result["runs"])
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=2) + "\n")
    print("soak: every invariant holds" if result["ok"] else "soak: FAILED", flush=True)
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
