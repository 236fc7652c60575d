"""The patched C core of durable-rules reads no memory it did not set, under the real rules.

The service's build of durable-rules sets up a session's join state only when a fact first
reaches it (third_party/durable-rules/lazy-session-state.patch): a read the patch missed would
read a freed session's leftovers, which answers can hide. So the engine works through every
example of the rules and seeded random profiles under valgrind's memcheck, and no error may
have a frame in the engine's extension. (CPython itself makes a few errors memcheck cannot tell
from real ones; they are not the engine's and are left to CPython.) With the patch's clearing of
one index removed, memcheck reported reads of unset memory in ``getLastRightFrame`` before the
run crashed; without the check for a join not set up yet, it crashed.
"""

import json
import os
import re
import shutil
import subprocess
import sys

import pytest

from service.config import PROJECT_ROOT

pytestmark = pytest.mark.slow

VALGRIND = shutil.which("valgrind")
RANDOM_PROFILES = 60
ENGINE = "durable_rules_engine"


def memcheck_errors(log: str) -> list[str]:
    """The error reports of a valgrind log, each its lines joined (blank lines separate them)."""
    blocks, current = [], []
    for line in log.splitlines():
        body = re.sub(r"^==\d+== ?", "", line)
        if body.strip():
            current.append(body)
        elif current:
            blocks.append("\n".join(current))
            current = []
    if current:
        blocks.append("\n".join(current))
    return blocks


def test_memcheck_finds_no_error_in_the_engine_over_every_example_and_random_profiles(tmp_path):
    assert VALGRIND, "make test installs valgrind (Debian: apt-get install valgrind)"
    log = tmp_path / "memcheck.log"
    env = {**os.environ, "PYTHONMALLOC": "malloc"}  # memcheck sees every allocation
    done = subprocess.run(  # noqa: S603 - our interpreter, our module
        [VALGRIND, "--tool=memcheck", "--error-limit=no", "--leak-check=no",
         f"--log-file={log}", sys.executable, "-m", "tests.support.engine_workout",
         str(RANDOM_PROFILES)],
        cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=900, check=False)

    assert done.returncode == 0, done.stderr[-2000:]
    stats = json.loads(done.stdout.splitlines()[-1])
    assert stats["evaluations"] == stats["examples"] + RANDOM_PROFILES + 1  # and the warm-up
    assert stats["open_sessions"] == 0
    report = log.read_text(encoding="utf-8")
    assert "Memcheck, a memory error detector" in report
    in_engine = [error for error in memcheck_errors(report) if ENGINE in error]
    assert in_engine == []


def test_errors_are_read_one_report_per_block():
    log = ("==7== Memcheck, a memory error detector\n==7== \n"
           "==7== Conditional jump or move depends on uninitialised value(s)\n"
           "==7==    at 0x1: getLastRightFrame (in /x/durable_rules_engine.so)\n==7== \n"
           "==7== Use of uninitialised value of size 8\n==7==    at 0x2: PyLong (longobject.c)\n")

    errors = memcheck_errors(log)

    assert len(errors) == 3
    assert [error for error in errors if ENGINE in error] == [errors[1]]
