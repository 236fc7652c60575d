"""``encode`` writes what ``json.dumps`` writes, and every text an answer's part carries is the
JSON of that part's plain form (service/contract/encoded.py, answer.py)."""

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from service.advice.advisor import Advisor
from service.contract.answer import plain
from service.contract.encoded import encode
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


def carried(value) -> list:
    """Every part of ``value`` that carries its JSON text, however deep."""
    found = [value] if getattr(value, "json", None).__class__ is str else []
    if hasattr(value, "__dataclass_fields__"):
        children = [getattr(value, name) for name in value.__dataclass_fields__]
    else:
        children = value if isinstance(value, tuple) else ()
    return found + [inner for child in children for inner in carried(child)]


@settings(max_examples=500)
@given(value=values)
def test_encode_writes_any_json_value_as_json_dumps_does(value):
    assert encode(value) == dumps(value)


def test_keys_that_are_not_strings_are_written_as_json_dumps_writes_them():
    value = {1: "a", False: [2.5], None: {"x": float("inf")}, 2.5: True}
    assert encode(value) == dumps(value)


@settings(max_examples=150, deadline=None)
@given(profile=valid_profiles())
def test_every_text_an_answers_part_carries_is_the_json_of_its_plain_form(profile):
    answer = ADVISOR.advise(load_profile(profile))
    parts = carried(answer)
    assert parts  # trace steps at least: every answer has one
    for part in parts:
        assert part.json == dumps(plain(part))
    assert answer.json() == dumps(answer.as_dict())
