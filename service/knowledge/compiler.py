"""Compile a knowledge base into a durable-rules ruleset definition (plain dicts).

Every fact is ``{"f": name, "v": value}``: input facts from the profile and facts rules
derive alike, so a rule matches either kind the same way and chains naturally. A rule with
``any`` becomes one engine rule per branch (durable's own ``any`` fires once per subset of
matching branches); the action of each branch knows which conditions it matched.
"""

from dataclasses import dataclass

from service.knowledge.model import Condition, KnowledgeBase, Rule

OPERATORS = {">": "$gt", ">=": "$gte", "<": "$lt", "<=": "$lte"}


@dataclass(frozen=True)
class CompiledRules:
    """The engine's ruleset and what each engine rule stands for."""

    ruleset: dict
    branches: dict  # engine rule name -> (Rule, matched conditions)


def pattern(fact: str, terms: list[Condition]) -> dict:
    """The durable-rules pattern of the terms of a branch that name ``fact``.

    A fact's comparisons make one pattern: each pattern of an engine rule matches a different
    fact, so ``age >= 16`` and ``age < 65`` as two patterns would never fire.
    """
    tests = [
        {"v": term.value} if term.op == "==" else {OPERATORS[term.op]: {"v": term.value}}
        for term in terms if term.op is not None
    ]
    return {"$and": [{"f": fact}, *tests]} if tests else {"f": fact}


def compile_rules(kb: KnowledgeBase) -> CompiledRules:
    """Translate every rule branch; ``pri`` makes higher-priority rules fire first."""
    top = max((rule.priority for rule in kb.rules), default=0)
    ruleset: dict = {}
    branches: dict[str, tuple[Rule, tuple[Condition, ...]]] = {}
    for rule in kb.rules:
        for index, branch in enumerate(rule.branches()):
            name = f"{rule.id}#{index}"
            by_fact: dict[str, list[Condition]] = {}
            for term in branch:
                by_fact.setdefault(term.fact, []).append(term)
            ruleset[name] = {
                "all": [{f"c{j}": pattern(fact, terms)}
                        for j, (fact, terms) in enumerate(by_fact.items())],
                "pri": top - rule.priority,
                "run": name,
            }
            branches[name] = (rule, branch)
    return CompiledRules(ruleset, branches)
