"""ConText's scope rules, one behaviour each: cue direction, terminators, the window, commas,
pseudo-cues, and each category (absent, other person, hypothetical, historical)."""

import pytest


def said(parser, text: str, field: str, value) -> set[str]:
    """The assertions the parser gives ``field=value`` in ``text``."""
    return {f.assertion for f in parser.parse(text).findings
            if f.field == field and f.value == value}


@pytest.mark.parametrize(("text", "expected"), [
    ("no swelling", "absent"),
    ("never had any swelling", "absent"),
    ("without swelling", "absent"),
    ("haven't noticed any swelling", "absent"),
    ("swelling denied", "absent"),
    ("my left calf is swollen", "present"),
])
def test_a_negation_cue_reads_in_its_direction(parser, text, expected):
    assert said(parser, text, "symptoms", "swelling") == {expected}


@pytest.mark.parametrize("terminator", ["but", ";", ".", "though", "however"])
def test_a_terminator_ends_the_scope(parser, terminator):
    text = f"no fever {terminator} my calf is swollen"
    assert said(parser, text, "symptoms", "fever") == {"absent"}
    assert said(parser, text, "symptoms", "swelling") == {"present"}


def test_a_negation_reaches_only_its_window_of_words(parser):
    near = "no real sign of any swelling"
    far = "no idea why it happens in the evenings after long walks home swelling"
    assert said(parser, near, "symptoms", "swelling") == {"absent"}
    assert said(parser, far, "symptoms", "swelling") == {"present"}


def test_a_negation_carries_over_a_list_but_not_over_a_new_clause(parser):
    listed = parser.parse("no swelling, redness or warmth")
    assert {f.assertion for f in listed.findings} == {"absent"}
    assert said(parser, "no swelling, I'm on water tablets", "treatments", "diuretics") == {
        "present"}


@pytest.mark.parametrize(("text", "field", "value", "expected"), [
    ("calf cramps, not only at night but also in the afternoon", "time_of_day", "both",
     "present"),
    ("never had them before, cramp in my calf", "frequency", "first_time", "present"),
    ("no increase in pain, calf cramps and swelling", "symptoms", "swelling", "present"),
    ("not sure why, my calf is swollen", "symptoms", "swelling", "present"),
])
def test_a_pseudo_cue_holds_a_cue_s_words_but_is_no_cue(parser, text, field, value, expected):
    assert said(parser, text, field, value) == {expected}


@pytest.mark.parametrize("text", ["my mum had a clot", "my brother is on statins",
                                  "my partner smokes", "my sister had a PE"])
def test_what_another_person_has_is_other_person(parser, text):
    assert {f.assertion for f in parser.parse(text).findings} == {"other_person"}


def test_the_person_the_text_is_about_is_the_patient(parser):
    draft = parser.parse("my husband is 70 and gets cramps in his calves, he's on losartan")
    assert said(parser, "my husband is 70 and gets cramps in his calves, he's on losartan",
                "treatments", "ace_inhibitors_or_arbs") == {"present"}
    assert draft.profile["sex"] == "male" and draft.profile["age"] == 70


def test_what_a_wife_says_of_the_patient_stays_the_patient_s(parser):
    assert said(parser, "my wife says I twitch in my sleep", "symptoms", "twitching") == {
        "present"}


@pytest.mark.parametrize("text", ["if it swells what should I do", "in case it swells",
                                  "told to watch out for swelling", "should it swell up"])
def test_what_might_happen_is_hypothetical(parser, text):
    assert said(parser, text, "symptoms", "swelling") == {"hypothetical"}


@pytest.mark.parametrize(("text", "field", "value"), [
    ("broke my ankle years ago", "conditions", "bone_fracture"),
    ("I used to smoke", "smoker", True),
    ("ex smoker", "smoker", True),
    ("knee surgery 20 years ago", "risk_factors", "recent_surgery"),
])
def test_what_is_over_is_historical(parser, text, field, value):
    assert said(parser, text, field, value) == {"historical"}


@pytest.mark.parametrize(("text", "field", "value"), [
    ("had a hip replacement 5 weeks ago", "risk_factors", "recent_surgery"),
    ("DVT 6 years ago", "risk_factors", "previous_clot"),
    ("a stroke last year", "conditions", "cerebrovascular_disorder"),
])
def test_a_date_inside_the_value_s_time_window_stays_present(parser, text, field, value):
    assert said(parser, text, field, value) == {"present"}


def test_only_present_findings_go_into_the_profile_and_a_denied_boolean_as_false(parser):
    draft = parser.parse("no swelling, never smoked, not pregnant, if it goes red. my mum has "
                         "diabetes. calf cramps")
    assert draft.profile == {"locations": ["calf"], "smoker": False, "pregnant": False}
    assert ("symptoms", "swelling") in draft.reported_absent
    assert all(f.assertion != "present" for f in draft.findings if f.field != "locations")
