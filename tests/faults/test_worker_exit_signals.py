"""A worker on its way out ignores the stop signals, so that a late one cannot kill it.

A worker recycled after ``max_requests`` leaves on its own, and stays among the master's workers
until the master reaps it: a stop of the server meanwhile sends it a ``SIGTERM`` as well. When
that signal arrived during the worker's interpreter finalisation, after CPython had reset its
Python handlers to the default action, it killed the worker, and gunicorn logged "Worker (pid:N)
was sent SIGTERM!" for a worker that was exiting cleanly: the soak test then failed by chance.
The moment cannot be forced from outside, so this checks what closes it: by the time the exit
hook runs, the worker ignores every stop signal (service/server/signals.py), which finalisation
leaves as it is.
"""

import pytest

from tests.support.faults import wait_for
from tests.support.gunicorn import EXIT_SIGNALS, EXIT_SIGNALS_CONF, log_entries, running_gunicorn

pytestmark = pytest.mark.server

# Every request recycles the worker that served it (the readiness probes too).
RECYCLING = {"GUNICORN_CMD_ARGS": "--max-requests 1 --max-requests-jitter 0"}
AUTORESTART = "Autorestarting worker after current request."
IGNORED = "SIGINT=SIG_IGN SIGQUIT=SIG_IGN SIGTERM=SIG_IGN"


def logged(output: str, start: str, master: int) -> dict[int, str]:
    """``{pid: message}`` of the workers' lines starting with ``start`` (the master calls the
    exit hook too, for a worker it finds already gone)."""
    return {entry["pid"]: entry["message"] for entry in log_entries(output)
            if entry["message"].startswith(start) and entry["pid"] != master}


def test_a_worker_that_leaves_ignores_the_stop_signals_by_its_exit_hook(tmp_path):
    with running_gunicorn(tmp_path / "gunicorn.log", workers=2, config=EXIT_SIGNALS_CONF,
                          extra_env=RECYCLING) as server:
        master = server.process.pid

        def recycled_and_exited() -> set[int]:
            output = server.output()
            return set(logged(output, AUTORESTART, master)) & set(logged(output, EXIT_SIGNALS,
                                                                         master))

        assert server.request("GET", "/healthz").status == 200
        recycled = wait_for(recycled_and_exited, 20, "no recycled worker reached its exit hook")
    exits = logged(server.output(), EXIT_SIGNALS, master)  # the recycled and the stopped ones
    assert recycled <= set(exits)
    assert exits == dict.fromkeys(exits, f"{EXIT_SIGNALS} {IGNORED}")
