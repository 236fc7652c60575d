"""The independent vignettes stay a valid set: the writer's own checks (their tools/validate.py),
with every profile checked against the service's own request schema rather than a copy of the
contract.

These test the set, never the service's answers: tests/clinical/test_safety_gates.py and the
numbers in the hazard log do that. The expected answers are the writer's and are not edited to
make anything pass.
"""

import collections
import re

import pytest

from service.contract.problems import InvalidInput
from service.contract.request import load_profile
from tests.support.vignette_judging import CONCEPT_MAP, REFERRALS, URGENCIES, rank
from tests.support.vignettes import PASSAGES, VIGNETTES

GROUPS = {"benign", "urgent", "emergency", "pregnancy", "child", "older", "medicines",
          "comorbidity"}
#: The concepts that name the specialist a ``referral: specialist`` vignette points to.
SPECIALIST_CONCEPTS = {"neurology_referral", "vascular_referral", "renal_team_review",
                       "midwife_or_maternity_contact"}
IDS = [vignette["id"] for vignette in VIGNETTES]
BY_ID = dict(zip(IDS, VIGNETTES, strict=True))


def folded(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


FOLDED_PASSAGES = folded(PASSAGES)


def test_the_set_has_the_writers_72_vignettes_with_unique_kebab_case_ids():
    assert len(VIGNETTES) == 72
    assert [i for i, n in collections.Counter(IDS).items() if n > 1] == []
    assert [i for i in IDS if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", i)] == []


@pytest.mark.parametrize("vignette_id", IDS)
def test_every_profile_is_a_request_the_service_accepts(vignette_id):
    try:
        load_profile(BY_ID[vignette_id]["profile"])
    except InvalidInput as refused:
        pytest.fail(f"the service's request schema refuses it: {refused.errors}")


@pytest.mark.parametrize("vignette_id", IDS)
def test_every_vignette_rests_on_quoted_guidance_recorded_in_the_passages(vignette_id):
    basis = BY_ID[vignette_id]["basis"]
    assert basis, "no basis"
    for each in basis:
        assert all(each.get(key) for key in ("title", "publisher", "url", "quote", "supports"))
        assert folded(each["quote"]) in FOLDED_PASSAGES, each["quote"]
        assert each["url"] in PASSAGES, each["url"]


@pytest.mark.parametrize("vignette_id", IDS)
def test_every_expectation_uses_the_vocabulary_of_the_set(vignette_id):
    vignette = BY_ID[vignette_id]
    expected = vignette["expected"]
    assert vignette["group"] in GROUPS
    assert set(expected["urgency"]) <= set(URGENCIES)
    ranks = sorted(rank(each) for each in expected["urgency"])
    assert ranks == list(range(ranks[0], ranks[0] + len(ranks))) and len(ranks) <= 2
    assert expected["referral"] in REFERRALS
    assert set(expected["require"]) | set(expected["forbid"]) <= set(CONCEPT_MAP["concepts"])
    assert not set(expected["require"]) & set(expected["forbid"])


@pytest.mark.parametrize("vignette_id", IDS)
def test_every_expectation_keeps_the_writers_internal_rules(vignette_id):
    expected = BY_ID[vignette_id]["expected"]
    require, forbid = set(expected["require"]), set(expected["forbid"])
    if expected["call_emergency_services"]:
        assert expected["urgency"] == ["urgent"] and "call_ambulance" in require
    else:
        assert "call_ambulance" not in require
    if expected["referral"] == "specialist":
        assert require & SPECIALIST_CONCEPTS
    if expected["referral"] == "none":
        assert expected["urgency"] == ["self_care"]
    if "clot_warning" in require:
        assert "hands_on_or_heat" in forbid
    if "stop_statin_now" in require:
        assert "muscle_breakdown_warning" in require
