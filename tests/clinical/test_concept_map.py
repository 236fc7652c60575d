"""The concept map (tests/clinical/concepts.yaml) says, by item id, how each concept of the
vignettes' vocabulary is recognised in an answer; these keep it complete and true to rules/."""

import pytest

from tests.support.knowledge import project_knowledge
from tests.support.vignette_judging import CONCEPT_MAP
from tests.support.vignettes import VIGNETTES

KB = project_knowledge()
CONCEPTS = CONCEPT_MAP["concepts"]
#: The vocabulary of the writer's README (their tools/validate.py lists the same).
VOCABULARY = {
    "call_ambulance", "same_day_assessment", "clot_warning", "limb_ischaemia_warning",
    "muscle_breakdown_warning", "tetanus_warning", "pre_eclampsia_warning",
    "septic_joint_or_bone_warning", "heavy_bleeding_anaemia_advice", "statin_review",
    "stop_statin_now", "medicine_review", "stretching_advice", "hydration_advice",
    "hands_on_or_heat", "potassium_or_mineral_supplements", "quinine", "drug_dose",
    "heart_or_vessel_workup", "neurology_referral", "vascular_referral", "routine_blood_test",
    "toxic_exposure_warning", "renal_team_review", "midwife_or_maternity_contact",
    "heat_illness_advice"}
ANSWER_FIELDS = {"urgency", "call_emergency_services"}
HANDS_ON_TAGS = {"massage", "rubbing", "pinching", "heat"}


def test_the_map_names_every_concept_of_the_vocabulary_and_no_other():
    assert set(CONCEPTS) == VOCABULARY
    used = {c for v in VIGNETTES for c in v["expected"]["require"] + v["expected"]["forbid"]}
    assert used <= VOCABULARY


@pytest.mark.parametrize("concept", sorted(VOCABULARY))
def test_every_id_the_map_names_is_an_item_of_that_part_of_the_knowledge_base(concept):
    how = CONCEPTS[concept]
    assert set(how.get("field") or {}) <= ANSWER_FIELDS
    for part, ids in (how.get("ids") or {}).items():
        assert set(ids) <= set(KB.items[part]), f"{part} has no {set(ids) - set(KB.items[part])}"


@pytest.mark.parametrize("concept", sorted(VOCABULARY))
def test_a_concept_no_item_shows_says_why(concept):
    how = CONCEPTS[concept]
    shown = how.get("field") or any((how.get("ids") or {}).values())
    assert shown or how.get("pending") or how.get("none")


def test_every_hands_on_or_heat_item_of_the_knowledge_base_counts_as_hands_on_or_heat():
    how = CONCEPTS["hands_on_or_heat"]
    mapped = {(part, each) for key in ("ids", "not_counted") for part, ids in how[key].items()
              for each in ids}
    tagged = {(part, item_id) for part, items in KB.items.items()
              for item_id, item in items.items()
              if HANDS_ON_TAGS & set(item.attrs.get("involves") or ())}
    assert tagged - mapped == set()


def test_every_specialist_and_test_is_either_general_care_or_a_specialist_work_up():
    referral = CONCEPT_MAP["referral"]
    for part in ("specialists", "tests"):
        general = set(referral["general_care"][part])
        work_up = set(referral["specialist_work_up"][part])
        assert not general & work_up
        assert general | work_up == set(KB.items[part])


def test_a_heart_or_vessel_work_up_is_a_cardiologist_vascular_surgeon_phlebologist_or_doppler():
    ids = CONCEPTS["heart_or_vessel_workup"]["ids"]
    assert {"cardiologist", "vascular_surgeon", "phlebologist"} <= set(ids["specialists"])
    assert "dopplerography" in ids["tests"]
