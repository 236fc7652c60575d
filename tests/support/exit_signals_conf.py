"""gunicorn.conf.py, with each worker's exit hook also logging how the worker then takes each
stop signal: ignored (``SIG_IGN``), the default action (``SIG_DFL``) or a Python handler.

For tests/faults/test_worker_exit_signals.py: ``running_gunicorn(..., config=EXIT_SIGNALS_CONF)``.
The line is ``EXIT_SIGNALS`` (tests/support/gunicorn.py), then ``SIGINT=SIG_IGN SIGQUIT=...``.
"""

import runpy
import signal
from pathlib import Path

from tests.support.gunicorn import EXIT_SIGNALS

_PRODUCTION = runpy.run_path(str(Path(__file__).resolve().parents[2] / "gunicorn.conf.py"))
globals().update({name: value for name, value in _PRODUCTION.items() if name[:2] != "__"})
_STOPS = (signal.SIGINT, signal.SIGQUIT, signal.SIGTERM)


def _taken_as(signum):
    handler = signal.getsignal(signum)
    return handler.name if isinstance(handler, signal.Handlers) else "handler"


def worker_exit(server, worker):
    server.log.info("%s %s", EXIT_SIGNALS,
                    " ".join(f"{stop.name}={_taken_as(stop)}" for stop in _STOPS))
    _PRODUCTION["worker_exit"](server, worker)
