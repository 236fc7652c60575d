"""Properties of the safety layer over random profiles, the 1.1 vocabulary included.

Each property is a promise of the hazard log (docs/clinical-safety.md): an emergency is always
urgent and says why first; a leg that may hold a clot or an infection is never massaged, rubbed,
pinched or heated; a child never gets herbs, supplements, rubs or prescription-medicine talk,
nor does a pregnant person, whose midwife decides;
a healthy adult with rare, short cramps is not over-triaged. What an item involves is read from
its ``involves`` in the rules files, not from a list here, so a new item cannot slip past.
"""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from service.advice import Advisor
from service.contract.vocabulary import CAUSE_GROUPS, URGENCIES
from tests.support.strategies import distinct_list, valid_profiles

pytestmark = pytest.mark.slow

SETTINGS = settings(max_examples=150, deadline=None)
HANDS_ON = {"massage", "rubbing", "pinching", "heat"}
#: "Rubs" for a child are products from the pharmacy (topical_product); a parent's hands may
#: massage a child's legs, as guidance on night leg pains in children suggests.
NOT_FOR_CHILDREN = {"herbs", "supplements", "topical_product", "prescription_medicine",
                    "vitamin_a_foods"}
VESSEL_SPECIALISTS = {"cardiologist", "vascular_surgeon", "phlebologist"}
CIRCULATION_FINDINGS = {"symptoms.pain_when_walking", "symptoms.pale_cold_leg",
                        "conditions.raynaud", "conditions.obliterating_endarteritis",
                        "conditions.varicose_veins"}
SELF_CARE_KINDS = ("emergency_steps", "lifestyle_rules", "medication_info")


def advise(app, profile) -> dict:
    response = app.test_client().post("/v1/advice", json=profile)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def involved(app, answer: dict) -> set[str]:
    """Everything the answer's self-care items involve."""
    kb = app.extensions[Advisor].kb
    return {tag for kind in SELF_CARE_KINDS for item in answer[kind]
            for tag in kb.item(kind, item["id"]).attrs.get("involves", ())}


def reported(profile: dict) -> set[str]:
    return {f"{field}.{value}" for field, values in profile.items()
            if isinstance(values, list) for value in values}


@SETTINGS
@given(profile=valid_profiles())
def test_an_emergency_is_urgent_and_its_summary_and_first_warning_say_so(app, profile):
    answer = advise(app, profile)
    if not answer["call_emergency_services"]:
        return
    rules = app.extensions[Advisor].kb.rules
    emergency_rules = {rule.id for rule in rules if rule.call_emergency_services}
    assert answer["urgency"] == "urgent"
    assert answer["summary"].startswith("Call your local emergency number now")
    assert set(answer["warnings"][0]["rules"]) & emergency_rules


@SETTINGS
@given(profile=valid_profiles())
def test_an_urgent_answer_leads_with_what_to_do_now(app, profile):
    answer = advise(app, profile)
    if answer["urgency"] != "urgent":
        return
    urgency = {rule.id: rule.urgency for rule in app.extensions[Advisor].kb.rules}
    assert answer["summary"].startswith(("Seek medical care today", "Call your local emergency"))
    assert answer["warnings"], "an urgent answer says why in its first warning"
    assert {urgency[rule] for rule in answer["warnings"][0]["rules"]} & {"urgent"}


@SETTINGS
@given(profile=valid_profiles(), signs=distinct_list(("swelling", "redness", "warmth"), 1))
def test_a_swollen_red_or_warm_leg_is_never_massaged_rubbed_pinched_or_heated(
    app, profile, signs
):
    profile = {**profile, "symptoms": sorted({*profile.get("symptoms", []), *signs})}
    assert not involved(app, advise(app, profile)) & HANDS_ON


@SETTINGS
@given(profile=valid_profiles(), age=st.integers(0, 15))
def test_a_child_never_gets_herbs_supplements_rubs_or_prescription_medicines(app, profile, age):
    profile = {key: value for key, value in profile.items()
               if key not in ("pregnant", "pregnancy_trimester")}
    answer = advise(app, {**profile, "age": age})
    assert not involved(app, answer) & NOT_FOR_CHILDREN
    specialists = {entry["id"] for entry in answer["referral"]["specialists"]}
    if not reported(profile) & CIRCULATION_FINDINGS:
        assert not specialists & VESSEL_SPECIALISTS
        assert "dopplerography" not in {test["id"] for test in answer["referral"]["tests"]}


#: In pregnancy the midwife, GP or pharmacist decides on every product; supplements come only
#: as the article's pregnancy advice, which sends the person to the midwife for the product.
NOT_IN_PREGNANCY = {"herbs", "topical_product", "prescription_medicine", "vitamin_a_foods"}


