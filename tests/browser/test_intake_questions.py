"""The form is the service's Questionnaire: what contract 1.1 added shows up, in its words.

Nothing in the page names a field, so a new item (``side``) and new answer options appear by
themselves; these tests check that they do, with the Questionnaire's texts, and are sent.
"""

import pytest
from playwright.sync_api import expect

from tests.support.fhir_builders import QUESTIONNAIRE_PATH

pytestmark = pytest.mark.browser

NEW_OPTIONS = {
    "symptoms": ["dark_urine", "pain_when_walking", "pale_cold_leg", "muscle_wasting",
                 "twitching", "fever", "chest_pain", "breathlessness"],
    "treatments": ["statins", "new_medicine"],
    "triggers": ["toxic_exposure"],
    "conditions": ["contaminated_wound"],
}


def _questionnaire_items(intake) -> dict[str, dict]:
    questionnaire = intake.page.request.get(QUESTIONNAIRE_PATH).json()
    return {item["linkId"]: item for item in questionnaire["item"]}


def _displays(item: dict) -> dict[str, str]:
    return {option["valueCoding"]["code"]: option["valueCoding"]["display"]
            for option in item["answerOption"]}


def test_the_form_asks_right_after_where_whether_the_cramps_are_in_one_leg_or_both(intake):
    intake.open()
    side = _questionnaire_items(intake)["side"]

    field = intake.field("side")
    expect(field).to_be_visible()
    expect(field.locator("legend")).to_have_text(side["text"])
    labels = field.locator("label").all_inner_texts()
    assert labels == [*_displays(side).values(), "Don't know / skip"]
    assert labels[:2] == ["One leg", "Both legs"]
    expect(field.get_by_role("radio")).to_have_count(3)
    expect(field.get_by_label("Don't know / skip", exact=True)).to_be_checked()
    ids = intake.page.locator("#questions > .field").evaluate_all("(all) => all.map((f) => f.id)")
    assert ids[:3] == ["field-locations", "field-side", "field-time_of_day"]


def test_the_new_symptoms_medicines_triggers_and_conditions_are_offered_as_checkboxes(intake):
    intake.open()
    items = _questionnaire_items(intake)

    for name, codes in NEW_OPTIONS.items():
        displays = _displays(items[name])
        field = intake.field(name)
        expect(field.get_by_role("checkbox")).to_have_count(len(displays))
        for code in codes:
            box = field.get_by_label(displays[code], exact=True)
            expect(box).to_be_visible()
            expect(box).to_have_attribute("type", "checkbox")
            expect(box).to_have_attribute("value", code)
    expect(intake.field("symptoms").get_by_label("Chest pain", exact=True)).to_be_visible()
    intake.field("symptoms").evaluate("(field) => field.scrollIntoView()")
    intake.screenshot("questions-symptoms", full_page=False)


def test_one_swollen_leg_is_urgent_and_two_swollen_legs_can_wait_a_day_or_two(intake):
    intake.open()
    intake.check("locations", "Calf")
    intake.check("symptoms", "Swelling")
    intake.check("side", "One leg")
    intake.send()
    expect(intake.answer.locator(".urgency")).to_contain_text("Urgent: seek medical care today")

    intake.check("side", "Both legs")
    intake.send()
    expect(intake.answer.locator(".urgency")).to_contain_text("See a doctor soon")
    expect(intake.answer.get_by_role("alert")).to_have_count(0)
