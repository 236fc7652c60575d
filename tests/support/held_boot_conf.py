"""gunicorn.conf.py, with every replacement worker held right after its fork until a stop
signal has reached it: the window in which the server's stop used to be lost.

For tests/faults/test_stop_while_booting.py: ``running_gunicorn(..., config=HELD_BOOT_CONF)``.
The workers of the start boot as usual; a worker the master forks later (to replace one that
exited) logs ``HOLDING`` (tests/support/gunicorn.py) with its pid and waits in gunicorn's
``post_fork`` hook, before its own signal handlers exist, until a stop signal has arrived,
whichever way it arrived: blocked and pending (service/server/signals.py), or taken by the
master's handlers that the fork copied, which only queue it (what gunicorn does on its own).
Then it boots on.
"""

import runpy
import signal
import time
from pathlib import Path

from tests.support.gunicorn import HOLDING

_PRODUCTION = runpy.run_path(str(Path(__file__).resolve().parents[2] / "gunicorn.conf.py"))
globals().update({name: value for name, value in _PRODUCTION.items() if name[:2] != "__"})
_STOPS = {signal.SIGTERM, signal.SIGINT, signal.SIGQUIT}


def post_fork(server, worker):
    if worker.age <= server.num_workers:
        return
    server.log.info("%s %s", HOLDING, worker.pid)
    while not (signal.sigpending() & _STOPS or not server.SIG_QUEUE.empty()):
        time.sleep(0.01)
