"""The bench harness (``make bench``, bench/perf.py) still runs, so that it cannot silently rot.

``python -m bench.perf --smoke`` runs as a process of its own: the in-process part with a
handful of calls per figure, the worst bodies, and the check that every profile of the mixed
set is answered. No timing is asserted: the figures of a shared, noisy machine are for reading.
"""

import json
import subprocess
import sys

import pytest

from service.contract.vocabulary import REQUEST_FIELDS
from tests.support.gunicorn import REPO_ROOT
from tests.support.worst_bodies import WORST

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> dict:
    directory = tmp_path_factory.mktemp("bench")
    done = subprocess.run(
        [sys.executable, "-m", "bench.perf", "--smoke", "--profiles", "20",
         "--json", str(directory / "bench.json"), "--log-dir", str(directory)],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    return json.loads((directory / "bench.json").read_text())


def test_in_process_part_gives_figures_for_the_three_reference_profiles(report):
    profiles = report["in_process"]["profiles"]

    assert list(profiles) == ["minimal", "typical night cramps", "every field set"]
    for ways in profiles.values():
        assert {"engine only", "advise"} <= set(ways)
        assert any(way.startswith("Flask request") for way in ways)
        for figures in ways.values():
            assert figures["median_us"] > 0
            assert figures["p90_us"] > 0


def test_every_field_profile_sets_every_field(report):
    assert set(report["reference_profiles"]["every field set"]) == set(REQUEST_FIELDS)


def test_worst_bodies_are_timed_against_a_normal_request(report):
    figures = report["worst_bodies"]

    normal, *worst = figures
    assert worst == list(WORST)
    assert figures[normal]["status"] == 200
    assert {figures[name]["status"] for name in WORST} == {400}


def test_in_process_part_gives_figures_for_the_free_text_parser(report):
    figures = report["free_text"]

    assert figures["parse_1000_chars_us"]["p50"] > 0
    assert figures["parser_traced_kib"] > 0
    assert figures["growth"]["calls"] > 0
