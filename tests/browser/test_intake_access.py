"""The intake page for everyone: labels, keyboard only, a phone screen, and its strict policy."""

import time

import pytest
from playwright.sync_api import expect

from service.contract.vocabulary import label

pytestmark = pytest.mark.browser

#: Each control's accessible name and each fieldset's legend, as the browser computes them (a
#: button is named by its own text).
UNLABELLED = """() => [
  ...[...document.querySelectorAll('input, select, textarea, button')]
    .filter((control) => control.labels !== null && control.type !== 'submit'
                         && !(control.tagName === 'BUTTON' && control.textContent.trim())
                         && control.labels.length === 0)
    .map((control) => `no label: ${control.id || control.name}`),
  ...[...document.querySelectorAll('fieldset')]
    .filter((fieldset) => !fieldset.querySelector(':scope > legend')?.textContent.trim())
    .map((fieldset) => `no legend: ${fieldset.id}`),
]"""
#: How far the page is wider than the screen, in CSS pixels (0: no horizontal scroll).
OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


def test_every_control_has_a_label_and_every_group_a_legend(intake):
    intake.open()
    assert intake.page.locator("html").get_attribute("lang") == "en"
    assert intake.page.evaluate(UNLABELLED) == []
    assert intake.page.locator("fieldset").count() >= 10


def test_the_form_can_be_filled_in_and_sent_with_the_keyboard_alone(intake):
    intake.open()
    intake.tab_until("#locations-calf")
    focus_ring = intake.page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert focus_ring == "solid", "the focused control shows no focus ring"
    intake.page.keyboard.press("Space")
    intake.tab_until("[name=time_of_day]")
    intake.page.keyboard.press("ArrowDown")  # from "Don't know / skip" round to "Night"
    intake.send(keyboard=True)

    expect(intake.answer).to_be_focused()
    expect(intake.answer.locator(".urgency")).to_be_in_viewport()
    expect(intake.field("locations").get_by_label("Calf", exact=True)).to_be_checked()
    expect(intake.field("time_of_day").get_by_label("Night", exact=True)).to_be_checked()
    expect(intake.part("What to do").get_by_role("heading", name="At night")).to_be_visible()


def test_on_a_phone_nothing_is_wider_than_the_screen(phone_intake):
    intake = phone_intake
    intake.open()
    assert intake.page.evaluate("window.innerWidth") == 360
    assert intake.page.evaluate(OVERFLOW) == 0
    intake.check("locations", "Calf", "Thigh")
    intake.check("conditions", "Varicose veins",
                 label("conditions", "carbohydrate_metabolism_disorder"))
    intake.check("symptoms", "Swelling", "Warmth")
    intake.check("time_of_day", "Night")
    intake.check("frequency", label("frequency", "weekly"))
    intake.send()
    expect(intake.answer.get_by_role("alert")).to_be_in_viewport()
    assert intake.page.evaluate(OVERFLOW) == 0
    intake.screenshot("phone-red-flag-first-screen", full_page=False)
    intake.screenshot("phone-red-flag")
    for details in intake.answer.locator("details").all():  # the quotes and the trace too
        details.locator("summary").click()
    assert intake.page.evaluate(OVERFLOW) == 0


def test_the_policy_blocks_an_inline_script_and_the_watch_on_violations_sees_it(intake):
    intake.open()
    assert "script-src 'self';" in intake.page.request.get("/").headers["content-security-policy"]
    blocked = intake.page.evaluate("""() => new Promise((resolve) => {
        document.addEventListener('securitypolicyviolation',
                                  (event) => resolve(event.violatedDirective), {once: true});
        const script = document.createElement('script');
        script.textContent = 'window.injected = true';
        document.body.append(script);
    })""")
    assert blocked == "script-src-elem"
    assert intake.page.evaluate("window.injected") is None
    deadline = time.monotonic() + 5
    while not intake.csp_violations and time.monotonic() < deadline:
        intake.page.evaluate("0")  # lets Playwright deliver the page's report
    assert intake.csp_violations == ["script-src-elem blocked inline"]
    # Expected here; in any other test, a violation or its console message fails the test.
    intake.csp_violations.clear()
    intake.expected_console.append("Content Security Policy")


def test_a_questionnaire_that_cannot_be_loaded_shows_the_operation_outcome_s_diagnostics(
    intake, server
):
    # The page's fetch goes to a path the service does not serve: a real 404 OperationOutcome.
    intake.page.route("**/v1/fhir/Questionnaire/leg-cramps-intake", lambda route: route.continue_(
        url=f"{server.base_url}/v1/fhir/Questionnaire/not-the-intake"))
    intake.expected_console.append(r"status of 404")
    intake.page.goto("/")

    expect(intake.page.locator("#loading")).to_contain_text(
        "The questions could not be loaded (The requested URL was not found on the server.")
