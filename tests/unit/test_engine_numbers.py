"""The engine reads every fact exactly as the adapter meant it, or the evaluation fails loudly.

durable-rules' C core reads ``1e-05`` (Python's way of writing 0.00001) as broken JSON; in a
batch it then silently dropped that fact and every fact after it. These tests hold the
adapter to reading numbers exactly across the whole float range and to refusing what it cannot
write; tests/unit/test_completeness.py shows that a fact the core misread would be caught.
"""

import math

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from service.engine import EngineError, RuleEngine, engine_json

pytestmark = pytest.mark.slow

THRESHOLDS = (-2.5, 0.0, 5e-324, 1e-05, 10.0, 240.0, 1.5e300)
OPERATORS = {"$gt": float.__gt__, "$gte": float.__ge__, "$lt": float.__lt__,
             "$lte": float.__le__}
RULES = {
    f"{op[1:]}_{index}": {"all": [{"m": {"$and": [{"f": "x"}, {op: {"v": threshold}}]}}]}
    for index, threshold in enumerate(THRESHOLDS) for op in OPERATORS
}
RULES["start"] = {"all": [{"m": {"f": "start"}}]}


def recording(rules: dict) -> RuleEngine:
    """An engine whose every rule's action notes the rule's name in the context (a list)."""
    actions = {name: (lambda context, name=name: context.append(name) or []) for name in rules}
    return RuleEngine("numbers", {name: dict(spec, run=name) for name, spec in rules.items()},
                      actions)


@pytest.fixture(scope="module")
def engine():
    return recording(RULES)


def fired_rules(engine, facts) -> set[str]:
    fired: list[str] = []
    engine.evaluate(facts, fired)
    return set(fired)


def expected_rules(value: float) -> set[str]:
    return {f"{op[1:]}_{index}" for index, threshold in enumerate(THRESHOLDS)
            for op, compare in OPERATORS.items() if compare(float(value), threshold)}


@settings(max_examples=300, deadline=None)
@given(value=st.one_of(st.floats(allow_nan=False, allow_infinity=False),
                       st.integers(-(2**53), 2**53)))
@example(value=1e-05)
@example(value=5e-324)
@example(value=-0.0)
@example(value=1.7976931348623157e308)
@example(value=0.00001 * 3)
def test_every_finite_number_is_compared_by_the_engine_exactly_as_python_compares_it(
    engine, value
):
    got = fired_rules(engine, [{"f": "x", "v": value}, {"f": "start", "v": True}])
    assert got == expected_rules(value) | {"start"}


@pytest.mark.parametrize("value, text", [
    (1e-05, "1.0e-05"), (-2.5e-300, "-2.5e-300"), (1e300, "1.0e+300"), (0.1, "0.1"),
    (240, "240"), (True, "true"),
])
def test_numbers_are_written_with_a_point_before_any_exponent(value, text):
    assert engine_json({"v": value}) == '{"v":' + text + "}"


@pytest.mark.parametrize("value", [
    math.nan, math.inf, -math.inf, 2**53 + 1, -(2**63), 'say "hi"', "back\\slash", "a b", "",
    None, 3j,
])
def test_a_value_the_engine_could_misread_is_refused_and_leaves_no_session(engine, value):
    with pytest.raises(EngineError):
        engine.evaluate([{"f": "start", "v": True}, {"f": "x", "v": value}], [])
    assert engine.open_sessions == 0


def test_a_threshold_in_exponent_form_compiles_and_compares_exactly():
    engine = recording({"tiny": {"all": [{"m": {"$and": [{"f": "x"}, {"$lt": {"v": 1e-05}}]}}]}})
    assert fired_rules(engine, [{"f": "x", "v": 9e-06}]) == {"tiny"}
    assert fired_rules(engine, [{"f": "x", "v": 1e-05}]) == set()
