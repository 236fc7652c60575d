"""The intake page's "Describe it in your own words" box, in Chromium against a real gunicorn
with the real free-text parser: the words fill in the form, show which words set each answer,
leave what they deny unticked, list what could not be placed, and never ask for advice by
themselves; the person changes anything, then asks.
"""

import json

import pytest
from playwright.sync_api import expect

from service.contract.vocabulary import label

pytestmark = pytest.mark.browser

TEXT = "my left calf cramps most nights for about five minutes, no swelling, I'm 72 and feel dizzy"
#: Each control's accessible name, as the browser computes it (a button is named by its text).
UNLABELLED = """() => [...document.querySelectorAll('input, select, textarea, button')]
  .filter((control) => control.labels !== null && control.type !== 'submit'
                       && !(control.tagName === 'BUTTON' && control.textContent.trim())
                       && control.labels.length === 0)
  .map((control) => `no label: ${control.id || control.name}`)"""


def _describe(intake, text: str) -> None:
    intake.page.get_by_label("Your leg cramps in your own words").fill(text)
    intake.page.get_by_role("button", name="Fill in the questions from my words").click()
    expect(intake.page.locator("#own-words-result")).to_be_visible()


def test_the_words_fill_in_the_form_and_show_where_each_answer_came_from(intake):
    intake.open()
    asked = []
    intake.page.on("request", lambda request: asked.append(request.url))
    _describe(intake, TEXT)

    expect(intake.field("locations").get_by_label("Calf", exact=True)).to_be_checked()
    expect(intake.field("side").get_by_label(label("side", "one_leg"), exact=True)).to_be_checked()
    expect(intake.field("frequency").get_by_label(label("frequency", "daily"),
                                                  exact=True)).to_be_checked()
    expect(intake.field("time_of_day").get_by_label("Night", exact=True)).to_be_checked()
    expect(intake.field("duration_minutes").get_by_role("spinbutton")).to_have_value("5")
    expect(intake.field("age").get_by_role("spinbutton")).to_have_value("72")
    # The words behind the answers, marked in the text and quoted beside the fields.
    marked = intake.page.locator("#own-words-marked mark.found").all_inner_texts()
    assert "left calf" in marked and "most nights" in marked and "72" in marked
    expect(intake.field("age").locator(".from-words")).to_contain_text("“72”")
    expect(intake.field("locations").locator(".from-words")).to_contain_text("“calf”")
    expect(intake.page.locator(".own-words-unmapped")).to_contain_text("dizzy")
    # Reading the words asked for no advice.
    expect(intake.answer).to_be_hidden()
    assert not any(url.endswith("/v1/advice") for url in asked)
    intake.screenshot("own-words-filled")


def test_a_denied_finding_is_not_ticked_even_if_it_was_before(intake):
    intake.open()
    intake.check("symptoms", "Swelling")
    _describe(intake, "cramps in my right calf at night but no swelling")

    expect(intake.field("symptoms").get_by_label("Swelling", exact=True)).not_to_be_checked()
    expect(intake.page.locator(".own-words-absent")).to_contain_text("Swelling")
    expect(intake.page.locator("#own-words-marked mark.denied")).to_have_text("swelling")
    expect(intake.field("locations").get_by_label("Calf", exact=True)).to_be_checked()


def test_what_another_person_had_is_not_filled_in(intake):
    intake.open()
    _describe(intake, "my calf cramps at night. my mother had a blood clot")

    expect(intake.field("locations").get_by_label("Calf", exact=True)).to_be_checked()
    risk = label("risk_factors", "previous_clot")
    expect(intake.field("risk_factors").get_by_label(risk, exact=True)).not_to_be_checked()


def test_the_person_changes_the_draft_and_only_their_answers_are_sent(intake):
    intake.open()
    _describe(intake, "my left calf cramps most nights, I'm 72")
    intake.field("age").get_by_role("spinbutton").fill("")
    intake.field("locations").get_by_label("Calf", exact=True).uncheck()
    intake.check("locations", "Foot")

    with intake.page.expect_request(lambda request: request.url.endswith("/v1/advice")) as sent:
        intake.send()
    profile = json.loads(sent.value.post_data)
    assert profile["locations"] == ["foot"]
    assert "age" not in profile and "free_text" not in profile
    assert profile["side"] == "one_leg"
    expect(intake.answer.locator(".urgency")).to_be_visible()


def test_a_text_too_long_for_the_service_says_so_and_fills_in_nothing(intake):
    intake.open()
    intake.expected_console.append("the server responded with a status of 400")
    box = intake.page.get_by_label("Your leg cramps in your own words")
    box.evaluate("(box) => box.removeAttribute('maxlength')")  # as a script could
    box.fill("calf " * 250)
    intake.page.get_by_role("button", name="Fill in the questions from my words").click()

    expect(intake.page.locator("#own-words-status")).to_contain_text("1,000 characters")
    expect(intake.field("locations").get_by_label("Calf", exact=True)).not_to_be_checked()


def test_the_box_and_its_results_are_labelled_and_fit_a_phone(phone_intake):
    intake = phone_intake
    intake.open()
    _describe(intake, TEXT)

    assert intake.page.evaluate(UNLABELLED) == []
    status = intake.page.locator("#own-words-status")
    assert status.get_attribute("role") == "status"
    expect(status).to_contain_text("Please check them")
    overflow = "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    assert intake.page.evaluate(overflow) == 0
