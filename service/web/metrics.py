"""The service's Prometheus metrics: what is counted, how it is recorded, how it is exposed.

Under gunicorn each worker is a process of its own, with counters of its own, and a scrape of
``/metrics`` reaches one worker at random. prometheus_client's multiprocess mode solves this:
with ``PROMETHEUS_MULTIPROC_DIR`` set when prometheus_client is first imported, every worker
writes its values to memory-mapped files of that directory, and the worker that answers a
scrape sums the files of all workers, those that have exited included (their requests
happened). ``gunicorn.conf.py`` sets the directory before any worker starts, empties it at
start-up, drops an exited worker's live gauge and folds its counters into one archive file.
Without the variable (tests, ``flask run``) the values live in this process only.

Labels are bounded: the route is the URL rule (``/docs/<asset>``), never the raw path, and
``unmatched`` for a path no rule matches; rule ids and urgencies come from the knowledge base
and the contract. No label carries anything a person sent.

Metrics never cost an answer. A process that cannot write its metrics files (a full file
system: service/web/metrics_files.py) logs it once and records nothing more; it keeps serving,
``/readyz`` says ``"metrics": "degraded"`` and every scrape ``metrics_degraded 1``, on every
worker, until the server restarts.
"""

import fcntl
import os

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
#: prometheus_client chose multiprocess mode at its import, by this same test.
MULTIPROCESS = MULTIPROC_DIR_ENV in os.environ
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
values.MmapedDict = metrics_files.ReservedMmapedDict
degraded = metrics_files.degraded

#: This process's metrics only: no process or GC collectors, which multiprocess mode lacks, so
#: a scrape shows the same families with or without gunicorn.
REGISTRY = CollectorRegistry()

REQUESTS = Counter(
    PREFIX + "http_requests", "HTTP requests answered, by route (URL rule) and status.",
    ["route", "status"], registry=REGISTRY)
LATENCY = Histogram(
    PREFIX + "http_request_duration_seconds",
    "Time from the first request hook to the response, by route (URL rule).",
    ["route"], buckets=LATENCY_BUCKETS, registry=REGISTRY)
RULES_FIRED = Counter(
    PREFIX + "rules_fired", "Rules that fired in the answers given, by rule id.",
    ["rule"], registry=REGISTRY)
URGENCY = Counter(
    PREFIX + "answers", "Answers given (advice or CDS cards), by urgency.",
    ["urgency"], registry=REGISTRY)
ANSWER_CACHE = Counter(
    PREFIX + "answer_cache_lookups",
    "Lookups of POST /v1/advice's answer cache, by result (hit or miss); the hit rate is "
    "hit / (hit + miss). With the cache off (ANSWER_CACHE_SIZE=0) every lookup is a miss.",
    ["result"], registry=REGISTRY)
try:  # a gauge without labels writes its file as it is made
    OPEN_SESSIONS = Gauge(
        PREFIX + "engine_open_sessions",
        "Rule engine sessions open after the last evaluation, summed over live workers: "
        "anything but 0 is a leaked session.",
        multiprocess_mode="livesum", registry=REGISTRY)
except OSError as error:
    OPEN_SESSIONS = None  # never used: the process records no metrics (metrics_files.recorded)
    metrics_files.degrade(error)


class _Degraded:
    """``metrics_degraded``: 1 once a process of this server could not write its metrics."""

    def collect(self):
        yield GaugeMetricFamily(
            PREFIX + "metrics_degraded",
            "1 when a process of this server could not write its metrics files (a full file "
            "system) since it started: the counts miss what it served since.",
            value=float(degraded()))


REGISTRY.register(_Degraded())


_RULE_COUNTERS: dict = {}
_REQUEST_CHILDREN: dict = {}
CACHE_RESULTS = ("hit", "miss")
_CACHE_COUNTERS: dict = {}  # filled as the rules' counters are: a child writes its file


@metrics_files.recorded
def prepare(rule_ids) -> None:
    """Show every urgency and every rule from the start, at 0: a rule that never fires shows."""
    for urgency in URGENCIES:
        URGENCY.labels(urgency)
    for result in CACHE_RESULTS:
        ANSWER_CACHE.labels(result)
    for rule_id in rule_ids:
        RULES_FIRED.labels(rule_id)


@metrics_files.recorded
def observe_request(route: str | None, status: int, seconds: float) -> None:
    """Count one answered request of ``route`` (None: no rule matched) and its duration.

    The children are kept by route and status, as the rules' counters are, rather than looked up
    through ``labels()`` on every request; routes are the app's URL rules, so they are few.
    """
    children = _REQUEST_CHILDREN.get((route, status))
    if children is None:
        label = route or UNMATCHED
        children = _REQUEST_CHILDREN[route, status] = (
            REQUESTS.labels(label, str(status)), LATENCY.labels(label))
    children[0].inc()
    children[1].observe(seconds)


@metrics_files.recorded
def observe_answer(urgency: str, rules) -> None:
    """Count an answer's urgency and each rule of its trace: one increment per fired rule.

    The rules' counters are looked up in a plain dict rather than through ``labels()``, which
    takes a lock and builds a key on every call: an answer fires a dozen rules or more.
    """
    URGENCY.labels(urgency).inc()
    children = _RULE_COUNTERS
    for rule_id in rules:
        counter = children.get(rule_id)
        if counter is None:
            counter = children[rule_id] = RULES_FIRED.labels(rule_id)
        counter.inc()


@metrics_files.recorded
def observe_cache_lookup(hit: bool) -> None:
    """Count one lookup of the answer cache."""
    counter = _CACHE_COUNTERS.get(hit)
    if counter is None:
        counter = _CACHE_COUNTERS[hit] = ANSWER_CACHE.labels(CACHE_RESULTS[not hit])
    counter.inc()


@metrics_files.recorded
def observe_open_sessions(count: int) -> None:
    OPEN_SESSIONS.set(count)


def exposition() -> bytes:
    """The Prometheus text of every worker's metrics (multiprocess mode) or of this process's.

    In multiprocess mode the files are read under a shared lock: gunicorn.conf.py's child_exit
    folds an exited worker's files into an archive file under the exclusive lock, so a scrape
    never counts a worker twice, nor misses a file it listed.
    """
    if not MULTIPROCESS:
        return generate_latest(REGISTRY)
    directory = os.environ[MULTIPROC_DIR_ENV]
    with open(os.path.join(directory, LOCK_FILE), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_SH)
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry, directory)
        registry.register(_Degraded())
        return generate_latest(registry)
