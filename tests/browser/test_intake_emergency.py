"""Answers that need an ambulance or care today, and the published guidance behind the advice.

An answer with ``call_emergency_services`` (contract 1.1) opens with a call for an ambulance, an
alert before anything else of the answer, its heading included, with the first warning as its
reason (an urgent answer without it keeps its urgent alert: test_intake_profiles.py). A safety
item's source lists the published guidance it follows as links. The expected texts come from
the service's own answer.
"""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

EMERGENCY = "Emergency: call an ambulance now"
CALL_NOW = ("Call your local emergency number now (999 in the UK, 112 in Europe, "
            "911 in North America) and ask for an ambulance.")
#: How far the page is wider than the screen, in CSS pixels (0: no horizontal scroll).
OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


def _advice(intake, profile: dict) -> dict:
    """What the service answers for ``profile``, to compare the page with."""
    return intake.page.request.post("/v1/advice", data=profile).json()


def test_chest_pain_calls_for_an_ambulance_first_and_the_keyboard_reaches_that_first(intake):
    intake.open()
    intake.check("locations", "Calf")
    intake.check("symptoms", "Chest pain")
    intake.send(keyboard=True)
    advice = _advice(intake, {"locations": ["calf"], "symptoms": ["chest_pain"]})
    assert advice["call_emergency_services"] is True

    # The focus lands on the answer, whose first child is the alert: read before the heading.
    expect(intake.answer).to_be_focused()
    alert = intake.answer.locator(":scope > *").first
    expect(alert).to_have_attribute("role", "alert")
    expect(alert).to_be_in_viewport()
    expect(alert.locator(".urgency-title")).to_have_text(EMERGENCY)
    expect(alert.locator(".emergency-call")).to_have_text(CALL_NOW)
    reason = advice["warnings"][0]["text"]
    assert reason.startswith("Chest pain")
    expect(alert.locator(".emergency-reason")).to_have_text(f"Why: {reason}")
    snapshot = intake.answer.aria_snapshot().splitlines()
    assert snapshot[1].startswith("  - alert"), snapshot[:3]
    expect(intake.answer.get_by_role("alert")).to_have_count(1)
    assert intake.outline()[0] == EMERGENCY
    assert intake.outline()[1] == "Warnings"
    expect(intake.part("Warnings").locator(".item-text").first).to_have_text(reason)
    if not advice["referral"]["needed"]:  # which would contradict the call for an ambulance
        expect(intake.answer).not_to_contain_text("no doctor visit is needed")
    intake.screenshot("emergency-chest-pain")


def test_on_a_phone_the_call_for_an_ambulance_is_the_first_screen_and_fits_it(phone_intake):
    intake = phone_intake
    intake.open()
    intake.check("locations", "Calf")
    intake.check("symptoms", "Swelling", "Breathlessness")
    intake.send()
    advice = _advice(intake, {"locations": ["calf"], "symptoms": ["swelling", "breathlessness"]})

    alert = intake.answer.get_by_role("alert")
    expect(alert).to_have_class(re.compile(r"\burgency--emergency\b"))
    expect(alert).to_be_in_viewport()
    expect(alert.locator(".emergency-reason")).to_have_text(
        f"Why: {advice['warnings'][0]['text']}")
    # The summary's own call is not said twice; it is the whole summary of an emergency (the
    # answer says only what helps until help arrives), so no other sentence follows it.
    expect(intake.answer.get_by_text(CALL_NOW)).to_have_count(1)
    assert advice["summary"] == CALL_NOW
    expect(intake.answer.locator(".answer-summary")).to_have_count(0)
    assert intake.page.evaluate(OVERFLOW) == 0
    intake.screenshot("phone-emergency-first-screen", full_page=False)
    for details in intake.answer.locator("details").all():  # sources, references, the trace
        details.locator("summary").click()
    assert intake.page.evaluate(OVERFLOW) == 0
    intake.screenshot("phone-emergency-sources")


def test_a_safety_warning_lists_the_published_guidance_it_follows_as_https_links(intake):
    intake.open()
    intake.check("locations", "Calf")
    intake.check("symptoms", "Swelling", "Redness")
    intake.send()
    advice = _advice(intake, {"locations": ["calf"], "symptoms": ["swelling", "redness"]})
    warning = next(each for each in advice["warnings"] if each["source"].get("references"))
    references = warning["source"]["references"]

    item = intake.items("Warnings").filter(has_text=warning["text"][:40])
    links = item.locator(".references a")
    expect(links.first).to_be_hidden()
    item.locator("summary").click()
    expect(item.locator("details")).to_contain_text("Published guidance it follows:")
    expect(links).to_have_count(len(references))
    for link, reference in zip(links.all(), references, strict=True):
        expect(link).to_be_visible()
        expect(link).to_have_accessible_name(f"{reference['title']} (opens in a new tab)")
        expect(link).to_have_attribute("href", re.compile(r"^https://"))
        assert link.get_attribute("href") == reference["url"]
        expect(link).to_have_attribute("rel", "noopener noreferrer")
        expect(link).to_have_attribute("target", "_blank")
    publishers = item.locator(".references .publisher").all_inner_texts()
    assert publishers == [reference["publisher"] for reference in references]

    # A safety item whose basis names no published guidance shows no list of it.
    bare = next(each for each in advice["warnings"] if not each["source"].get("references"))
    other = intake.items("Warnings").filter(has_text=bare["text"][:40])
    other.locator("summary").click()
    expect(other.locator("details")).to_contain_text("Safety guidance, not from the article.")
    expect(other.locator(".references")).to_have_count(0)
    intake.screenshot("references")
