"""Performance figures of the service, as one markdown table: ``make bench`` (~4 min), or --quick.

``python -m bench.perf [--quick] [--json test-artifacts/bench.json]`` measures, in one run
(``--smoke``: the in-process part only, a few calls per figure, to prove the harness runs):

* **In process** (bench/perf_inprocess.py): µs per evaluation of three reference profiles, the
  engine alone, ``Advisor.advise`` and a Flask test-client request (uncached and cache hit when
  the app keeps an answer cache); and the free-text parser (bench/perf_free_text.py): p50 and
  p99 of a parse of 1,000 characters, its memory, and growth over 100,000 calls.
* **HTTP** (bench/perf_http.py): wrk against gunicorn started with gunicorn.conf.py, as
  ``make run`` does (2 gevent workers, service/server/): ``GET /healthz``; ``POST /v1/advice``
  with diverse traffic (``--diverse``, 20,000 distinct random intake-like profiles: a few values
  of each field, any value of the v1.1 vocabulary; far more than the answer cache holds, so
  nearly every request is new to it, as real intake traffic is), rotating through a replayed
  mixed set of distinct valid profiles (tests/support/profiles.py), and through the three
  reference profiles; req/s, p50 and p99 latency, the answer cache's hit rate (from
  ``/metrics``), advice/healthz. The same mixed set against a 1-worker server gives the
  scaling ratio, and, when the service has an answer cache (a ``*CACHE_SIZE`` setting in
  service/config.py), against servers with it at 0 as well: the advice path every request
  takes when its profile is new.
* **Server CPU per request** (bench/perf_cpu.py): µs of a 1-worker server's CPU per ``GET
  /healthz``, per ``POST /v1/advice`` of the replayed mixed set (answer cache hits) and per
  diverse one (misses), sent one at a time without wrk, and the ratios: the cost ratios behind
  the req/s ratios, whatever share of the cores wrk takes.
* **Start-up**: seconds from launching gunicorn to its first 200 on ``/readyz``, and worker
  memory (RSS) after a warm-up and after ``--rss-after`` advice requests.
* **Worst bodies** (bench/perf_worst.py): µs per request of each worst body that fits in
  64 KiB (tests/support/worst_bodies.py), its ratio to a normal advice request, and the size of
  its answer.

All servers run side by side and each round of wrk runs visits all of them in turn, so a burst
of load from other jobs on this shared machine lands in one run of each figure, not in all runs
of one; every figure is the median over rounds. Worker recycling (``max_requests``) is off by
default (``--max-requests 0``, applied over the config file, as bench/soak.py does): a worker
restart would land in one run and not another, and the memory figures need the same workers
throughout; ``--recycling`` keeps the production setting.

Figures are reported, never judged: the exit status is 1 only when the measurement itself went
wrong (an error status or socket error in a wrk run, trouble in a server log). The table goes to
stdout, the whole report to ``--json``, gunicorn's logs and the wrk scripts to ``--log-dir``.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import os
import random
import re
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench import perf_cpu, perf_free_text, perf_http
from bench.perf_inprocess import REFERENCE_PROFILES, measure_in_process, quiet_service_log
from bench.perf_worst import measure_worst
from bench.perf_worst import rows as worst_rows
from tests.support.gunicorn import REPO_ROOT, running_gunicorn
from tests.support.metrics import samples, value
from tests.support.observe import gunicorn_settings, machine, read_log, sample_rss
from tests.support.profiles import intake_profile, valid_profile

JSON = "application/json"
CACHE_LOOKUPS = "leg_cramps_advice_answer_cache_lookups_total"
NO_RECYCLING = {"GUNICORN_CMD_ARGS": "--max-requests 0"}
FULL = {"iterations": 200, "repeats": 5, "warmup": 50, "startups": 3, "rounds": 3,
        "duration": 10.0, "server_warmup": 2.0, "rss_after": 50_000, "cpu_requests": 2_000,
        "free_text_calls": 100_000, "free_text_timed": 5_000}
SMOKE = {"iterations": 2, "repeats": 1, "warmup": 1, "startups": 0, "rounds": 0,
         "duration": 0.0, "server_warmup": 0.0, "rss_after": 0, "cpu_requests": 0,
         "free_text_calls": 20, "free_text_timed": 20}
QUICK = {"iterations": 30, "repeats": 3, "warmup": 10, "startups": 1, "rounds": 1,
         "duration": 2.0, "server_warmup": 1.0, "rss_after": 0, "cpu_requests": 300,
         "free_text_calls": 5_000, "free_text_timed": 1_000}


@dataclass
class Target:
    """One gunicorn under test, and what has been sent to it."""

    name: str
    workers: int
    env: dict[str, str]
    server: object = None
    advice_requests: int = 0
    runs: dict[str, list[dict]] = field(default_factory=dict)
    rss_kib: dict[str, dict] = field(default_factory=dict)

    @property
    def log_name(self) -> str:
        return f"bench-{re.sub(r'[^a-z0-9]+', '-', self.name)}.log"


# --- profiles ------------------------------------------------------------------------------------

def distinct_bodies(generate, count: int, seed: str) -> list[bytes]:
    """``count`` distinct profiles drawn with ``generate(rng)`` (tests/support/profiles.py:
    ``valid_profile`` of every shape, or ``intake_profile``), as bodies."""
    bodies: dict[str, None] = {}
    rng = random.Random(seed)
    while len(bodies) < count:
        bodies[json.dumps(generate(rng), sort_keys=True)] = None
    return [body.encode() for body in bodies]


def check_bodies(app, bodies: list[bytes]) -> None:
    """Every body must get a 200, or the HTTP figures would time error answers."""
    client = app.test_client()
    with quiet_service_log():
        answers = [(body, client.post("/v1/advice", data=body, content_type=JSON))
                   for body in bodies]
    for body, response in answers:
        if response.status_code != 200:
            raise SystemExit(f"bench: a profile of the set got {response.status_code}: {body!r}")


def in_process(app, knobs: dict) -> dict:
    """The in-process figures of the three reference profiles (tests/unit runs this, tiny)."""
    return measure_in_process(app, iterations=knobs["iterations"], repeats=knobs["repeats"],
                              warmup=knobs["warmup"])


def cache_settings() -> dict[str, str]:
    """``{setting: "0"}`` for each answer cache the service has (read from the environment)."""
    from service.config import defaults

    return {key: "0" for key in defaults() if key.endswith("CACHE_SIZE")}


# --- HTTP phase ----------------------------------------------------------------------------------

def _cache_lookups(target: Target) -> dict[str, float]:
    """The answer cache's lookups so far, summed over the target's workers (GET /metrics)."""
    scraped = samples(target.server.request("GET", "/metrics").body.decode())
    return {result: value(scraped, CACHE_LOOKUPS, result=result) for result in ("hit", "miss")}


def _wrk(target: Target, kind: str, script: Path, seconds: float, args) -> dict:
    """One wrk run against ``target``, kept in ``target.runs[kind]`` (warm-ups included); an
    advice run also counts the answer cache's hits and misses it caused."""
    healthz = kind.startswith("healthz")
    before = None if healthz else _cache_lookups(target)
    run = perf_http.run_wrk(target.server.base_url + ("/healthz" if healthz else "/v1/advice"),
                            script, seconds=seconds, connections=args.connections,
                            threads=args.threads)
    if not healthz:
        after = _cache_lookups(target)
        run["cache"] = {result: int(after[result] - before[result]) for result in after}
        target.advice_requests += run["requests"]
    run["load_average"] = round(os.getloadavg()[0], 2)
    target.runs.setdefault(kind, []).append(run)
    return run


