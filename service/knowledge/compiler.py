"""Compile a knowledge base into a durable-rules ruleset definition (plain dicts).

Facts are few and large: the signals of one request field make one fact, ``{"f": "symptoms",
"swelling": true, "redness": true}``, and a fact that stands alone (a number, a true boolean,
a fact a rule derives) is ``{"f": name, "v": value}``. The engine's cost grows with the facts it
stores and the patterns it joins, so one fact per field rather than per signal makes a full
profile's evaluation about a third cheaper. A rule's terms on one fact make one pattern (each
pattern of an engine rule matches a different fact: ``age >= 16`` and ``age < 65`` as two
patterns would never fire). A rule with ``any`` becomes one engine rule per branch (durable's
own ``any`` fires once per subset of matching branches); the action of each branch knows which
conditions it matched.
"""

from dataclasses import dataclass
from typing import Any, TypeAlias

from service.contract.vocabulary import NUMBER_FIELDS
from service.knowledge.errors import KnowledgeError
from service.knowledge.model import Condition, KnowledgeBase, Rule
from service.knowledge.signals import input_signals

OPERATORS = {">": "$gt", ">=": "$gte", "<": "$lt", "<=": "$lte"}
#: The core matches a fact by walking the tests of the patterns on it with a stack of 64
#: pending tests (durable-rules' MAX_STACK_SIZE; past it, error 303 and no answer). Tests that
#: patterns share are one, so the distinct tests on one fact bound that walk.
MAX_TESTS_PER_FACT = 48
#: A durable-rules ruleset definition: each engine rule's JSON (``all``, ``pri``, ``run``) by name.
Ruleset: TypeAlias = dict[str, dict[str, Any]]
#: An engine fact: its name (``f``) and the values of its keys.
Fact: TypeAlias = dict[str, object]
#: A test of a pattern: a key present and true, equal to a number, or compared with one.
Test: TypeAlias = dict[str, object]


@dataclass(frozen=True)
class CompiledRules:
    """The engine's ruleset, what each engine rule stands for, and the facts it reads."""

    ruleset: Ruleset
    branches: dict[str, tuple[Rule, tuple[Condition, ...]]]  # by engine rule name
    derived: frozenset[str]  # the facts rules derive, each a fact of its own

    def facts(self, signals: list[tuple[str, object]]) -> list[Fact]:
        """The engine facts of a profile's ``(name, value)`` signals (service.knowledge.signals)."""
        facts: dict[str, Fact] = {}
        for name, value in signals:
            fact, key = place(name, self.derived)
            facts.setdefault(fact, {"f": fact})[key] = value
        return list(facts.values())


def place(name: str, derived: frozenset[str]) -> tuple[str, str]:
    """``(fact, key)``: where a signal is held. ``symptoms.swelling`` is the key ``swelling`` of
    the fact ``symptoms``; a name without a value (a number, a true boolean) or a derived fact
    is the ``v`` of a fact of its own."""
    fact, dot, key = name.partition(".")
    if not dot or name in derived:
        return name, "v"
    return fact, key


def pattern(fact: str, tests: list[Test]) -> dict[str, list[Test]]:
    """The durable-rules pattern of a fact and the tests of its keys."""
    return {"$and": [{"f": fact}, *tests]}


def test(term: Condition, key: str) -> Test:
    """One term as a test of a key: present and true, equal to a number, or compared."""
    if term.op is None:
        return {key: True}
    if term.op == "==":
        return {key: term.value}
    return {OPERATORS[term.op]: {key: term.value}}


def compile_rules(kb: KnowledgeBase) -> CompiledRules:
    """Translate every rule branch; ``pri`` makes higher-priority rules fire first."""
    derived = frozenset(fact for rule in kb.rules for fact in rule.derive)
    top = max((rule.priority for rule in kb.rules), default=0)
    ruleset: Ruleset = {}
    branches: dict[str, tuple[Rule, tuple[Condition, ...]]] = {}
    for rule in kb.rules:
        for index, branch in enumerate(rule.branches()):
            name = f"{rule.id}#{index}"
            by_fact: dict[str, list[Test]] = {}
            for term in branch:
                fact, key = place(term.fact, derived)
                tests, written = by_fact.setdefault(fact, []), test(term, key)
                if written not in tests:  # a fact named twice in a branch is tested once
                    tests.append(written)
            ruleset[name] = {
                "all": [{f"c{j}": pattern(fact, tests)}
                        for j, (fact, tests) in enumerate(by_fact.items())],
                "pri": top - rule.priority,
                "run": name,
            }
            branches[name] = (rule, branch)
    _check_places(derived)
    _check_tests_per_fact(ruleset)
    return CompiledRules(ruleset, branches, derived)


def _check_places(derived: frozenset[str]) -> None:
    """A derived fact must not be held where a request field's signals are, or a rule on one
    would read the other."""
    fields = {place(name, frozenset())[0] for name in (*input_signals(), *NUMBER_FIELDS)}
    if derived & fields:
        raise KnowledgeError(f"derived facts named as request fields: {sorted(derived & fields)}")


def _check_tests_per_fact(ruleset: Ruleset) -> None:
    """Refuse patterns whose distinct tests on one fact could overflow the core's walk."""
    tests: dict[str, set[str]] = {}
    for rule in ruleset.values():
        for (spec,) in (named.values() for named in rule["all"]):
            fact, *chain = spec["$and"]
            prefixes = tests.setdefault(fact["f"], set())
            prefixes.update(repr(chain[:end]) for end in range(1, len(chain) + 1))
    crowded = sorted(fact for fact, prefixes in tests.items()
                     if len(prefixes) > MAX_TESTS_PER_FACT)
    if crowded:
        raise KnowledgeError(f"more than {MAX_TESTS_PER_FACT} distinct tests on one fact, "
                             f"more than the engine can walk: {crowded}")
