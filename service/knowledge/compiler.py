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


def pattern(condition: Condition) -> dict:
    """The durable-rules pattern of one condition."""
    if condition.op is None:
        return {"f": condition.fact}
    if condition.op == "==":
        return {"$and": [{"f": condition.fact}, {"v": condition.value}]}
    return {"$and": [{"f": condition.fact}, {OPERATORS[condition.op]: {"v": condition.value}}]}


def compile_rules(kb: KnowledgeBase) -> CompiledRules:
    """Translate every rule branch; ``pri`` makes higher-priority rules fire first."""
    top = max((rule.priority for rule in kb.rules), default=0)
    ruleset: dict = {}
    branches: dict[str, tuple[Rule, tuple[Condition, ...]]] = {}
    for rule in kb.rules:
        for index, branch in enumerate(rule.branches()):
            name = f"{rule.id}#{index}"
            ruleset[name] = {
                "all": [{f"c{j}": pattern(term)} for j, term in enumerate(branch)],
                "pri": top - rule.priority,
                "run": name,
            }
            branches[name] = (rule, branch)
    return CompiledRules(ruleset, branches)
