"""Turn what fired into the answer: items, conflicts settled by priority, evidence, trace."""

from service.advice.evaluation import Evaluation, branch_support
from service.advice.views import PreparedView
from service.knowledge.model import ITEM_KINDS, Item, KnowledgeBase, Rule
from service.vocabulary import CAUSE_GROUPS, PHASES, SPECIALISTS, TESTS, URGENCIES

FIXED_ORDER = {"cause_groups": tuple(CAUSE_GROUPS), "specialists": SPECIALISTS, "tests": TESTS}


def settle(evaluation: Evaluation) -> dict[str, dict[str, list]]:
    """Per kind, the items that stand and the rules that added them.

    Conflict priority is data: an item stays unless a rule of equal or higher priority
    suppresses it (so a safety rule outranks the self-care rules it overrides).
    """
    added: dict[tuple[str, str], list] = {}
    suppressed: dict[tuple[str, str], int] = {}
    for rule, _ in evaluation.fired.values():
        for kind, ids in rule.add.items():
            for item_id in ids:
                added.setdefault((kind, item_id), []).append(rule)
        for kind, ids in rule.suppress.items():
            for item_id in ids:
                key = (kind, item_id)
                suppressed[key] = max(suppressed.get(key, -1), rule.priority)
    standing: dict[str, dict[str, list]] = {kind: {} for kind in ITEM_KINDS}
    for (kind, item_id), rules in added.items():
        if max(rule.priority for rule in rules) > suppressed.get((kind, item_id), -1):
            standing[kind][item_id] = rules
    return standing


def sort_key(item: Item) -> tuple:
    """The order a person should read items in: fixed vocabularies, phase, then ``order``."""
    fixed = FIXED_ORDER.get(item.kind)
    if fixed:
        return (fixed.index(item.id),)
    phase = PHASES.index(item.attrs["phase"]) if "phase" in item.attrs else 0
    return (phase, item.attrs.get("order", 1000), item.position)


def warning_first(rules: list) -> tuple:
    """Warnings lead with the most pressing: what calls for an ambulance, then by urgency."""
    emergency = any(rule.call_emergency_services for rule in rules)
    level = max(URGENCIES.index(rule.urgency or URGENCIES[0]) for rule in rules)
    return (not emergency, -level)


def items_of(kind: str, kb: KnowledgeBase, standing: dict, evaluation: Evaluation,
             support: dict, prepared: dict[tuple[str, str], PreparedView]) -> list[dict]:
    """The standing items of one kind, in reading order, from their ``prepared`` views; a cause
    group names its evidence."""
    views = []
    items = (kb.item(kind, i) for i in standing[kind])
    if kind == "warnings":
        order = sorted(items, key=lambda item: (*warning_first(standing[kind][item.id]),
                                                *sort_key(item)))
    else:
        order = sorted(items, key=sort_key)
    for item in order:
        rules = standing[kind][item.id]
        values = {"rules": [rule.id for rule in rules]}
        if kind == "cause_groups":
            values["evidence"] = sorted(frozenset().union(
                *(branch_support(branch, support)
                  for rule in rules for branch in evaluation.fired[rule.id][1])
            ))
        views.append(prepared[(kind, item.id)].view(values))
    return views


def urgency_of(evaluation: Evaluation) -> str:
    """The most urgent finding wins; with none, self-care."""
    levels = [URGENCIES.index(r.urgency) for r, _ in evaluation.fired.values() if r.urgency]
    return URGENCIES[max(levels, default=0)]


def concluded(rule: Rule) -> tuple[str, ...]:
    """What a rule concludes whenever it fires: derived facts, items added, urgency, removals."""
    derived = list(rule.derive)
    derived += [f"{kind}.{i}" for kind, ids in rule.add.items() for i in ids]
    if rule.urgency:
        derived.append(f"urgency.{rule.urgency}")
    derived += [f"removed {kind}.{i}" for kind, ids in rule.suppress.items() for i in ids]
    return tuple(derived)


def trace_of(evaluation: Evaluation, conclusions: dict[str, tuple[str, ...]]) -> list[dict]:
    """Every rule that fired, in firing order, with what it concluded (``conclusions``, by rule
    id, computed once per rule) and from which facts."""
    trace = []
    for rule, branches in evaluation.fired.values():
        because = list(dict.fromkeys(term.text for branch in branches for term in branch))
        trace.append({"rule": rule.id, "derived": list(conclusions[rule.id]),
                      "because": because})
    return trace
