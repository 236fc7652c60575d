"""Bad input in the intake page: the service's field errors show next to the fields.

The page sends what the person entered and lets the service judge it; a 400's ``errors`` (a
problem document) appear beside each named field, which is marked ``aria-invalid`` and points
to its message with ``aria-describedby``, and in a summary at the top of the form.
"""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

#: Chromium logs every 4xx a page's fetch gets as a console error; these tests provoke one.
BAD_REQUEST_LOGGED = r"status of 400"


def _assert_error_next_to(intake, name: str, message: str) -> None:
    field = intake.field(name)
    error = field.locator(".field-error")
    expect(error).to_be_visible()
    expect(error).to_contain_text(message)
    error_id = error.get_attribute("id")
    for control in field.locator("input").all():
        expect(control).to_have_attribute("aria-invalid", "true")
        expect(control).to_have_attribute("aria-describedby", re.compile(rf"\b{error_id}\b"))
    summary = intake.page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link", name=re.compile(message, re.I))).to_have_attribute(
        "href", f"#field-{name}")


def test_an_age_out_of_range_shows_the_service_error_next_to_the_age(intake):
    intake.expected_console.append(BAD_REQUEST_LOGGED)
    intake.open()
    intake.check("locations", "Calf")
    intake.fill("age", 130)
    intake.send()

    _assert_error_next_to(intake, "age", "less than or equal to 120")
    expect(intake.answer).to_be_hidden()
    intake.screenshot("error-age")

    intake.fill("age", 40)
    intake.send()
    expect(intake.page.locator(".field-error")).to_have_count(0)
    expect(intake.field("age").get_by_role("spinbutton")).not_to_have_attribute(
        "aria-invalid", "true")
    expect(intake.answer).to_be_visible()


def test_no_location_shows_that_the_location_is_required(intake):
    intake.expected_console.append(BAD_REQUEST_LOGGED)
    intake.open()
    intake.send()
    _assert_error_next_to(intake, "locations", "required")


def test_a_value_the_service_does_not_know_is_refused_next_to_its_field(intake):
    intake.expected_console.append(BAD_REQUEST_LOGGED)
    intake.open()
    # A page out of step with the service: its checkbox sends a value the contract lacks.
    intake.page.evaluate("document.getElementById('locations-calf').value = 'calff'")
    intake.check("locations", "Calf")
    intake.send()
    _assert_error_next_to(intake, "locations", "Must be one of: calf, foot, toes, thigh")


def test_the_trimester_is_asked_only_in_pregnancy_and_a_forced_one_is_refused(intake):
    intake.expected_console.append(BAD_REQUEST_LOGGED)
    intake.open()
    trimester = intake.field("pregnancy_trimester")
    intake.check("pregnant", "Yes")
    expect(trimester).to_be_visible()
    intake.check("pregnant", "No")
    expect(trimester).to_be_hidden()
    expect(trimester.get_by_role("spinbutton", include_hidden=True)).to_be_disabled()

    # Forced into view, filled in and sent without "pregnant: yes", which the service refuses.
    intake.check("pregnant", "Don't know / skip")
    intake.check("locations", "Calf")
    intake.page.evaluate("""() => {
        const field = document.getElementById('field-pregnancy_trimester');
        field.hidden = false;
        Object.assign(field.querySelector('input'), {disabled: false, value: '2'});
    }""")
    intake.send()
    _assert_error_next_to(intake, "pregnancy_trimester", "pregnant: true")


def test_text_that_is_not_a_number_is_caught_by_the_page_itself(intake):
    intake.open()
    intake.check("locations", "Calf")
    intake.field("duration_minutes").get_by_role("spinbutton").focus()
    intake.page.keyboard.type("e")  # a number input takes "e", and scripts then see ""
    intake.send()
    _assert_error_next_to(intake, "duration_minutes", "Enter a number")
