"""How an answer is judged against a vignette (tests/support/vignette_judging.py), on answers
made by hand, so a change to the judging is seen apart from a change to the knowledge."""

import pytest

from tests.support.vignette_judging import judge, referral_level

VIGNETTE = {"id": "made-up", "group": "benign", "expected": {
    "urgency": ["self_care", "routine"], "call_emergency_services": False, "referral": "gp",
    "require": ["stretching_advice"], "forbid": ["heart_or_vessel_workup", "call_ambulance"]}}


def answer(urgency="routine", ambulance=False, specialists=(), tests=(), warnings=(),
           steps=("gentle_stretching",)):
    items = lambda ids: [{"id": each} for each in ids]  # noqa: E731
    return {"urgency": urgency, "call_emergency_services": ambulance,
            "emergency_steps": items(steps), "lifestyle_rules": [], "medication_info": [],
            "warnings": items(warnings),
            "referral": {"needed": bool(specialists or tests), "specialists": items(specialists),
                         "tests": items(tests), "tell_the_doctor": []}}


def test_an_answer_in_the_accepted_urgency_with_what_is_required_passes():
    verdict = judge(VIGNETTE, 200, answer(specialists=["therapist"], tests=["general_blood_test"]))
    assert (verdict.outcome, verdict.reasons) == ("pass", ())


@pytest.mark.parametrize(("urgency", "ambulance", "outcome"), [
    ("soon", False, "over_triage"), ("urgent", True, "over_triage"),
    ("self_care", True, "over_triage")])
def test_more_urgency_or_an_unexpected_ambulance_is_over_triage(urgency, ambulance, outcome):
    assert judge(VIGNETTE, 200, answer(urgency, ambulance)).outcome == outcome


def test_less_urgency_or_a_missing_ambulance_is_under_triage():
    emergency = {**VIGNETTE, "expected": {**VIGNETTE["expected"], "urgency": ["urgent"],
                                          "call_emergency_services": True, "forbid": []}}
    assert judge(emergency, 200, answer("urgent")).outcome == "under_triage"
    assert judge(emergency, 200, answer("soon", True)).outcome == "under_triage"
    assert judge(emergency, 200, answer("urgent", True)).outcome == "pass"


def test_a_specialist_work_up_up_front_goes_further_than_the_gp():
    verdict = judge(VIGNETTE, 200, answer(specialists=["therapist", "cardiologist"],
                                          tests=["dopplerography"]))
    assert verdict.outcome == "content"
    assert verdict.reasons[0] == "referral specialist up front, at most gp"
    assert "forbidden heart_or_vessel_workup" in verdict.reasons[1]


def test_a_missing_required_concept_is_a_content_failure():
    verdict = judge(VIGNETTE, 200, answer(steps=()))
    assert (verdict.outcome, verdict.reasons) == ("content", ("missing stretching_advice",))


def test_a_refused_profile_is_a_failure_of_its_own():
    verdict = judge(VIGNETTE, 400, {"errors": {"risk_factors": ["Unknown field."]}})
    assert (verdict.outcome, verdict.triage_right) == ("refused", False)


@pytest.mark.parametrize(("specialists", "tests", "level"), [
    ((), (), "none"), (("therapist",), ("general_blood_test",), "gp"),
    (("therapist", "neurologist"), (), "specialist"), ((), ("dopplerography",), "specialist")])
def test_the_referral_level_is_how_far_the_answer_goes_up_front(specialists, tests, level):
    assert referral_level(answer(specialists=specialists, tests=tests)) == level
