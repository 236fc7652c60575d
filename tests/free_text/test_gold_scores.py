"""The parser against the independent gold set: per-part floors, and the worst error counted apart.

The floors were set from the first honest measurement of each part (docs/free-text.md gives the
numbers): just under what was measured, so a change that loses accuracy fails here. The
held-out part was never used to tune the lexicon; its floor is what the parser reached on text
it had never seen, not the bar the issue aims at (recall 0.90, precision 0.95).
"""

import pytest

from tests.support.free_text import PARTS, score, table, write_artifact

#: (precision, recall) floors per part, from the first measurement (see the module docstring).
#: First held-out measurement (5 Dec 2026): P 0.946, R 0.840, below the aim of 0.95 and 0.90.
FLOORS = {"gold": (0.96, 0.955), "held_out": (0.94, 0.835)}
#: Denied findings the parser may put into the draft profile, per part: none on gold; the one
#: held-out case measured first is allowed, and no more (it was not tuned away: held-out text is
#: not read).
WORST_ALLOWED = {"gold": 0, "held_out": 1}


@pytest.fixture(scope="module")
def scores(parser, report_scores):
    measured = {part: score(parser, part) for part in PARTS}
    text = table(measured)
    write_artifact(text)
    report_scores(text)
    return measured


@pytest.mark.parametrize("part", PARTS)
def test_the_parser_stays_above_the_precision_and_recall_measured_first(scores, part):
    precision, recall, *_ = scores[part].prf()
    floor_precision, floor_recall = FLOORS[part]
    assert precision >= floor_precision and recall >= floor_recall, (precision, recall)


@pytest.mark.parametrize("part", PARTS)
def test_no_denied_finding_goes_into_the_draft_profile(scores, part):
    assert len(scores[part].denied_into_profile) <= WORST_ALLOWED[part], \
        scores[part].denied_into_profile
