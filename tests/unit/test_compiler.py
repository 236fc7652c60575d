"""The compiler writes rules the engine fires exactly when their conditions hold."""

from types import SimpleNamespace

import pytest

from service.engine import RuleEngine
from service.knowledge import KnowledgeError
from service.knowledge.compiler import MAX_TESTS_PER_FACT, compile_rules
from service.knowledge.model import Condition, Rule
from service.knowledge.signals import input_signals
from tests.support.knowledge import project_knowledge


def a_rule(rule_id: str, *all_terms: str, any_terms: tuple[str, ...] = ()) -> Rule:
    return Rule(
        id=rule_id, file="test.yaml", priority=0,
        all=tuple(map(Condition.parse, all_terms)), any=tuple(map(Condition.parse, any_terms)),
        derive=(), add={}, suppress={}, urgency=None, reason=None,
        source={"section": "safety", "basis": "test"},
    )


def fired(rules: list[Rule], facts: dict) -> set[str]:
    compiled = compile_rules(SimpleNamespace(rules=rules))
    actions = {name: (lambda context, rule=rule: context.append(rule.id)
                      or [{"f": fact, "v": True} for fact in rule.derive])
               for name, (rule, _) in compiled.branches.items()}
    engine = RuleEngine("compiled", compiled.ruleset, actions)
    notes: list[str] = []
    engine.evaluate(compiled.facts(list(facts.items())), notes)
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


def test_the_signals_of_one_field_are_one_fact_and_a_number_or_a_true_boolean_its_own():
    compiled = compile_rules(SimpleNamespace(rules=[ADULT]))
    signals = [("age", 34), ("smoker", True), ("symptoms.redness", True),
               ("symptoms.swelling", True)]
    assert compiled.facts(signals) == [
        {"f": "age", "v": 34}, {"f": "smoker", "v": True},
        {"f": "symptoms", "redness": True, "swelling": True},
    ]


def test_two_signals_of_one_field_fire_a_rule_only_together():
    rule = a_rule("swollen_red", "symptoms.swelling", "symptoms.redness")
    assert fired([rule], {"symptoms.swelling": True, "symptoms.redness": True}) == {
        "swollen_red"}
    assert fired([rule], {"symptoms.swelling": True, "symptoms.warmth": True}) == set()


def test_a_derived_fact_chains_into_a_rule_on_a_field_of_the_profile():
    derive = Rule(**{**vars(a_rule("leg", "locations.calf")), "derive": ("leg_cramp",)})
    uses = a_rule("night_leg", "leg_cramp", "time_of_day.night")
    assert fired([derive, uses], {"locations.calf": True, "time_of_day.night": True}) == {
        "leg", "night_leg"}
    assert fired([derive, uses], {"locations.foot": True, "time_of_day.night": True}) == set()


def test_a_derived_fact_named_as_a_request_field_is_refused():
    clash = Rule(**{**vars(a_rule("clash", "locations.calf")), "derive": ("symptoms",)})
    with pytest.raises(KnowledgeError, match="symptoms"):
        compile_rules(SimpleNamespace(rules=[clash]))


def test_more_distinct_tests_on_one_fact_than_the_engine_can_walk_are_refused():
    rules = [a_rule(f"r{n}", f"symptoms.s{n}") for n in range(MAX_TESTS_PER_FACT + 1)]
    with pytest.raises(KnowledgeError, match="symptoms"):
        compile_rules(SimpleNamespace(rules=rules))
    compile_rules(SimpleNamespace(rules=rules[:MAX_TESTS_PER_FACT]))


def test_the_project_knowledge_base_stays_within_the_walk_with_every_signal_at_once():
    """With every field full, each fact's tests all match at once: the deepest walk there is."""
    compiled = compile_rules(project_knowledge())
    notes: list = []
    actions = {name: (lambda context: ()) for name in compiled.branches}
    engine = RuleEngine("every-signal", compiled.ruleset, actions)
    engine.evaluate(compiled.facts([(name, True) for name in input_signals()]), notes)
    assert engine.open_sessions == 0
