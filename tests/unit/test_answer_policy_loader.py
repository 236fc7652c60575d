"""The loader enforces the answer policy's preconditions (rules/policy.yaml): an item a clause
reads must carry its tags, every ambulance rule derives the emergency fact, and a declared
contradiction cannot be outranked. Each refusal names what is wrong."""

import yaml

from service.knowledge import load_knowledge
from tests.support.rules_copies import edit_item, edit_rule, load_error


def _policy(rules_dir, **changes) -> None:
    path = rules_dir / "policy.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data.update(changes)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def test_a_self_care_item_that_does_not_say_what_it_involves_is_refused(rules_copy):
    edit_item(rules_copy, "emergency.yaml", "emergency_steps", "night_raise_legs", involves=None)
    message = load_error(rules_copy)
    assert "night_raise_legs" in message and "involves" in message


def test_a_rule_that_calls_an_ambulance_without_the_emergency_fact_is_refused(rules_copy):
    edit_rule(rules_copy, "safety.yaml", "emergency_chest_pain", derive=["red_flag"])
    message = load_error(rules_copy)
    assert "'emergency_chest_pain'" in message and "emergency_call" in message


def test_a_contradiction_the_dropped_item_could_outrank_is_refused(rules_copy):
    _policy(rules_copy, contradictions=[{"keep": "warnings.never_prick",
                                         "drop": "warnings.chest_pain_emergency",
                                         "why": "a test's pair"}])
    message = load_error(rules_copy)
    assert "never_prick" in message and "chest_pain_emergency" in message
    assert "outranks" in message


def test_a_contradiction_naming_an_unknown_item_is_refused(rules_copy):
    _policy(rules_copy, contradictions=[{"keep": "warnings.no_such_warning",
                                         "drop": "warnings.never_prick", "why": "a typo"}])
    assert "no_such_warning" in load_error(rules_copy)


def test_a_topic_file_cannot_take_the_policys_priority(rules_copy):
    edit_rule(rules_copy, "safety.yaml", "emergency_chest_pain", priority=1000)
    assert "'emergency_chest_pain'" in load_error(rules_copy)


def test_a_policy_without_its_emergency_clause_is_refused(rules_copy):
    path = rules_copy / "policy.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    del data["emergency"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert "policy.yaml" in load_error(rules_copy)


def test_a_policy_clause_shows_its_references_as_every_source_does(rules_copy):
    path = rules_copy / "policy.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["hands_off"]["references"] = ["nhs_dvt"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")

    rule = next(r for r in load_knowledge(rules_copy).rules
                if r.id == data["hands_off"]["id"])

    assert [set(ref) for ref in rule.source["references"]] == [{"title", "publisher", "url"}]
