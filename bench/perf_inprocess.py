"""In-process timings of the advice path: the engine alone, the advisor, a Flask test request.

Three reference profiles (``REFERENCE_PROFILES``), each timed three ways in this process:

* **engine only**: ``advisor.engine.evaluate(...)`` with exactly the arguments ``advise`` gives
  it. They are not rebuilt here: one ``advise`` call runs with a spy on the engine that records
  each call's arguments (a deep copy, taken before the engine touches the context), and every
  timed iteration replays them on a fresh deep copy of that context (copied outside the timing).
  So this follows whatever the advisor does, and bypasses any answer cache in front of the engine.
* **advise**: the whole advice logic, ``Advisor.advise(profile)``. If the advisor has an answer
  cache, the uncached figure comes from ``advise_uncached`` when it exists, else from clearing
  the cache before each call (outside the timing), and the cached figure is reported as well.
* **Flask**: ``POST /v1/advice`` through the Flask test client (body encoded once beforehand):
  routing, body parsing, validation, the advice, the response schema, the per-request log line
  (written to /dev/null meanwhile, so that its cost stays in and the terminal stays quiet).
  When the app keeps an answer cache (an ``app.extensions`` entry named ``*cache*``), twice: a
  cache hit (the same profile every call), and uncached (the cache cleared before each call if
  it has ``clear()``, else a twin app built with its ``*CACHE_SIZE`` settings at 0).

Each figure comes from ``repeats`` rounds of ``iterations`` calls after a warm-up, the rounds
interleaved across profiles and ways so that a burst of noise from other jobs spreads over all
of them. Per round: the median and the 90th percentile of the single calls
(``time.perf_counter_ns`` around each call); reported: the median over rounds of both, and the
spread of the round medians.
"""

from __future__ import annotations

import contextlib
import copy
import json
import logging
import os
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

from service.advice import Advisor
from service.contract.vocabulary import (
    ARRAY_FIELDS,
    BOOLEAN_FIELDS,
    ENUM_FIELDS,
    NUMBER_FIELDS,
    REQUEST_FIELDS,
)

_EVERY_FIELD_ENUMS = {"time_of_day": "night", "frequency": "weekly", "sex": "female"}
_EVERY_FIELD_NUMBERS = {"duration_minutes": 12, "pregnancy_trimester": 2, "age": 34}


def every_field_profile() -> dict:
    """Every request field set, every array full: pregnant (trimester 2), a smoker, cramping now."""
    profile: dict = {}
    for field in REQUEST_FIELDS:
        if field in ARRAY_FIELDS:
            profile[field] = list(ARRAY_FIELDS[field])
        elif field in ENUM_FIELDS:
            profile[field] = _EVERY_FIELD_ENUMS.get(field, ENUM_FIELDS[field][0])
        elif field in BOOLEAN_FIELDS:
            profile[field] = True
        elif field in NUMBER_FIELDS:
            profile[field] = _EVERY_FIELD_NUMBERS.get(field, NUMBER_FIELDS[field][1])
        else:
            raise ValueError(f"bench/perf_inprocess.py does not know how to fill {field!r}")
    return profile


REFERENCE_PROFILES = {
    "minimal": {"locations": ["calf"]},
    "typical night cramps": {"locations": ["calf"], "time_of_day": "night",
                             "frequency": "weekly", "duration_minutes": 4},
    "every field set": every_field_profile(),
}


@dataclass(frozen=True)
class Way:
    """One way of timing a profile: ``call`` is timed, ``prepare`` (if any) runs just before."""

    name: str
    how: str
    call: Callable[[], object]
    prepare: Callable[[], object] | None = None


def _answer_cache(advisor) -> tuple[Callable | None, Callable | None, str]:
    """``(uncached advise, cache clearer, how)`` for whatever answer cache the advisor has."""
    uncached = getattr(advisor, "advise_uncached", None)
    if callable(uncached):
        return uncached, None, "advisor.advise_uncached"
    clear = getattr(advisor.advise, "cache_clear", None)  # functools.lru_cache and the like
    if callable(clear):
        return advisor.advise, clear, "advisor.advise after advisor.advise.cache_clear()"
    for name, value in vars(advisor).items():
        clear = getattr(value, "clear", None)
        if "cache" in name.lower() and callable(clear):
            return advisor.advise, clear, f"advisor.advise after advisor.{name}.clear()"
    return None, None, "advisor.advise (the advisor has no answer cache)"


def _engine_calls(advisor, advise: Callable[[dict], object], profile: dict) -> list[tuple]:
    """The ``(args, kwargs)`` of every ``advisor.engine.evaluate`` call one advice makes."""
    engine, calls = advisor.engine, []
    evaluate = engine.evaluate

    def spy(*args, **kwargs):
        try:
            calls.append(copy.deepcopy((args, kwargs)))
        except TypeError as error:  # something in the context cannot be copied (a lock...)
            raise RuntimeError("cannot copy the arguments of engine.evaluate; bench/"
                               f"perf_inprocess.py needs another way to replay them: {error}"
                               ) from error
        return evaluate(*args, **kwargs)

    engine.evaluate = spy  # an instance attribute hides the method for this one call
    try:
        advise(profile)
    finally:
        del engine.evaluate
    if not calls:
        raise RuntimeError("advisor.advise did not call advisor.engine.evaluate: update "
                           "bench/perf_inprocess.py to time the engine the way advise now runs it")
    return calls


