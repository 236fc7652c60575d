"""Every trigger, condition, treatment and symptom a client can send changes the advice.

Each value, added alone to a plain calf cramp, must lead to a finding the plain cramp lacks:
a cause group, a lifestyle rule, medication information, a warning, a specialist, a test, or
a higher urgency. A value that changes nothing would be silently ignored.
"""

from pathlib import Path

import pytest

from service.advice import Advisor
from service.contract.answer import Answer
from service.contract.vocabulary import CONDITIONS, SYMPTOMS, TREATMENTS, TRIGGERS, URGENCIES
from service.knowledge import load_knowledge

RULES = Path(__file__).resolve().parents[2] / "rules"
BASELINE = {"locations": ["calf"], "active_now": False}
FINDING_KINDS = ("cause_groups", "lifestyle_rules", "medication_info", "warnings")
VALUES = [
    (field, value)
    for field, values in (
        ("triggers", TRIGGERS), ("conditions", CONDITIONS), ("treatments", TREATMENTS),
        ("symptoms", SYMPTOMS),
    )
    for value in values
]
FLAGS = [("smoker", True), ("pregnant", True)]


@pytest.fixture(scope="module")
def advisor() -> Advisor:
    return Advisor(load_knowledge(RULES))


def findings(answer: Answer) -> set[str]:
    """What an answer found, as ``kind.id`` (urgency as ``urgency.<level>``)."""
    found = {f"{kind}.{entry.id}" for kind in FINDING_KINDS for entry in getattr(answer, kind)}
    found |= {f"specialists.{entry.id}" for entry in answer.referral.specialists}
    found |= {f"tests.{entry.id}" for entry in answer.referral.tests}
    found.add(f"urgency.{answer.urgency}")
    return found


def test_the_baseline_is_a_self_care_answer_without_cause_or_referral(advisor):
    answer = advisor.advise(dict(BASELINE))
    assert answer.urgency == URGENCIES[0]
    assert answer.cause_groups == () and not answer.referral.needed


@pytest.mark.parametrize(("field", "value"), VALUES, ids=[f"{f}.{v}" for f, v in VALUES])
def test_every_list_value_adds_a_finding_the_baseline_lacks(advisor, field, value):
    baseline = findings(advisor.advise(dict(BASELINE)))
    answer = findings(advisor.advise({**BASELINE, field: [value]}))
    assert answer - baseline, f"{field}.{value} changes nothing in the advice"


@pytest.mark.parametrize(("field", "value"), FLAGS, ids=[f"{f}={v}" for f, v in FLAGS])
def test_smoking_and_pregnancy_add_a_finding_the_baseline_lacks(advisor, field, value):
    baseline = findings(advisor.advise(dict(BASELINE)))
    answer = findings(advisor.advise({**BASELINE, field: value}))
    assert answer - baseline, f"{field}: {value} changes nothing in the advice"
