"""``encode`` writes what ``json.dumps`` writes, and every text an answer carries says what its
dict holds (service/advice/encoded.py)."""

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from service.advice.advisor import Advisor
from service.advice.encoded import Encoded, encode
from service.contract.request import load_profile
from tests.support.knowledge import project_knowledge
from tests.support.strategies import valid_profiles

ADVISOR = Advisor(project_knowledge())
scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text()
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


def dumps(value) -> str:
    return json.dumps(value, separators=(",", ":"))


def encoded(value: dict) -> Encoded:
    view = Encoded(value)
    view.json = dumps(value)
    return view


def carried(value) -> list[Encoded]:
    """Every Encoded in ``value``, however deep."""
    found = [value] if isinstance(value, Encoded) else []
    children = value.values() if isinstance(value, dict) else value if isinstance(
        value, list) else ()
    return found + [inner for child in children for inner in carried(child)]


@settings(max_examples=500)
@given(value=values)
def test_encode_writes_any_json_value_as_json_dumps_does(value):
    assert encode(value) == dumps(value)


@given(fields=st.dictionaries(st.text(), scalars, max_size=4), outer=st.text())
def test_an_encoded_dict_is_written_as_its_text_wherever_it_is(fields, outer):
    value = {outer: [encoded(fields), 1]}
    assert encode(value) == dumps(value)


def test_an_encoded_dict_is_taken_at_its_word():
    """The text is trusted, not checked: which is why one is never changed once made."""
    view = encoded({"a": 1})
    view["a"] = 2
    assert encode([view]) == '[{"a":1}]'


def test_keys_that_are_not_strings_are_written_as_json_dumps_writes_them():
    value = {1: "a", False: [2.5], None: {"x": float("inf")}, 2.5: True}
    assert encode(value) == dumps(value)


@settings(max_examples=150, deadline=None)
@given(profile=valid_profiles())
def test_every_text_an_answer_carries_is_the_json_of_what_its_dict_holds(profile):
    answer = ADVISOR.advise(load_profile(profile))
    views = carried(answer)
    assert views  # trace steps at least: every answer has one
    for view in views:
        assert view.json == dumps(dict(view))
