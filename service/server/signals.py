"""A stop signal sent to a worker while it boots waits for the worker's own handler.

gunicorn forks each worker from the master, and until the worker's ``init_signals`` has run
(the gevent worker first patches the standard library: about 0.1 s) the child still has the
master's Python handlers, which only put the signal in the child's copy of the master's queue,
where nothing reads it. A ``SIGTERM`` in that window (the server stopping just as a recycled
worker is replaced) was lost: the worker booted, kept serving on its copy of the listening
socket for the master's whole graceful timeout (30 s), and was then killed with ``SIGKILL``,
without its exit hook (no engine stats) and without a log line.

So the master blocks the stop signals just before it forks a worker (:func:`hold`), unblocks
them as soon as the fork returns, and the worker unblocks them once its handlers are in place
(:func:`release`): a stop sent in between stays pending, and then reaches the worker's handler.

A worker that leaves on its own (recycled after ``max_requests``) is still among the master's
workers until the master reaps it, so a stop of the server sends it a ``SIGTERM`` too. Arriving
during interpreter finalisation, after CPython has reset every signal with a Python handler to
the default action, that signal killed the worker (its exit hook had already run), and gunicorn
logged "Worker (pid:N) was sent SIGTERM!" for a worker that was exiting cleanly. So a worker
ignores the stop signals once it has left its loop (:func:`ignore_stops`): finalisation keeps
an ignored signal ignored, and a worker that hangs on the way out is still killed by the
master's ``SIGKILL`` after its graceful timeout.
"""

import os
import signal

#: gunicorn's stop signals: graceful (TERM) and quick (INT, QUIT).
STOP_SIGNALS = frozenset({signal.SIGTERM, signal.SIGINT, signal.SIGQUIT})

_mask_before_hold: set[int | signal.Signals] | None = None


def hold() -> None:
    """Block the stop signals in this thread until :func:`release` (the master: until the fork
    returns, by the hook below; the worker it forks: until its handlers are in place)."""
    global _mask_before_hold
    if _mask_before_hold is None:
        _mask_before_hold = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)


def release() -> None:
    """Restore the signal mask :func:`hold` changed; a stop signal pending meanwhile arrives now."""
    global _mask_before_hold
    if _mask_before_hold is not None:
        mask, _mask_before_hold = _mask_before_hold, None
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)


def ignore_stops() -> None:
    """Ignore the stop signals from now on in this process: a worker on its way out."""
    for stop in STOP_SIGNALS:
        signal.signal(stop, signal.SIG_IGN)


# Called after every fork in the process that forked, whether the fork succeeded or failed.
os.register_at_fork(after_in_parent=release)
