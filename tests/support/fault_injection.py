"""A rule engine that misbehaves on request: ``FaultyEngine``, given to ``create_app`` as
``ENGINE_FACTORY``.

It is the real ``RuleEngine`` (the real C core, the real rules) until a fault is armed for the
current thread, with ``armed(fault)`` in-process or, in the test-only WSGI app
(``tests/support/faulty_wsgi.py``), with a request header ``X-Test-Fault: <fault>[:<seconds>]``.
The fault then hits that thread's next evaluation, and no other request's:

* ``action``: the first rule action of the evaluation raises;
* ``exit``: the first rule action raises ``SystemExit``, as gunicorn's abort handler does in
  whatever code a timed-out worker is running (in-process only);
* ``engine``: the engine call itself (the C core's ``assert_facts``) raises;
* ``slow``: the first rule action sleeps (2 s by default) with the GIL released, as slow I/O
  would, then the request goes on and answers normally;
* ``stuck``: the engine call blocks in C for that long *holding the GIL*, as a hung C extension
  would (durable-rules' C calls hold it), so the whole worker, heartbeat included, goes silent.

The injected exceptions quote the request's facts, as a careless real error might, so the tests
can check that neither the response nor the log repeats an exception's message. Arming a fault
by header prints ``Fault armed (pid: N): <fault>`` to stderr, which tells a test which worker to
kill.
"""

import contextlib
import ctypes
import os
import sys
import threading
import time

from flask import Flask, request

from service.engine import Core, RuleEngine

FAULT_HEADER = "X-Test-Fault"
#: The faults a request header may arm.
FAULTS = frozenset({"action", "engine", "slow", "stuck"})
DEFAULT_SECONDS = 2.0
NO_FAULT = (None, 0.0)
_LIBC = ctypes.PyDLL(None)  # PyDLL: a foreign call that keeps the GIL for its whole duration
_armed = threading.local()


class InjectedFault(RuntimeError):
    """What an armed ``action`` or ``engine`` fault raises."""


def _fault() -> tuple[str | None, float]:
    return getattr(_armed, "fault", NO_FAULT)


def arm(fault: str | None, seconds: float = DEFAULT_SECONDS) -> None:
    """Arm ``fault`` for the evaluations of this thread (None disarms)."""
    _armed.fault = (fault, seconds) if fault else NO_FAULT


@contextlib.contextmanager
def armed(fault: str, seconds: float = DEFAULT_SECONDS):
    """``fault`` armed for this thread within the block."""
    arm(fault, seconds)
    try:
        yield
    finally:
        arm(None)


class _FaultyEvaluation:
    """An advisor's evaluation whose first ``fire`` (the start of a rule action) misbehaves."""

    def __init__(self, evaluation, fault: str, seconds: float):
        self._evaluation, self._fault, self._seconds = evaluation, fault, seconds

    def fire(self, rule, branch):
        fault, self._fault = self._fault, None
        if fault == "action":
            raise InjectedFault(f"rule {rule.id} failed on {self._evaluation.inputs}")
        if fault == "exit":
            raise SystemExit(1)
        if fault == "slow":
            time.sleep(self._seconds)
        return self._evaluation.fire(rule, branch)


class _FaultyCore(Core):
    """The C core, whose ``assert_facts`` fails or hangs when the thread armed that."""

    def assert_facts(self, facts: list[dict], sid: str) -> int:
        fault, seconds = _fault()
        if fault == "engine":
            raise InjectedFault(f"engine failed on {facts}")
        if fault == "stuck":
            # One call, not a loop: between two calls waiting threads would get the GIL back.
            _LIBC.usleep(int(seconds * 1_000_000))  # glibc's usleep takes more than a second
        return super().assert_facts(facts, sid)


class FaultyEngine(RuleEngine):
    """The real engine, with the armed fault of the calling thread."""

    core_class = _FaultyCore

    def evaluate(self, facts: list[dict], context) -> None:
        fault, seconds = _fault()
        if fault in ("action", "exit", "slow"):
            context = _FaultyEvaluation(context, fault, seconds)
        return super().evaluate(facts, context)


def arm_from_header() -> None:
    """Arm the fault the request's ``X-Test-Fault`` header names, if any (a request hook)."""
    name, _, seconds = request.headers.get(FAULT_HEADER, "").partition(":")
    if name in FAULTS:
        arm(name, float(seconds or DEFAULT_SECONDS))
        print(f"Fault armed (pid: {os.getpid()}): {name}", file=sys.stderr, flush=True)
    else:
        arm(None)


def armed_by_header(app: Flask) -> Flask:
    """Let each request of ``app`` arm one fault for itself with ``X-Test-Fault``."""
    app.before_request(arm_from_header)
    app.teardown_request(lambda _error=None: arm(None))
    return app


class UnhealthyEngine(RuleEngine):
    """The real engine reporting itself unhealthy, as after a full session table or a hung
    evaluation: the advisor is then not ready, and ``/readyz`` answers 503."""

    @property
    def healthy(self) -> bool:
        return False
