"""ProfileSchema: the contract's request table, strict about types, silent about nothing."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from service.contract.problems import InvalidInput
from service.contract.request import ProfileSchema, flatten_messages, load_profile
from service.contract.vocabulary import ARRAY_FIELDS, ENUM_FIELDS, REQUEST_FIELDS

OPTIONAL = {
    **{field: st.lists(st.sampled_from(values), unique=True)
       for field, values in ARRAY_FIELDS.items() if field != "locations"},
    **{field: st.sampled_from(values) for field, values in ENUM_FIELDS.items()},
    "duration_minutes": st.integers(1, 240)
    | st.floats(0, 240, exclude_min=True, allow_nan=False),
    "active_now": st.booleans(),
    "smoker": st.booleans(),
    "pregnant": st.booleans(),
    "pregnancy_trimester": st.integers(1, 3),
    "age": st.integers(0, 120),
}
PROFILES = st.fixed_dictionaries(
    {"locations": st.lists(st.sampled_from(ARRAY_FIELDS["locations"]), min_size=1, unique=True)},
    optional=OPTIONAL,
).map(lambda p: {**p, "pregnant": True} if "pregnancy_trimester" in p else p)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=5,
)


def errors_of(body) -> dict:
    with pytest.raises(InvalidInput) as raised:
        load_profile(body)
    return raised.value.errors


def test_the_schema_has_exactly_the_fields_of_the_contract():
    assert set(ProfileSchema().fields) == set(REQUEST_FIELDS)


def test_an_absent_field_stays_absent_and_only_active_now_has_a_default():
    assert load_profile({"locations": ["foot"]}) == {"locations": ["foot"], "active_now": False}


@given(PROFILES)
def test_every_valid_profile_loads_unchanged(profile):
    assert load_profile(profile) == {"active_now": False, **profile}


@given(JSON_VALUES.filter(lambda value: not isinstance(value, bool)))
def test_a_boolean_field_accepts_nothing_but_true_and_false(value):
    assert set(errors_of({"locations": ["calf"], "smoker": value})) == {"smoker"}


@given(JSON_VALUES.filter(lambda value: type(value) is not int))
def test_an_integer_field_accepts_nothing_but_integers(value):
    assert set(errors_of({"locations": ["calf"], "age": value})) == {"age"}


@given(JSON_VALUES.filter(lambda value: type(value) not in (int, float)))
def test_a_number_field_accepts_nothing_but_numbers(value):
    errors = errors_of({"locations": ["calf"], "duration_minutes": value})
    assert set(errors) == {"duration_minutes"}


@pytest.mark.parametrize("value", [4, 4.0, 0.25])
def test_a_duration_keeps_the_number_as_sent(value):
    assert load_profile({"locations": ["calf"], "duration_minutes": value})["duration_minutes"] \
        == value


@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf")])
def test_a_duration_that_is_not_finite_is_rejected(value):
    assert list(errors_of({"locations": ["calf"], "duration_minutes": value})) \
        == ["duration_minutes"]


def test_repeated_values_are_named_once_each():
    errors = errors_of({"locations": ["toes", "calf", "toes", "calf"]})
    assert errors["locations"] == ["Values must be distinct; repeated: calf, toes."]


def test_a_trimester_needs_pregnant_true_even_when_pregnant_is_itself_wrong():
    errors = errors_of({"locations": ["calf"], "pregnant": "yes", "pregnancy_trimester": 2})
    assert set(errors) == {"pregnant", "pregnancy_trimester"}


def test_nested_messages_flatten_to_one_list_of_strings_per_field():
    nested = {"conditions": {0: ["Must be one of: a, b."], 3: ["Not a valid string."]},
              "age": ["Not a valid integer."], "_schema": ["Bad."]}
    assert flatten_messages(nested) == {
        "conditions": ["Item 0: Must be one of: a, b.", "Item 3: Not a valid string."],
        "age": ["Not a valid integer."],
        "_schema": ["Bad."],
    }


def test_an_array_names_the_allowed_values_once_then_each_bad_item():
    errors = errors_of({"locations": ["calf"], "conditions": ["diabetes", 3, {"a": 1}, "x"]})
    assert errors["conditions"] == [
        f"Must be one of: {', '.join(ARRAY_FIELDS['conditions'])}.",
        "Item 1: Not a valid string.",
        "Item 2: Not a valid string.",
        "Item 3: 'x' is not an allowed value.",
    ]


def test_a_long_bad_value_is_shown_cut():
    errors = errors_of({"locations": ["calf" * 100]})
    assert errors["locations"][1] == f"Item 0: {'calf' * 9 + 'cal…'!r} is not an allowed value."
