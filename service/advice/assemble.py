"""Turn what fired into the answer: items, conflicts settled by priority, evidence, trace."""

from typing import Any

from service.advice.evaluation import Evaluation, branch_support
from service.advice.prepared import PreparedItem
from service.contract.answer import TraceStep
from service.contract.encoded import string, strings
from service.contract.vocabulary import CAUSE_GROUPS, PHASES, SPECIALISTS, TESTS, URGENCIES
from service.knowledge.model import ITEM_KINDS, Item, Rule

FIXED_ORDER = {"cause_groups": tuple(CAUSE_GROUPS), "specialists": SPECIALISTS, "tests": TESTS}


def settle(evaluation: Evaluation) -> dict[str, dict[str, list[Rule]]]:
    """Per kind, the items that stand and the rules that added them.

    Conflict priority is data: an item stays unless a rule of equal or higher priority
    suppresses it (so a safety rule outranks the self-care rules it overrides).
    """
    added: dict[tuple[str, str], list[Rule]] = {}
    suppressed: dict[tuple[str, str], int] = {}
    for rule, _ in evaluation.fired.values():
        for kind, ids in rule.add.items():
            for item_id in ids:
                added.setdefault((kind, item_id), []).append(rule)
        for kind, ids in rule.suppress.items():
            for item_id in ids:
                key = (kind, item_id)
                suppressed[key] = max(suppressed.get(key, -1), rule.priority)
    standing: dict[str, dict[str, list[Rule]]] = {kind: {} for kind in ITEM_KINDS}
    for key, rules in added.items():
        if not suppressed or max(r.priority for r in rules) > suppressed.get(key, -1):
            standing[key[0]][key[1]] = rules
    return standing


def sort_key(item: Item) -> tuple[int, ...]:
    """The order a person should read items in: fixed vocabularies, phase, then ``order``."""
    fixed = FIXED_ORDER.get(item.kind)
    if fixed:
        return (fixed.index(item.id),)
    phase = PHASES.index(item.attrs["phase"]) if "phase" in item.attrs else 0
    return (phase, item.attrs.get("order", 1000), item.position)


def warning_first(rules: list[Rule]) -> tuple[bool, int]:
    """Warnings lead with the most pressing: what calls for an ambulance, then by urgency."""
    emergency = any(rule.call_emergency_services for rule in rules)
    level = max(URGENCIES.index(rule.urgency or URGENCIES[0]) for rule in rules)
    return (not emergency, -level)


def items_of(kind: str, standing: dict[str, dict[str, list[Rule]]], evaluation: Evaluation,
             support: dict[str, frozenset[str]],
             prepared: dict[tuple[str, str], PreparedItem]) -> tuple[Any, ...]:
    """The standing items of one kind, in reading order, made from their ``prepared`` items; a
    cause group names its evidence, a specialist the reason of each rule that referred to
    them."""
    chosen = standing[kind]
    views = {item_id: prepared[(kind, item_id)] for item_id in chosen}
    if kind == "warnings":
        order = sorted(chosen, key=lambda i: (*warning_first(chosen[i]), *views[i].order))
    else:
        order = sorted(chosen, key=lambda i: views[i].order)
    answer = []
    for item_id in order:
        rules = chosen[item_id]
        values: dict[str, Any] = {"rules": tuple(rule.id for rule in rules)}
        if kind == "specialists":
            # Every rule that adds a specialist has a reason (knowledge/checks.py refuses one that
            # does not).
            values["reason"] = " ".join(dict.fromkeys(rule.reason for rule in rules))  # type: ignore[misc]
        elif kind == "cause_groups":
            values["evidence"] = tuple(sorted(frozenset().union(
                *(branch_support(branch, support)
                  for rule in rules for branch in evaluation.fired[rule.id][1])
            )))
        answer.append(views[item_id].make(values))
    return tuple(answer)


def urgency_of(evaluation: Evaluation) -> str:
    """The most urgent finding wins; with none, self-care."""
    levels = [URGENCIES.index(r.urgency) for r, _ in evaluation.fired.values() if r.urgency]
    return URGENCIES[max(levels, default=0)]


def concluded(rule: Rule) -> tuple[tuple[str, ...], str]:
    """What a rule concludes whenever it fires (derived facts, items added, urgency, removals),
    and the JSON text its trace step opens with."""
    derived = list(rule.derive)
    derived += [f"{kind}.{i}" for kind, ids in rule.add.items() for i in ids]
    if rule.urgency:
        derived.append(f"urgency.{rule.urgency}")
    derived += [f"removed {kind}.{i}" for kind, ids in rule.suppress.items() for i in ids]
    opening = '{"rule":' + string(rule.id) + ',"derived":' + strings(derived) + ',"because":'
    return tuple(derived), opening


def trace_of(evaluation: Evaluation,
             conclusions: dict[str, tuple[tuple[str, ...], str]]) -> tuple[TraceStep, ...]:
    """Every rule that fired, in firing order, with what it concluded (``conclusions``, by rule
    id, computed once per rule by :func:`concluded`) and from which facts."""
    trace = []
    for rule, branches in evaluation.fired.values():
        because = tuple(dict.fromkeys(term.text for branch in branches for term in branch))
        derived, opening = conclusions[rule.id]
        trace.append(TraceStep(rule.id, derived, because, opening + strings(because) + "}"))
    return tuple(trace)
