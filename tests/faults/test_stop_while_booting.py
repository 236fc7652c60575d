"""The server stops cleanly even when it is told to while a worker boots.

gunicorn replaces a worker that exits (recycled after ``max_requests``, or lost), and the server
may be stopped at any moment, such as just after a replacement was forked and before it has
signal handlers of its own. Such a worker used to lose the ``SIGTERM``: it booted, served for
the whole graceful timeout (30 s), and was killed without its exit hook, so it logged no engine
stats; the soak test then failed by chance ("workers that exited without their engine stats").
Here the replacement is held, by a hook of the test's configuration, right after its fork until
the stop has reached it (tests/support/held_boot_conf.py), which makes that moment certain.
"""

import os
import re
import signal

import pytest

from tests.support.faults import children, wait_for
from tests.support.gunicorn import HELD_BOOT_CONF, HOLDING, running_gunicorn

pytestmark = pytest.mark.server

#: Far longer than a clean stop takes (about 2 s), and longer than the graceful timeout after
#: which the master kills what is left (30 s): a lost signal shows in the log, not as a hang.
STOP_CEILING_S = 60


def test_a_worker_stopped_while_it_boots_exits_through_its_exit_hook(tmp_path):
    with running_gunicorn(tmp_path / "gunicorn.log", workers=2, config=HELD_BOOT_CONF) as server:
        os.kill(min(children(server.process.pid)), signal.SIGTERM)  # the master replaces it
        held = int(wait_for(lambda: re.findall(rf"{HOLDING} (\d+)", server.output()), 20,
                            "no replacement worker was forked")[0])
        server.process.send_signal(signal.SIGTERM)
        assert server.process.wait(timeout=STOP_CEILING_S) == 0
        log = server.output()
    assert f"Worker exiting (pid: {held})" in log
    assert re.search(rf"Engine stats \(pid: {held}\): evaluations=1 open_sessions=0", log)
    assert "Shutting down: Master" in log
