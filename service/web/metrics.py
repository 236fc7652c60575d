"""The service's Prometheus metrics: what is counted, how it is recorded, how it is exposed.

Under gunicorn each worker is a process of its own, with counters of its own, and a scrape of
``/metrics`` reaches one worker at random. prometheus_client's multiprocess mode solves this:
with ``PROMETHEUS_MULTIPROC_DIR`` set when the series are made (:func:`series`), every worker
writes its values to memory-mapped files of that directory, and the worker that answers a
scrape sums the files of all workers, those that have exited included (their requests
happened). gunicorn's master makes the directory before any worker starts, emptied, and folds
an exited worker's counters into one archive file (metrics_files, metrics_fold, called by
gunicorn.conf.py's hooks). Without the variable (tests, ``flask run``) the values live in this
process only.

Labels are bounded: the route is the URL rule (``/docs/<asset>``), never the raw path, and
``unmatched`` for a path no rule matches; rule ids and urgencies come from the knowledge base
and the contract. No label carries anything a person sent.

Metrics never cost an answer. A process that cannot write its metrics files (a full file
system: service/web/metrics_files.py) logs it once and records nothing more; it keeps serving,
``/readyz`` says ``"metrics": "degraded"`` and every scrape ``metrics_degraded 1``, on every
worker, until the server restarts.
"""

import fcntl
import functools
import os
from collections.abc import Iterable, Iterator

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
    generate_latest,
    multiprocess,
    values,
)
from prometheus_client.core import GaugeMetricFamily

from service.contract.vocabulary import URGENCIES
from service.web import metrics_files

MULTIPROC_DIR_ENV = metrics_files.DIR_ENV
#: Held shared by a scrape, exclusively by the fold of an exited worker's files.
LOCK_FILE = metrics_files.LOCK_FILE
#: The classic text format, which every Prometheus reads (and prometheus_client's own default
#: when a scraper asks for nothing else).
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
PREFIX = "leg_cramps_advice_"
UNMATCHED = "unmatched"
#: Seconds. Most answers take about a millisecond; the long tail is a busy worker.
LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5)

# No ``*_created`` series: multiprocess mode has none, and a scrape should look the same without.
disable_created_metrics()
# Every file of this process's values, reserved before it is written (a library global: the
# library has no setting for it, and reads it each time it opens a file).
# (values imports the class without exporting it, which the type checker refuses to replace.)
values.MmapedDict = metrics_files.ReservedMmapedDict  # type: ignore[attr-defined]
degraded = metrics_files.degraded


class _Series:
    """This process's series, made once the mode is known (:func:`series`)."""

    def __init__(self) -> None:
        #: Whether every worker writes to files that a scrape sums (PROMETHEUS_MULTIPROC_DIR).
        self.multiprocess = MULTIPROC_DIR_ENV in os.environ
        #: This process's metrics only: no process or GC collectors, which multiprocess mode
        #: lacks, so a scrape shows the same families with or without gunicorn.
        self.registry = registry = CollectorRegistry()
        self.requests = Counter(
            PREFIX + "http_requests", "HTTP requests answered, by route (URL rule) and status.",
            ["route", "status"], registry=registry)
        self.latency = Histogram(
            PREFIX + "http_request_duration_seconds",
            "Time from the first request hook to the response, by route (URL rule).",
            ["route"], buckets=LATENCY_BUCKETS, registry=registry)
        self.rules_fired = Counter(
            PREFIX + "rules_fired", "Rules that fired in the answers given, by rule id.",
            ["rule"], registry=registry)
        self.urgency = Counter(
            PREFIX + "answers", "Answers given (advice or CDS cards), by urgency.",
            ["urgency"], registry=registry)
        self.answer_cache = Counter(
            PREFIX + "answer_cache_lookups",
            "Lookups of POST /v1/advice's answer cache, by result (hit or miss); the hit rate "
            "is hit / (hit + miss). With the cache off (ANSWER_CACHE_SIZE=0) every lookup is a "
            "miss.", ["result"], registry=registry)
        # A gauge without labels writes its file as it is made: on a full file system, not at
        # all (metrics_files.recorded then records nothing more).
        self.open_sessions: Gauge | None = None
        try:
            self.open_sessions = Gauge(
                PREFIX + "engine_open_sessions",
                "Rule engine sessions open after the last evaluation, summed over live "
                "workers: anything but 0 is a leaked session.",
                multiprocess_mode="livesum", registry=registry)
        except OSError as error:
            metrics_files.degrade(error)
        registry.register(_Degraded())
        #: Children kept by their labels, rather than looked up through ``labels()`` (a lock
        #: and a key each call) on every request: routes, rules and results are few.
        self.request_children: dict[tuple[str | None, int], tuple[Counter, Histogram]] = {}
        self.rule_counters: dict[str, Counter] = {}
        self.cache_counters: dict[bool, Counter] = {}


