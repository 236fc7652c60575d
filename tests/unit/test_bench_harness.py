"""The bench harness (``make bench``, bench/perf.py) still runs, so that it cannot silently rot.

Its in-process part runs with a handful of iterations, and its mixed profile set is checked to
be answered. No timing is asserted: the figures of a shared, noisy machine are for reading.
"""

from bench import perf
from bench.perf_inprocess import REFERENCE_PROFILES

TINY = {"iterations": 2, "repeats": 1, "warmup": 1}


def test_in_process_part_gives_figures_for_the_three_reference_profiles(app):
    report = perf.in_process(app, TINY)

    assert list(report["profiles"]) == ["minimal", "typical night cramps", "every field set"]
    for ways in report["profiles"].values():
        assert {"engine only", "advise"} <= set(ways)
        assert any(way.startswith("Flask request") for way in ways)
        for figures in ways.values():
            assert figures["median_us"] > 0
            assert figures["p90_us"] > 0


def test_every_field_profile_sets_every_field():
    from service.vocabulary import REQUEST_FIELDS

    assert set(REFERENCE_PROFILES["every field set"]) == set(REQUEST_FIELDS)


def test_mixed_set_is_distinct_and_answered(app):
    bodies = perf.mixed_bodies(20, seed=1)

    assert len(set(bodies)) == 20
    perf.check_bodies(app, bodies)  # exits if any profile is not answered with a 200


def test_worst_bodies_are_timed_against_a_normal_request(app):
    from bench.perf_worst import NORMAL, measure_worst, rows
    from bench.worst_bodies import WORST

    figures = measure_worst(app, iterations=1, repeats=1)

    assert list(figures) == [NORMAL, *WORST]
    assert figures[NORMAL]["status"] == 200
    assert {figures[name]["status"] for name in WORST} == {400}
    assert len(rows(figures)) == len(figures)