@SETTINGS
@given(profile=valid_profiles())
def test_in_pregnancy_no_herbs_rubs_prescription_medicines_or_liver_and_the_midwife_is_named(
    app, profile
):
    answer = advise(app, {**profile, "pregnant": True})
    assert not involved(app, answer) & NOT_IN_PREGNANCY
    if not answer["call_emergency_services"]:  # then the call is the one message
        assert "pregnancy_midwife_first" in {item["id"] for item in answer["warnings"]}
    for kind in SELF_CARE_KINDS:
        for item in answer[kind]:
            if "supplements" in app.extensions[Advisor].kb.item(kind, item["id"]).attrs.get(
                    "involves", ()):
                assert "midwife" in item["text"], item["id"]


#: A finding, and what the advice must then never involve: failing kidneys cannot clear
#: minerals or extra fluid; a diseased liver takes no herbs or vitamin A and keeps its fluid
#: allowance; numb or diabetic feet are neither heated nor pinched.
ORGAN_AND_NERVE_LIMITS = [
    ("conditions", "chronic_renal_failure", {"supplements", "extra_fluid", "herbs"}),
    ("treatments", "hemodialysis", {"supplements", "extra_fluid", "herbs"}),
    ("conditions", "liver_cirrhosis", {"vitamin_a_foods", "herbs", "extra_fluid"}),
    ("conditions", "diabetes", {"heat", "pinching"}),
    ("symptoms", "numbness", {"heat", "pinching"}),
]


@SETTINGS
@given(profile=valid_profiles(), limit=st.sampled_from(ORGAN_AND_NERVE_LIMITS))
def test_kidney_or_liver_disease_and_numb_or_diabetic_feet_keep_their_limits(app, profile, limit):
    field, value, never = limit
    profile = {**profile, field: sorted({*profile.get(field, []), value})}
    assert not involved(app, advise(app, profile)) & never


@SETTINGS
@given(profile=valid_profiles(), age=st.integers(65, 120))
def test_no_one_of_65_or_over_is_told_to_get_up_quickly_or_offered_a_muscle_relaxant(
    app, profile, age
):
    answer = advise(app, {**profile, "age": age})
    assert "standing_up_quickly" not in involved(app, answer)
    assert "muscle_relaxants" not in {item["id"] for item in answer["medication_info"]}


BENIGN_TRIGGERS = ("prolonged_muscle_tension", "static_position", "cold_exposure", "poor_fitness",
                   "seasonal_deficiency", "hot_stuffy_bedroom", "high_heels", "hot_weather",
                   "toe_overload", "sudden_load_increase")


@st.composite
def healthy_adults_with_rare_short_cramps(draw) -> dict:
    """An adult of 16 to 64, not pregnant, no condition, symptom or medicine reported, whose
    cramps come rarely and last a few minutes at most."""
    profile = {
        "locations": draw(distinct_list(("calf", "foot", "toes", "thigh"), 1, 4)),
        "frequency": draw(st.sampled_from(("first_time", "rare"))),
        "duration_minutes": draw(st.floats(0.5, 5)),
        "age": draw(st.integers(16, 64)),
    }
    optional = {
        "time_of_day": st.sampled_from(("night", "day", "both")),
        "side": st.sampled_from(("one_leg", "both_legs")),
        "sex": st.sampled_from(("female", "male", "other", "unknown")),
        "active_now": st.booleans(),
        "warning_signs": distinct_list(("tension", "numbness", "pulling_pain")),
        "triggers": distinct_list(BENIGN_TRIGGERS),
        "smoker": st.just(False),
        "pregnant": st.just(False),
    }
    for field, strategy in optional.items():
        if draw(st.booleans()):
            profile[field] = draw(strategy)
    return profile


@SETTINGS
@given(profile=healthy_adults_with_rare_short_cramps())
def test_a_healthy_adult_with_rare_short_cramps_gets_self_care_and_no_alarm(app, profile):
    answer = advise(app, profile)
    assert answer["urgency"] == "self_care"
    assert answer["call_emergency_services"] is False
    assert answer["referral"]["needed"] is False
    assert not [group for group in answer["cause_groups"] if CAUSE_GROUPS[group["id"]]]


@SETTINGS
@given(profile=valid_profiles(), data=st.data())
def test_reporting_the_side_or_the_age_never_lowers_urgency(app, profile, data):
    field = data.draw(st.sampled_from(("side", "age")))
    if field in profile:
        return
    value = data.draw(st.sampled_from(("one_leg", "both_legs")) if field == "side"
                      else st.integers(0, 120))
    before = advise(app, profile)
    after = advise(app, {**profile, field: value})
    assert URGENCIES.index(after["urgency"]) >= URGENCIES.index(before["urgency"])
    assert after["call_emergency_services"] >= before["call_emergency_services"]