def _engine_way(advisor, advise: Callable[[dict], object], profile: dict) -> Way:
    templates = _engine_calls(advisor, advise, profile)
    evaluate, pending = advisor.engine.evaluate, []

    def prepare():
        pending[:] = [copy.deepcopy(call) for call in templates]

    def call():
        for args, kwargs in pending:
            evaluate(*args, **kwargs)

    calls = f"{len(templates)} call{'s' if len(templates) > 1 else ''}"
    return Way("engine only", f"advisor.engine.evaluate as advise calls it ({calls})",
               call, prepare)


def _answer_cache_off(app):
    """``(app without its HTTP answer cache, how)``, or ``(None, why)`` if it has none.

    A cache with a ``clear()`` is cleared before each timed request; otherwise a twin app is
    built with every ``*CACHE_SIZE`` setting at 0 (``ANSWER_CACHE_SIZE = 0`` turns it off).
    """
    # The app keeps its parts under their class (service/web/wiring.py), its extensions' by name.
    caches = {name: ext for name, ext in ((getattr(key, "__name__", key), value)
                                          for key, value in app.extensions.items())
              if "cache" in str(name).lower()}
    if not caches:
        return None, "the app has no answer cache"
    clears = [getattr(ext, "clear", None) for ext in caches.values()]
    if all(callable(clear) for clear in clears):
        return (app, lambda: [clear() for clear in clears]), \
            f"cleared before each request: {', '.join(caches)}"
    sizes = {key: 0 for key in app.config if key.endswith("CACHE_SIZE")}
    if not sizes:
        return None, f"no way found to bypass {', '.join(caches)}"
    if not any(app.config[key] for key in sizes):
        return None, f"the app runs with its answer cache off ({', '.join(sizes)} = 0)"
    from service import create_app

    return (create_app({**app.config, **sizes}), None), f"a twin app with {sizes}"


def _flask_way(app, name: str, how: str, profile: dict, prepare=None) -> Way:
    client, body = app.test_client(), json.dumps(profile).encode()

    def post():
        response = client.post("/v1/advice", data=body, content_type="application/json")
        if response.status_code != 200:
            raise RuntimeError(f"POST /v1/advice answered {response.status_code} for the "
                               f"reference profile {profile}: {response.get_data()[:300]!r}")

    return Way(name, how, post, prepare)


def ways_for(app, profile: dict, uncached_app=None) -> list[Way]:
    """The ways to time ``profile``: engine, advise (uncached, cached), Flask (both).

    ``uncached_app`` is ``_answer_cache_off(app)[0]``: ``(app, prepare)`` or None.
    """
    advisor = app.extensions[Advisor]
    uncached, clear, how = _answer_cache(advisor)
    advise = uncached or advisor.advise
    ways = [_engine_way(advisor, advise, profile),
            Way("advise", how, lambda: advise(profile), clear)]
    if uncached or clear:
        ways.append(Way("advise (cache warm)", "advisor.advise, same profile every call",
                        lambda: advisor.advise(profile)))
    if uncached_app is None:
        ways.append(_flask_way(app, "Flask request", "POST /v1/advice via app.test_client()",
                               profile))
    else:
        ways.append(_flask_way(uncached_app[0], "Flask request, uncached",
                               "POST /v1/advice via test_client(), answer cache bypassed",
                               profile, uncached_app[1]))
        ways.append(_flask_way(app, "Flask request, cache hit",
                               "POST /v1/advice via test_client(), same profile every call",
                               profile))
    return ways


def _round(way: Way, iterations: int) -> list[int]:
    """Nanoseconds of each of ``iterations`` calls."""
    clock, call, prepare, times = time.perf_counter_ns, way.call, way.prepare, []
    for _ in range(iterations):
        if prepare:
            prepare()
        started = clock()
        call()
        times.append(clock() - started)
    return times


def _percentile(values: list[int], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


@contextlib.contextmanager
def quiet_service_log():
    """The service's per-request log lines go to /dev/null meanwhile (still formatted)."""
    handlers = [h for h in logging.getLogger("service").handlers
                if type(h) is logging.StreamHandler]
    with open(os.devnull, "w") as sink:
        previous = [handler.setStream(sink) for handler in handlers]
        try:
            yield
        finally:
            for handler, stream in zip(handlers, previous, strict=True):
                handler.setStream(stream)


def measure_in_process(app, *, iterations: int = 200, repeats: int = 5, warmup: int = 50,
                       profiles: dict[str, dict] | None = None) -> dict:
    """``{"profiles": {profile: {way: figures}}, ...}`` for ``app`` (``create_app()``), in µs."""
    profiles = profiles or REFERENCE_PROFILES
    samples: dict[tuple[str, str], list[list[int]]] = {}
    uncached_app, cache_how = _answer_cache_off(app)
    with quiet_service_log():
        plan = {name: ways_for(app, profile, uncached_app) for name, profile in profiles.items()}
        for ways in plan.values():
            for way in ways:
                _round(way, warmup)
        for _ in range(repeats):
            for name, ways in plan.items():
                for way in ways:
                    samples.setdefault((name, way.name), []).append(_round(way, iterations))
    result: dict = {"answer_cache": cache_how, "profiles": {}}
    for name, ways in plan.items():
        result["profiles"][name] = figures = {}
        for way in ways:
            rounds = samples[name, way.name]
            medians = [statistics.median(r) / 1000 for r in rounds]
            figures[way.name] = {
                "median_us": round(statistics.median(medians), 1),
                "p90_us": round(statistics.median(_percentile(r, 0.9) / 1000 for r in rounds), 1),
                "round_medians_us": [round(m, 1) for m in medians],
                "iterations": iterations, "repeats": repeats, "warmup": warmup, "how": way.how,
            }
    return result
