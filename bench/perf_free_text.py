"""The free-text parser in process: time per parse of 1,000 characters, memory, growth over calls.

``python -m bench.perf_free_text [--calls 100000] [--timed 5000]`` (also run by ``make bench``
through bench/perf.py) measures, in this process:

* **parse time**: ``parser.parse(text)`` of texts of exactly 1,000 characters (the contract's
  limit), each different, made of patient-like sentences; p50 and p99 of the single calls
  (``time.perf_counter_ns``), after a warm-up, and of the thread's CPU time
  (``time.thread_time_ns``), which the load of other jobs on a shared machine does not inflate;
* **memory of the parser**: what building it allocates and keeps (``tracemalloc``, after a
  collection), and the process's RSS before and after the build;
* **growth**: the RSS after ``--calls`` parses of varied texts (every other call a new text of
  1,000 characters), against the RSS after the first thousand, and the memory tracemalloc
  traces over ``--traced-calls`` more: both should stay flat, since the parser keeps nothing
  between calls.

Figures are printed as a markdown table and returned as a dict; nothing is judged.
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

from service.config import PROJECT_ROOT
from service.free_text import build_parser

LEXICON_DIR = PROJECT_ROOT / "rules" / "free_text"
_SENTENCES = [
    "my left calf cramps most nights for about {n} minutes, no swelling",
    "I'm {age} and on water tablets and ramipril",
    "both feet cramp twice a week, never smoked, not pregnant",
    "my mum had a clot after her hip op",
    "if it swells or goes red should I worry",
    "used to get them as a kid but now they are back, {n} to {m} mins",
    "thigh cramps after a {n} mile hike yesterday; dark pee like coke",
    "cramp in my toes right now as I type, had covid {n} years ago",
    "she's {age}, type 2 diabetes, on atorvastatin, feels exhausted",
    "no chest pain, no breathlessness, denies fever or neck stiffness",
]


def _rss_kib() -> int:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def text_of_1000(rng: random.Random) -> str:
    """A new patient-like text of exactly 1,000 characters."""
    parts: list[str] = []
    while sum(len(p) + 2 for p in parts) < 1000:
        template = rng.choice(_SENTENCES)
        parts.append(template.format(n=rng.randint(2, 40), m=rng.randint(41, 60),
                                     age=rng.randint(18, 95)))
    return ". ".join(parts)[:1000]


def _varied(rng: random.Random, number: int) -> str:
    """Every other call a new 1,000-character text, else one short sentence."""
    if number % 2:
        return text_of_1000(rng)
    return rng.choice(_SENTENCES).format(n=number % 97, m=number % 89, age=number % 100)


def measure(calls: int = 100_000, timed: int = 5_000, traced_calls: int = 10_000,
            seed: int = 1) -> dict:
    rng = random.Random(seed)
    gc.collect()
    rss_before = _rss_kib()
    tracemalloc.start()
    parser = build_parser(LEXICON_DIR)
    gc.collect()
    built_bytes = tracemalloc.get_traced_memory()[0]
    rss_built = _rss_kib()
    for _ in range(200):
        parser.parse(text_of_1000(rng))
    tracemalloc.stop()
    texts = [text_of_1000(rng) for _ in range(timed)]
    times, cpu = [], []
    for text in texts:
        start, start_cpu = time.perf_counter_ns(), time.thread_time_ns()
        parser.parse(text)
        cpu.append(time.thread_time_ns() - start_cpu)
        times.append(time.perf_counter_ns() - start)
    times.sort()
    cpu.sort()
    rss_after_1000 = 0
    for number in range(calls):  # untraced: tracemalloc would slow 100,000 calls fivefold
        parser.parse(_varied(rng, number))
        if number == min(999, calls - 1):
            gc.collect()
            rss_after_1000 = _rss_kib()
    gc.collect()
    rss_end = _rss_kib()
    tracemalloc.start()
    traced = []
    for number in range(traced_calls):
        parser.parse(_varied(rng, number))
        if number in (min(999, traced_calls - 1), traced_calls - 1):
            gc.collect()
            traced.append(tracemalloc.get_traced_memory()[0])
    tracemalloc.stop()
    return {
        "parse_1000_chars_us": {"p50": round(statistics.median(times) / 1000, 1),
                                "p99": round(times[int(len(times) * 0.99) - 1] / 1000, 1),
                                "calls": len(times),
                                "cpu_p50": round(statistics.median(cpu) / 1000, 1),
                                "cpu_p99": round(cpu[int(len(cpu) * 0.99) - 1] / 1000, 1)},
        "parser_traced_kib": round(built_bytes / 1024),
        "rss_kib": {"before_build": rss_before, "after_build": rss_built},
        "growth": {"calls": calls, "rss_kib_after_1000": rss_after_1000, "rss_kib_at_end": rss_end,
                   "traced_calls": traced_calls, "traced_kib_after_1000": round(traced[0] / 1024),
                   "traced_kib_at_end": round(traced[-1] / 1024)},
    }


def table(figures: dict) -> str:
    parse = figures["parse_1000_chars_us"]
    growth = figures["growth"]
    rss = figures["rss_kib"]
    return "\n".join([
        "| free-text parser (in process) | figure |", "|---|---|",
        f"| parse of 1,000 characters | p50 {parse['p50']:,} µs, p99 {parse['p99']:,} µs "
        f"({parse['calls']:,} texts) |",
        f"| its CPU time (this thread) | p50 {parse['cpu_p50']:,} µs, p99 {parse['cpu_p99']:,} µs "
        "|",
        f"| the parser's memory | {figures['parser_traced_kib']:,} KiB traced; RSS "
        f"{rss['before_build']:,} → {rss['after_build']:,} KiB |",
        f"| growth over {growth['calls']:,} calls | RSS {growth['rss_kib_after_1000']:,} → "
        f"{growth['rss_kib_at_end']:,} KiB (after 1,000 calls → at the end) |",
        f"| traced growth over {growth['traced_calls']:,} calls | "
        f"{growth['traced_kib_after_1000']:,} → {growth['traced_kib_at_end']:,} KiB |",
    ])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=100_000)
    parser.add_argument("--timed", type=int, default=5_000)
    parser.add_argument("--traced-calls", type=int, default=10_000)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    figures = measure(args.calls, args.timed, args.traced_calls)
    print(table(figures))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(figures, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
