"""The compiler writes rules the engine fires exactly when their conditions hold."""

from types import SimpleNamespace

import pytest

from service.engine import RuleEngine
from service.knowledge.compiler import compile_rules
from service.knowledge.model import Condition, Rule


def a_rule(rule_id: str, *all_terms: str, any_terms: tuple[str, ...] = ()) -> Rule:
    return Rule(
        id=rule_id, file="test.yaml", priority=0,
        all=tuple(map(Condition.parse, all_terms)), any=tuple(map(Condition.parse, any_terms)),
        derive=(), add={}, suppress={}, urgency=None, reason=None,
        source={"section": "safety", "basis": "test"},
    )


def fired(rules: list[Rule], facts: dict) -> set[str]:
    compiled = compile_rules(SimpleNamespace(rules=rules))
    actions = {name: (lambda context, rule=rule: context.append(rule.id) or [])
               for name, (rule, _) in compiled.branches.items()}
    engine = RuleEngine("compiled", compiled.ruleset, actions)
    notes: list[str] = []
    engine.evaluate([{"f": name, "v": value} for name, value in facts.items()], notes)
    return set(notes)


ADULT = a_rule("adult", "age >= 16", "age < 65")


@pytest.mark.parametrize("age, expected", [(15, set()), (16, {"adult"}), (64, {"adult"}),
                                           (65, set())])
def test_two_comparisons_of_one_number_are_one_pattern_that_fires_on_the_one_fact(
    age, expected
):
    assert fired([ADULT], {"age": age, "locations.calf": True}) == expected


def test_a_fact_named_twice_in_a_branch_still_fires():
    rule = a_rule("twice", "locations.calf", any_terms=("locations.calf", "locations.foot"))
    assert fired([rule], {"locations.calf": True}) == {"twice"}


def test_a_comparison_beside_a_fact_needs_both():
    rule = a_rule("long_calf", "locations.calf", "duration_minutes > 10")
    assert fired([rule], {"locations.calf": True, "duration_minutes": 11}) == {"long_calf"}
    assert fired([rule], {"locations.calf": True, "duration_minutes": 10}) == set()
    assert fired([rule], {"duration_minutes": 11}) == set()