def http_phase(targets: list[Target], scripts: dict[str, Path], plan: list[tuple[str, str]],
               knobs: dict, args, log_dir: Path, diverse: list[bytes],
               replayed: list[bytes]) -> dict:
    """Start every target, warm each up, then ``rounds`` rounds of ``plan`` (target, kind);
    then return the server CPU per request of the 1-worker target (bench/perf_cpu.py)."""
    by_name = {target.name: target for target in targets}
    with contextlib.ExitStack() as stack:
        for target in targets:
            log_path = log_dir / target.log_name
            log_path.unlink(missing_ok=True)
            print(f"bench: starting gunicorn '{target.name}' ({target.workers} worker(s), "
                  f"extra environment {target.env}), log {log_path}", flush=True)
            target.server = stack.enter_context(
                running_gunicorn(log_path, workers=target.workers, extra_env=target.env))
        for target in targets:
            _wrk(target, "warm-up", scripts["mixed"], knobs["server_warmup"], args)
            if target.name == "main":
                _wrk(target, "healthz warm-up", scripts["healthz"], knobs["server_warmup"] / 2,
                     args)
            target.rss_kib["after_warmup"] = {"advice_requests": target.advice_requests,
                                              "workers": sample_rss(target.server.process.pid)}
        for round_number in range(1, knobs["rounds"] + 1):
            for name, kind in plan:
                target = by_name[name]
                run = _wrk(target, kind, scripts[kind], knobs["duration"], args)
                print(f"bench: round {round_number}, {name}, {kind}: "
                      f"{run['requests_per_second']:,.0f} req/s, p50 {run['latency_ms']['p50']} "
                      f"ms, p99 {run['latency_ms']['p99']} ms"
                      + (f", ERRORS {run['errors']}" if run["errors"] else ""), flush=True)
        cpu, rounds = {}, max(1, knobs["rounds"])
        count = min(knobs["cpu_requests"], len(diverse) // rounds)  # a fresh slice each round
        if count and "1 worker" in by_name:
            cpu = perf_cpu.measure(by_name["1 worker"].server, diverse, count, rounds, replayed)
            print(f"bench: server CPU per request, 1 worker: healthz {cpu['healthz_us']:,} µs, "
                  f"replayed advice {cpu['replayed_us']:,} µs, "
                  f"diverse advice {cpu['diverse_us']:,} µs", flush=True)
        for target in targets:
            if target.name == "main" and knobs["rss_after"]:
                _top_up(target, scripts["mixed"], knobs["rss_after"], args)
            target.rss_kib["end"] = {"advice_requests": target.advice_requests,
                                     "workers": sample_rss(target.server.process.pid)}
    return cpu


def _top_up(target: Target, script: Path, wanted: int, args) -> None:
    """More of the mixed set until ``target`` has had ``wanted`` advice requests."""
    while target.advice_requests < wanted:
        rate = statistics.median(run["requests_per_second"] for run in target.runs["mixed"])
        seconds = min(120.0, max(1.0, (wanted - target.advice_requests) / rate + 0.5))
        print(f"bench: {target.name}: {seconds:.0f} s more of the mixed set, to reach "
              f"{wanted:,} advice requests before reading memory", flush=True)
        _wrk(target, "top-up", script, seconds, args)


def summarise_runs(runs: list[dict]) -> dict:
    rates = [run["requests_per_second"] for run in runs]
    lookups = [run["cache"] for run in runs if "cache" in run]
    hits, total = sum(c["hit"] for c in lookups), sum(c["hit"] + c["miss"] for c in lookups)
    return {
        "cache_hit_rate": round(hits / total, 4) if total else None,
        "requests_per_second": round(statistics.median(rates)),
        "p50_ms": round(statistics.median(run["latency_ms"]["p50"] for run in runs), 2),
        "p99_ms": round(statistics.median(run["latency_ms"]["p99"] for run in runs), 2),
        "runs_requests_per_second": [round(rate) for rate in rates],
        "errors": [run["errors"] for run in runs if run["errors"]],
    }


# --- the table -----------------------------------------------------------------------------------

def _spread(values, unit: str, digits: int = 0) -> str:
    low, high = min(values), max(values)
    return f"{low:,.{digits}f}–{high:,.{digits}f} {unit}" if len(values) > 1 else "one run"


def _mib(kib_by_pid: dict) -> str:
    return " + ".join(f"{kib / 1024:.1f}" for _, kib in sorted(kib_by_pid.items())) + " MiB"


def table(report: dict) -> str:
    """The markdown table of every figure, with a caption line saying how it was measured."""
    rows = [("| measurement | median | detail (medians) | spread of runs |"),
            "|---|---|---|---|"]
    for profile, ways in report["in_process"]["profiles"].items():
        for way, f in ways.items():
            rows.append(f"| {way}: {profile} | {f['median_us']:,.0f} µs | p90 {f['p90_us']:,.0f}"
                        f" µs | {_spread(f['round_medians_us'], 'µs')} |")
    if "free_text" in report:
        ft = report["free_text"]
        parse, growth = ft["parse_1000_chars_us"], ft["growth"]
        rows.append(f"| free-text parse of 1,000 characters | {parse['p50']:,} µs | p99 "
                    f"{parse['p99']:,} µs; CPU p50 {parse['cpu_p50']:,} µs, p99 "
                    f"{parse['cpu_p99']:,} µs | {parse['calls']:,} texts |")
        rows.append(f"| free-text parser memory, growth | {ft['parser_traced_kib']:,} KiB | RSS "
                    f"{growth['rss_kib_after_1000']:,} → {growth['rss_kib_at_end']:,} KiB over "
                    f"{growth['calls']:,} calls | traced {growth['traced_kib_after_1000']:,} → "
                    f"{growth['traced_kib_at_end']:,} KiB |")
    http = report["http"]
    for key, label in HTTP_ROWS:
        if key in http:
            h = http[key]
            hits = ("" if h.get("cache_hit_rate") is None
                    else f", answer cache hits {h['cache_hit_rate']:.1%}")
            rows.append(f"| {label} | {h['requests_per_second']:,} req/s | p50 {h['p50_ms']} ms,"
                        f" p99 {h['p99_ms']} ms{hits} | "
                        f"{_spread(h['runs_requests_per_second'], 'req/s')} |")
    cpu = report.get("server_cpu")
    if cpu:
        for key, label in CPU_ROWS:
            if key not in cpu:
                continue
            rows.append(f"| server CPU per request, 1 worker, one at a time: {label} | "
                        f"{cpu[key]:,} µs | {cpu['requests']:,} requests a run, worker CPU from "
                        f"/proc | {_spread([run[key] for run in cpu['runs']], 'µs')} |")
    rows += worst_rows(report.get("worst_bodies", {}))
    for key, label in RATIO_ROWS:
        if key in report["ratios"]:
            rows.append(f"| {label} | {report['ratios'][key]:.2f} | ratio of the medians | |")
    for key, label in CPU_RATIO_ROWS:
        if key in (cpu or {}):
            rows.append(f"| server CPU per request: {label} | {cpu[key]:.2f} | the same ratio by "
                        "CPU, without wrk | |")
    startups = report["startup"]
    first = [run["first_readyz_200_s"] for run in startups if run["first_readyz_200_s"]]
    every = [run["all_workers_ready_s"] for run in startups]
    if first:
        rows.append(f"| start-up: launch to first 200 on /readyz (2 workers) | "
                    f"{statistics.median(first):.2f} s | every worker ready "
                    f"{statistics.median(every):.2f} s (polled every 0.1 s) | "
                    f"{_spread(first, 's', 2)} |")
    for name, memory in report["rss_kib"].items():
        for moment, sample in memory.items():
            what = ("after warm-up" if moment == "after_warmup" else
                    f"after {sample['advice_requests']:,} advice requests")
            rows.append(f"| worker RSS, {name}, {what} | "
                        f"{statistics.median(sample['workers'].values()) / 1024:.1f} MiB | "
                        f"per worker {_mib(sample['workers'])} | |")
    return caption(report) + "\n\n" + "\n".join(rows)


def caption(report: dict) -> str:
    """One line before the table: when, what code, what machine, how it was measured."""
    s, conf, cpu = report["settings"], report["gunicorn"], report["machine"]
    runs = f"{s['rounds']} run{'s' if s['rounds'] > 1 else ''} of {s['duration']:g} s"
    return (f"`make bench`{' --quick' if s['quick'] else ''}, {report['date']}, commit "
            f"{report['commit']}; {cpu['cpus']} CPUs shared with other jobs (load average "
            f"{cpu['load_average_at_start'][0]:.1f} at start, "
            f"{report['load_average_at_end'][0]:.1f} at the end). In process: median of "
            f"{s['repeats']} rounds of {s['iterations']} calls. HTTP: gunicorn.conf.py "
            f"({conf['worker_class']}, up to {conf['worker_connections']} connections per "
            f"worker, recycling {'as configured' if s['recycling'] else 'off'}), "
            f"{report['wrk']} on the same "
            f"machine, {s['threads']} threads, {s['connections']} connections, median of {runs};"
            f" mixed set: {s['profiles']} distinct valid profiles.")


HTTP_ROWS = [
    ("healthz", "GET /healthz, 2 workers"),
    ("diverse", "POST /v1/advice, diverse: a new random profile per request, 2 workers"),
    ("mixed", "POST /v1/advice, mixed set, 2 workers"),
    ("reference", "POST /v1/advice, 3 reference profiles, 2 workers"),
    ("mixed, cache off", "POST /v1/advice, mixed set, answer cache off, 2 workers"),
    ("mixed, 1 worker", "POST /v1/advice, mixed set, 1 worker"),
    ("mixed, cache off, 1 worker", "POST /v1/advice, mixed set, answer cache off, 1 worker"),
]
RATIO_ROWS = [
    ("diverse_over_healthz", "advice (diverse) / healthz, req/s"),
    ("advice_over_healthz", "advice (mixed set) / healthz, req/s"),
    ("advice_cache_off_over_healthz", "advice (mixed set, cache off) / healthz, req/s"),
    ("two_workers_over_one", "scaling: 2 workers / 1 worker, advice (mixed set)"),
    ("two_workers_over_one_cache_off", "scaling: 2 workers / 1 worker, advice, cache off"),
]
CPU_ROWS = [
    ("healthz_us", "GET /healthz"),
    ("replayed_us", "POST /v1/advice, mixed set replayed (answer cache hits)"),
    ("diverse_us", "POST /v1/advice, diverse (answer cache misses)"),
]
CPU_RATIO_ROWS = [
    ("healthz_over_diverse", "healthz / diverse advice"),
    ("healthz_over_replayed", "healthz / replayed advice"),
]


# --- the run -------------------------------------------------------------------------------------

def _commit() -> str:
    def git(*command):
        return subprocess.run(["git", *command], cwd=REPO_ROOT, capture_output=True, text=True,
                              check=False).stdout.strip()

    sha = git("rev-parse", "--short", "HEAD") or "unknown"
    return sha + (" with uncommitted changes" if git("status", "--porcelain") else "")


def _server_problems(targets: list[Target], log_dir: Path) -> tuple[list[str], dict]:
    problems, engines = [], {}
    for target in targets:
        log = read_log(log_dir / target.log_name)  # gunicorn has stopped: exit stats are in
        engines[target.name] = {"booted": log.booted, "autorestarts": log.autorestarts,
                                "exit_stats": log.engine_stats,
                                "advice_200_by_worker": dict(log.advice_200_by_worker)}
        problems += [f"{target.name}: server log: {line}" for line in log.trouble]
        for kind, runs in target.runs.items():
            problems += [f"{target.name}: {kind}: wrk errors {run['errors']}"
                         for run in runs if run["errors"]]
    return problems, engines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a short run of about 30 s")
    parser.add_argument("--smoke", action="store_true",
                        help="the in-process part only, a few calls per figure, no wrk")
    parser.add_argument("--json", type=Path, default=REPO_ROOT / "test-artifacts" / "bench.json")
    parser.add_argument("--log-dir", type=Path, default=REPO_ROOT / "test-artifacts")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--profiles", type=int, default=100, help="size of the mixed set")
    parser.add_argument("--diverse", type=int, default=20_000,
                        help="distinct random profiles of the diverse run (far more than the "
                             "answer cache holds, so nearly every request is new to it)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rounds", type=int, help="HTTP rounds (default 3, quick 1)")
    parser.add_argument("--duration", type=float, help="seconds per wrk run (10, quick 2)")
    parser.add_argument("--rss-after", type=int, help="advice requests before the last RSS")
    parser.add_argument("--recycling", action="store_true",
                        help="keep gunicorn.conf.py's max_requests (default: recycling off)")
    args = parser.parse_args(argv)
    knobs = dict(SMOKE if args.smoke else QUICK if args.quick else FULL)
    for name in ("rounds", "duration", "rss_after"):
        if getattr(args, name) is not None:
            knobs[name] = getattr(args, name)
    wrk = None if args.smoke else perf_http.wrk_version()  # fails now if wrk is missing
    args.log_dir.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    command = " ".join(["python -m bench.perf", *(sys.argv[1:] if argv is None else argv)])
    report: dict = {
        "command": command, "date": datetime.date.today().isoformat(), "commit": _commit(),
        "machine": machine(), "wrk": wrk,
        "settings": {**knobs, "quick": args.quick, "smoke": args.smoke,
                     "connections": args.connections,
                     "threads": args.threads, "profiles": args.profiles, "seed": args.seed,
                     "recycling": args.recycling},
        "reference_profiles": REFERENCE_PROFILES,
    }
    print(f"bench: {command}; machine {report['machine']}", flush=True)

    from service import create_app

    app = create_app()
    print(f"bench: in process, {knobs['repeats']} rounds of {knobs['iterations']} calls per "
          "figure", flush=True)
    report["in_process"] = in_process(app, knobs)
    print(f"bench: the free-text parser in process, {knobs['free_text_calls']:,} calls",
          flush=True)
    report["free_text"] = perf_free_text.measure(knobs["free_text_calls"],
                                                 knobs["free_text_timed"],
                                                 min(10_000, knobs["free_text_calls"]))
    print("bench: worst bodies against a normal request, in process", flush=True)
    # CDS client authentication off: the worst bodies measure what reading a body costs, which
    # a CDS call reaches only with a trusted client's token.
    report["worst_bodies"] = measure_worst(create_app({"ANSWER_CACHE_SIZE": 0,
                                                       "CDS_HOOKS_AUTH": "off"}),
                                           iterations=max(5, knobs["iterations"] // 10),
                                           repeats=knobs["repeats"])
    mixed = distinct_bodies(valid_profile, args.profiles, f"perf:{args.seed}")
    reference = [json.dumps(profile).encode() for profile in REFERENCE_PROFILES.values()]
    diverse = ([] if args.smoke else
               distinct_bodies(intake_profile, args.diverse, f"perf-intake:{args.seed}"))
    check_bodies(app, mixed + reference + diverse[:500])
    if args.smoke:
        return _write(report, args.json, started)

    base_env = {} if args.recycling else dict(NO_RECYCLING)
    report["gunicorn"] = gunicorn_settings(base_env)
    report["startup"] = []
    for number in range(knobs["startups"]):
        run = perf_http.startup_seconds(args.log_dir / "bench-startup.log", 2, base_env)
        print(f"bench: start-up {number + 1}: {run}", flush=True)
        report["startup"].append(run)

    no_cache = cache_settings()
    targets = [Target("main", 2, base_env), Target("1 worker", 1, base_env)]
    plan = [("main", "healthz"), ("main", "diverse"), ("main", "mixed"), ("main", "reference"),
            ("1 worker", "mixed")]
    if no_cache:
        targets += [Target("main, cache off", 2, {**base_env, **no_cache}),
                    Target("1 worker, cache off", 1, {**base_env, **no_cache})]
        plan += [("main, cache off", "mixed"), ("1 worker, cache off", "mixed")]
    scripts = {
        "healthz": perf_http.write_get_script(args.log_dir / "bench-healthz.lua"),
        "mixed": perf_http.write_post_script(args.log_dir / "bench-mixed.lua", "/v1/advice",
                                             mixed),
        "reference": perf_http.write_post_script(args.log_dir / "bench-reference.lua",
                                                 "/v1/advice", reference),
        "diverse": perf_http.write_post_script(args.log_dir / "bench-diverse.lua", "/v1/advice",
                                               diverse),
    }
    report["server_cpu"] = http_phase(targets, scripts, plan, knobs, args, args.log_dir,
                                      diverse, mixed)

    by_name = {target.name: target for target in targets}
    http = {"healthz": summarise_runs(by_name["main"].runs["healthz"]),
            "diverse": summarise_runs(by_name["main"].runs["diverse"]),
            "mixed": summarise_runs(by_name["main"].runs["mixed"]),
            "reference": summarise_runs(by_name["main"].runs["reference"]),
            "mixed, 1 worker": summarise_runs(by_name["1 worker"].runs["mixed"])}
    if no_cache:
        http["mixed, cache off"] = summarise_runs(by_name["main, cache off"].runs["mixed"])
        http["mixed, cache off, 1 worker"] = summarise_runs(
            by_name["1 worker, cache off"].runs["mixed"])
    rate = {key: value["requests_per_second"] for key, value in http.items()}
    ratios = {"diverse_over_healthz": rate["diverse"] / rate["healthz"],
              "advice_over_healthz": rate["mixed"] / rate["healthz"],
              "two_workers_over_one": rate["mixed"] / rate["mixed, 1 worker"]}
    if no_cache:
        ratios["advice_cache_off_over_healthz"] = rate["mixed, cache off"] / rate["healthz"]
        ratios["two_workers_over_one_cache_off"] = (rate["mixed, cache off"]
                                                    / rate["mixed, cache off, 1 worker"])
    report["http"] = http
    report["ratios"] = {key: round(value, 3) for key, value in ratios.items()}
    report["answer_cache_off_env"] = no_cache
    report["rss_kib"] = {target.name: target.rss_kib for target in targets
                         if target.name in ("main", "main, cache off")}
    report["http_runs"] = {target.name: target.runs for target in targets}
    report["problems"], report["servers"] = _server_problems(targets, args.log_dir)
    report["seconds"] = round(time.monotonic() - started, 1)
    report["load_average_at_end"] = os.getloadavg()
    report["table"] = table(report)

    print("\n" + report["table"] + "\n", flush=True)
    for problem in report["problems"]:
        print(f"bench: PROBLEM: {problem}", flush=True)
    return _write(report, args.json, started)


def _write(report: dict, path: Path, started: float) -> int:
    """Write the report; 1 if the measurement went wrong, else 0."""
    report.setdefault("seconds", round(time.monotonic() - started, 1))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    print(f"bench: {report['seconds']} s; report in {path}", flush=True)
    return 1 if report.get("problems") else 0


if __name__ == "__main__":
    sys.exit(main())
