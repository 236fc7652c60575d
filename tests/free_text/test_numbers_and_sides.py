"""Contract 1.2's reading conventions: numbers in words and ranges, frequencies, trimesters,
sides, and "leg" alone naming no location."""

import pytest


def profile(parser, text: str) -> dict:
    return parser.parse(text).profile


@pytest.mark.parametrize(("text", "minutes"), [
    ("cramps last half an hour", 30), ("lasts 10 to 20 minutes", 15), ("5-10 mins each", 7.5),
    ("about 30 seconds", 0.5), ("a minute or two", 1.5), ("an hour and a half", 90),
    ("three to five minutes", 4), ("a couple of minutes", 2), ("quarter of an hour", 15),
])
def test_a_duration_in_words_or_a_range_counts_as_its_minutes_or_midpoint(parser, text, minutes):
    assert profile(parser, text)["duration_minutes"] == minutes


@pytest.mark.parametrize("text", ["a 13 hour flight", "it happened an hour ago",
                                  "its been 5 minutes so far"])
def test_a_number_that_is_not_a_cramp_s_length_is_no_duration(parser, text):
    assert "duration_minutes" not in profile(parser, text)


def test_a_duration_beyond_the_contract_is_unmapped(parser):
    draft = parser.parse("my calf cramped for 5 hours straight")
    assert "duration_minutes" not in draft.profile
    assert [u.text for u in draft.unmapped] == ["5 hours"]


@pytest.mark.parametrize(("text", "age"), [
    ("I'm seventy-two", 72), ("aged sixty eight", 68), ("66M", 66), ("my son (16)", 16),
    ("75 YEARS OLD", 75), ("17yo", 17), ("my daughter is 8 months old", 0),
])
def test_an_age_in_digits_or_words(parser, text, age):
    assert profile(parser, text)["age"] == age


@pytest.mark.parametrize(("text", "frequency"), [
    ("every night", "daily"), ("most nights", "daily"), ("5 times a week", "daily"),
    ("twice a week", "weekly"), ("2x a wk", "weekly"), ("every other night", "weekly"),
    ("2-3 times a month", "monthly"), ("fortnightly", "monthly"),
    ("a few times a year", "rare"), ("once every two months", "rare"),
    ("never had them before", "first_time"),
])
def test_frequency_follows_the_contract_s_conventions(parser, text, frequency):
    assert profile(parser, f"calf cramps {text}")["frequency"] == frequency


@pytest.mark.parametrize(("text", "trimester"), [
    ("34 weeks pregnant", 3), ("pregnant 12 weeks", 1), ("20 weeks pregnant", 2),
    ("7 months pregnant", 3), ("in my second trimester", 2),
])
def test_a_pregnancy_s_length_gives_its_trimester_with_pregnant_true(parser, text, trimester):
    assert profile(parser, f"I'm {text}") == {"pregnant": True, "pregnancy_trimester": trimester}


@pytest.mark.parametrize(("text", "side"), [
    ("my left calf cramps", "one_leg"), ("cramps in my right foot", "one_leg"),
    ("cramps in both legs", "both_legs"), ("my calves cramp", "both_legs"),
    ("right foot and left calf cramp", "both_legs"),
])
def test_the_side_comes_from_left_right_or_plural_leg_parts(parser, text, side):
    assert profile(parser, text)["side"] == side


def test_leg_alone_names_no_location_and_no_side(parser):
    assert profile(parser, "my leg cramps up sometimes") == {}
