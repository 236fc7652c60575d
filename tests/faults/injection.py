"""Faults a single request can arm in a real app: the test-only WSGI app is built with them.

``install(app)`` leaves ``app`` answering exactly as before, except that a request carrying
``X-Test-Fault: <fault>[:<seconds>]`` runs into that fault, and no other request does (the
fault is armed on the request's own thread, which is also the thread that runs its actions):

* ``action``: the first rule action of its evaluation raises;
* ``engine``: the engine call itself (the durable-rules core's ``assert_facts``) raises;
* ``slow``: the first rule action sleeps (2 s by default) with the GIL released, as slow I/O
  would, then the request goes on and answers normally;
* ``stuck``: the engine call blocks in C for that long *holding the GIL*, as a hung C extension
  would (durable-rules' C calls hold it), so the whole worker, heartbeat included, goes silent.

The injected exceptions quote the request's facts, as a careless real error might, so the tests
can check that neither the response nor the log repeats an exception's message. Arming a fault
prints ``Fault armed (pid: N): <fault>`` to stderr, which tells a test which worker to kill.
"""

import ctypes
import os
import sys
import threading
import time

from flask import Flask, request

FAULT_HEADER = "X-Test-Fault"
FAULTS = frozenset({"action", "engine", "slow", "stuck"})
DEFAULT_SECONDS = 2.0
_LIBC = ctypes.PyDLL(None)  # PyDLL: a foreign call that keeps the GIL for its whole duration


class InjectedFault(RuntimeError):
    """What an armed ``action`` or ``engine`` fault raises."""


class FaultyEvaluation:
    """An advisor's evaluation whose first ``fire`` (the start of a rule action) misbehaves.

    Besides ``action`` and ``slow``, in-process tests use ``exit``: the action raises
    ``SystemExit``, as gunicorn's abort handler does in whatever code the worker is running.
    """

    def __init__(self, evaluation, fault: str, seconds: float = DEFAULT_SECONDS):
        self._evaluation, self._fault, self._seconds = evaluation, fault, seconds

    def fire(self, rule, branch):
        fault, self._fault = self._fault, None
        if fault == "action":
            raise InjectedFault(f"rule {rule.id} failed on {self._evaluation.inputs}")
        if fault == "exit":  # what gunicorn's abort handler raises, wherever the thread is
            raise SystemExit(1)
        if fault == "slow":
            time.sleep(self._seconds)
        return self._evaluation.fire(rule, branch)


def raise_in_engine(facts):
    """A stand-in for the engine core's ``assert_facts`` that fails as a broken engine would."""
    raise InjectedFault(f"engine failed on {facts}")


def hold_the_gil(seconds: float) -> None:
    """Block this thread in C, GIL held: no other thread of the process runs meanwhile.

    One call, not a loop: between two calls the waiting threads would get the GIL back.
    """
    _LIBC.usleep(int(seconds * 1_000_000))  # glibc's usleep takes more than a second


NO_FAULT = (None, 0.0)
_armed = threading.local()


def install(app: Flask) -> Flask:
    """Let a request arm one fault, for itself only, in ``app``'s own advisor and engine."""
    engine = app.extensions["advisor"].engine
    core = engine._core  # the durable-rules core: only the adapter touches it otherwise
    evaluate, assert_facts = engine.evaluate, core.assert_facts

    def faulty_evaluate(facts, context):
        fault, seconds = getattr(_armed, "fault", NO_FAULT)
        if fault in ("action", "slow"):
            context = FaultyEvaluation(context, fault, seconds)
        return evaluate(facts, context)

    def faulty_assert_facts(facts):
        fault, seconds = getattr(_armed, "fault", NO_FAULT)
        if fault == "engine":
            raise_in_engine(facts)
        if fault == "stuck":
            hold_the_gil(seconds)
        return assert_facts(facts)

    def arm():
        name, _, seconds = request.headers.get(FAULT_HEADER, "").partition(":")
        _armed.fault = (name, float(seconds or DEFAULT_SECONDS)) if name in FAULTS else NO_FAULT
        if name in FAULTS:
            print(f"Fault armed (pid: {os.getpid()}): {name}", file=sys.stderr, flush=True)

    def disarm(_error=None):
        _armed.fault = NO_FAULT

    engine.evaluate = faulty_evaluate
    core.assert_facts = faulty_assert_facts
    app.before_request(arm)
    app.teardown_request(disarm)
    return app
