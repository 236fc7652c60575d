"""The soak in short, in every ``make test``: mixed requests through the real gunicorn.

``make soak``'s own command (``python -m bench.soak``), run as a process of its own on 5,000
requests instead of 100,000, its JSON report read back: about 85 % valid profiles of every
shape, 15 % bad input of every kind (and besides them 5 % a person's own words for
``POST /v1/intake/parse``), over 16 keep-alive connections to gunicorn started with
gunicorn.conf.py. A second, shorter run lowers ``max_requests`` so that workers recycle under
load, which the production settings do only after 10,000 requests per worker. Memory and
throughput are reported, never asserted.
"""

import json
import subprocess
import sys

import pytest

from tests.support.bad_input import BAD_KINDS
from tests.support.gunicorn import REPO_ROOT

pytestmark = [pytest.mark.server, pytest.mark.slow]

REQUESTS = 5_000
RECYCLING = "--max-requests 500 --max-requests-jitter 100"


def _int_keys(mapping: dict) -> dict:
    """JSON keeps only string keys: statuses and worker pids become integers again."""
    return {int(key) if key.isdigit() else key: value for key, value in mapping.items()}


def _run(tmp_path_factory, report_figure, name: str, requests: int, *options: str) -> dict:
    directory = tmp_path_factory.mktemp(name)
    command = [sys.executable, "-m", "bench.soak", "--requests", str(requests),
               "--settings", "production", "--json", str(directory / "soak.json"),
               "--log-dir", str(directory), *options]
    # Exit status 1 means a broken invariant: each test below names the one it checks.
    subprocess.run(command, cwd=REPO_ROOT, check=False, timeout=600, capture_output=True)
    (report,) = json.loads((directory / "soak.json").read_text(),
                           object_hook=_int_keys)["runs"]
    rss = report["rss_kib"]
    report_figure(
        f"{name}: {requests:,} requests in {report['seconds']} s "
        f"({report['requests_per_second']} req/s); workers {report['workers']['booted']}; "
        f"RSS KiB after {rss['after_requests']:,} {rss['checkpoint']}, at the end {rss['end']}"
    )
    return report


@pytest.fixture(scope="module")
def report(tmp_path_factory, report_figure):
    return _run(tmp_path_factory, report_figure, "soak", REQUESTS)


@pytest.fixture(scope="module")
def recycling_report(tmp_path_factory, report_figure):
    return _run(tmp_path_factory, report_figure, "soak-recycling", 3_000,
                "--gunicorn-args", RECYCLING)


def test_no_request_gets_a_5xx(report):
    assert report["five_xx"] == 0, report["statuses"]


def test_every_request_gets_an_answer(report):
    assert report["client"]["unanswered"] == []


def test_every_valid_profile_gets_200_with_advice(report):
    valid = report["by_kind"]["valid"]
    assert list(valid) == [200] and valid[200] > REQUESTS * 0.75  # 0.95 x 0.85 of the mix
    assert set(report["urgencies"]) == {"self_care", "routine", "soon", "urgent"}


def test_every_free_text_gets_a_draft_whose_spans_are_its_words(report):
    """wrong_answers (below) counts a parse whose answer is no draft, or a span that is not
    its text; here, that the mix sent own words at all and each got its 200."""
    texts = report["by_kind"]["free_text"]
    assert list(texts) == [200] and texts[200] > REQUESTS * 0.03


@pytest.mark.parametrize("kind", sorted(BAD_KINDS))
def test_every_bad_request_gets_the_4xx_its_kind_promises(report, kind):
    expected = BAD_KINDS[kind][0]
    statuses = report["by_kind"][kind]
    assert list(statuses) == [expected], f"{kind}: {statuses}"


def test_every_answer_has_the_promised_media_type_and_shape(report):
    assert report["wrong_answers"] == 0, report["wrong_answer_examples"]


def test_the_mix_sends_every_value_of_the_vocabulary(report):
    assert report["values_never_sent"] == []


def test_every_worker_exits_with_zero_open_sessions(report):
    stats = report["engine"]["exit_stats"]
    assert sorted(stats) == sorted(report["workers"]["booted"]), "a worker logged no stats"
    assert {pid: s["open_sessions"] for pid, s in stats.items()} == dict.fromkeys(stats, 0)


def test_each_worker_evaluates_once_per_advice_it_answered_plus_its_warm_up(report):
    stats, answered = report["engine"]["exit_stats"], report["engine"]["advice_200_by_worker"]
    assert {pid: s["evaluations"] for pid, s in stats.items()} == {
        pid: answered.get(pid, 0) + 1 for pid in stats}
    assert sum(answered.values()) == report["by_kind"]["valid"][200]


def test_the_server_logs_no_error_and_no_other_invariant_breaks(report):
    assert report["server_trouble"] == []
    assert report["failures"] == []


def test_workers_recycled_under_load_lose_no_request_and_leak_no_session(recycling_report):
    assert recycling_report["workers"]["autorestarts"] >= 2
    assert len(recycling_report["workers"]["booted"]) > 2
    assert recycling_report["failures"] == []
