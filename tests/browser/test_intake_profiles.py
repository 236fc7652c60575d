"""The intake page against a real gunicorn: a few profiles filled in, sent and read as shown.

Each test fills the form as a person would (by the labels the page builds from the service's
Questionnaire), sends it and reads what the page shows, in order. A screenshot of each answer
goes to test-artifacts/browser/.
"""

import pytest
from playwright.sync_api import expect

from service.contract.vocabulary import label

pytestmark = pytest.mark.browser

DISCLAIMER = "not a diagnosis or a substitute for a doctor"


def test_a_minimal_profile_gets_self_care_steps_each_with_its_source(intake):
    intake.open()
    intake.check("locations", "Calf")
    intake.send()

    expect(intake.answer).to_be_focused()
    banner = intake.answer.locator(".urgency")
    expect(banner).to_contain_text("Self-care")
    expect(banner).to_have_attribute("role", "status")
    steps = intake.part("What to do")
    expect(steps.get_by_role("heading", name="During a cramp")).to_be_visible()
    expect(steps.locator("li").first).to_contain_text("Massage the cramping muscle")

    quote = steps.locator("details.source").first
    expect(quote.locator("blockquote")).to_be_hidden()
    quote.locator("summary").click()
    expect(quote.locator("blockquote")).to_have_text("active limb massage;")
    expect(quote).to_contain_text("section “What to do with leg cramps?”")

    follow_up = intake.part("Questions that could change this advice")
    expect(follow_up.get_by_role("link", name="Do you smoke?")).to_have_attribute(
        "href", "#field-smoker")
    expect(intake.answer.locator(".disclaimer")).to_contain_text(DISCLAIMER)
    expect(intake.page.locator("#disclaimer")).to_contain_text(DISCLAIMER)
    intake.screenshot("minimal")


def test_weekly_night_cramps_go_to_the_gp_who_may_refer_for_a_doppler_scan(intake):
    intake.open()
    intake.check("locations", "Calf")
    intake.check("time_of_day", "Night")
    intake.check("frequency", label("frequency", "weekly"))
    intake.send()

    expect(intake.answer.locator(".urgency")).to_contain_text("Book a visit to a doctor")
    referral = intake.part("Seeing a doctor")
    gp = referral.locator("li").filter(
        has=intake.page.get_by_text("General practitioner (GP)", exact=True))
    expect(gp).to_contain_text("start with a general practitioner")
    expect(referral).not_to_contain_text("Cardiologist")
    expect(intake.answer).to_contain_text("they may refer you to a specialist")
    expect(referral.get_by_role("heading", name="What to tell the doctor")).to_be_visible()
    expect(referral).to_contain_text("How often the cramps come.")

    outline = intake.outline()
    assert outline.index("During a cramp") < outline.index("At night")
    medicines = intake.part("Medicines")
    relaxant = intake.items("Medicines").filter(has_text="muscle relaxant")
    expect(relaxant.locator(".badge")).to_have_text("Prescription only: a doctor may prescribe")
    quinine = intake.items("Medicines").filter(has_text="Quinine")
    expect(quinine.locator(".badge")).to_have_text("Prescription only: a doctor may prescribe")
    expect(medicines.locator(".badge")).to_have_count(2)  # only the prescription-only ones
    intake.screenshot("night-weekly")


def test_a_swollen_red_calf_shows_an_urgent_alert_first_no_ambulance_and_no_massage(intake):
    intake.open()
    intake.check("locations", "Calf")
    intake.check("symptoms", "Swelling", "Redness")
    intake.send()

    alert = intake.answer.get_by_role("alert")
    expect(alert).to_have_count(1)
    expect(alert).to_be_in_viewport()
    expect(alert).to_contain_text("Urgent: seek medical care today")
    expect(intake.answer.locator(".urgency--emergency")).to_have_count(0)
    expect(intake.answer).not_to_contain_text("Emergency: call an ambulance now")
    outline = intake.outline()
    assert outline[0] == "Urgent: seek medical care today"
    assert outline.index("Warnings") < outline.index("What to do")

    clot = intake.items("Warnings").filter(has_text="deep vein thrombosis")
    expect(clot).to_be_visible()
    clot.locator("summary").click()
    expect(clot.locator("details")).to_contain_text("Safety guidance, not from the article.")
    expect(clot.locator("details")).to_contain_text("Basis: Guidance on DVT")
    expect(intake.part("What to do")).not_to_contain_text("Massage")
    expect(intake.answer).not_to_contain_text("pinch the tight muscle")
    intake.screenshot("red-flag")


def test_pregnancy_asks_for_the_trimester_and_warns_about_herbs_and_supplements(intake):
    intake.open()
    trimester = intake.field("pregnancy_trimester")
    expect(trimester).to_be_hidden()
    intake.check("locations", "Calf", "Foot")
    intake.check("sex", "Female")
    intake.check("pregnant", "Yes")
    expect(trimester).to_be_visible()
    intake.fill("pregnancy_trimester", 2)
    intake.send()

    warnings = intake.part("Warnings")
    expect(warnings).to_contain_text("Take no medicine, supplement or herbal remedy")
    causes = intake.part("Possible causes")
    expect(causes).to_contain_text("Lack of trace elements and vitamins")
    expect(causes).to_contain_text("Because you reported: Pregnancy trimester, Pregnant.")
    expect(causes.locator(".badge--danger")).to_have_count(0)
    intake.screenshot("pregnancy")


def test_a_dangerous_cause_is_marked_as_dangerous(intake):
    intake.open()
    intake.check("locations", "Calf")
    intake.check("conditions", "Varicose veins")
    intake.send()

    circulation = intake.items("Possible causes").filter(has_text="circulation")
    expect(circulation.locator(".badge--danger")).to_have_text("Dangerous: needs a doctor")
    expect(circulation).to_contain_text("Because you reported: Varicose veins.")
    intake.screenshot("varicose-veins")