@functools.cache
def series() -> _Series:
    """This process's series, made at the first use.

    prometheus_client chose how to keep values (in memory, or in the files of
    PROMETHEUS_MULTIPROC_DIR) when it was first imported; it is asked again here, when the
    series are made, so no import order matters: gunicorn's master sets the directory in
    on_starting, and each worker makes its series after that.
    """
    values.ValueClass = values.get_value_class()
    return _Series()


class _Degraded:
    """``metrics_degraded``: 1 once a process of this server could not write its metrics."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        yield GaugeMetricFamily(
            PREFIX + "metrics_degraded",
            "1 when a process of this server could not write its metrics files (a full file "
            "system) since it started: the counts miss what it served since.",
            value=float(degraded()))


CACHE_RESULTS = ("hit", "miss")


@metrics_files.recorded
def prepare(rule_ids: Iterable[str]) -> None:
    """Show every urgency and every rule from the start, at 0: a rule that never fires shows."""
    made = series()
    for urgency in URGENCIES:
        made.urgency.labels(urgency)
    for result in CACHE_RESULTS:
        made.answer_cache.labels(result)
    for rule_id in rule_ids:
        made.rules_fired.labels(rule_id)


@metrics_files.recorded
def observe_request(route: str | None, status: int, seconds: float) -> None:
    """Count one answered request of ``route`` (None: no rule matched) and its duration.

    The children are kept by route and status, as the rules' counters are, rather than looked up
    through ``labels()`` on every request; routes are the app's URL rules, so they are few.
    """
    made = series()
    children = made.request_children.get((route, status))
    if children is None:
        label = route or UNMATCHED
        children = made.request_children[route, status] = (
            made.requests.labels(label, str(status)), made.latency.labels(label))
    children[0].inc()
    children[1].observe(seconds)


@metrics_files.recorded
def observe_answer(urgency: str, rules: Iterable[str]) -> None:
    """Count an answer's urgency and each rule of its trace: one increment per fired rule.

    The rules' counters are looked up in a plain dict rather than through ``labels()``, which
    takes a lock and builds a key on every call: an answer fires a dozen rules or more.
    """
    made = series()
    made.urgency.labels(urgency).inc()
    children = made.rule_counters
    for rule_id in rules:
        counter = children.get(rule_id)
        if counter is None:
            counter = children[rule_id] = made.rules_fired.labels(rule_id)
        counter.inc()


@metrics_files.recorded
def observe_cache_lookup(hit: bool) -> None:
    """Count one lookup of the answer cache."""
    made = series()
    counter = made.cache_counters.get(hit)
    if counter is None:
        counter = made.cache_counters[hit] = made.answer_cache.labels(CACHE_RESULTS[not hit])
    counter.inc()


@metrics_files.recorded
def observe_open_sessions(count: int) -> None:
    gauge = series().open_sessions
    if gauge is not None:
        gauge.set(count)


def exposition() -> bytes:
    """The Prometheus text of every worker's metrics (multiprocess mode) or of this process's.

    In multiprocess mode the files are read under a shared lock: gunicorn.conf.py's child_exit
    folds an exited worker's files into an archive file under the exclusive lock, so a scrape
    never counts a worker twice, nor misses a file it listed.
    """
    made = series()
    if not made.multiprocess:
        return generate_latest(made.registry)
    directory = os.environ[MULTIPROC_DIR_ENV]
    with open(os.path.join(directory, LOCK_FILE), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_SH)
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry, directory)
        registry.register(_Degraded())
        return generate_latest(registry)
