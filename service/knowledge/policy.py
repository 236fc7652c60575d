"""The answer policy (``rules/policy.yaml``): which items may stand together in one answer.

Rules each add what their finding calls for, so an answer can gather advice that is right alone
and wrong together: massage beside a possible clot, "book a visit" beside an ambulance, "stop
the statin" beside "never stop a medicine on your own". The policy says what may not stand
together, as data, and the loader turns it into the knowledge base's own rules and checks:

- ``emergency``: once a rule calls an ambulance (each such rule derives ``fact``), only the
  items marked ``in_emergency`` stand; a rule of priority ``POLICY_PRIORITY`` removes the
  rest, so the engine, the trace and the completeness proof treat it like any other rule.
- ``hands_off``: with any of ``when_any``, no item whose ``involves`` names one of ``never``;
  every self-care item must declare ``involves`` (checks.py), so none can slip past.
- ``contradictions``: ``keep`` and ``drop`` never stand together; every rule that adds ``keep``
  also removes ``drop``, and the loader refuses a pair that a rule adding ``drop`` could outrank.
"""

from collections.abc import Callable
from dataclasses import replace

from service.knowledge.errors import KnowledgeError
from service.knowledge.model import Condition, Item, Loaded, Rule

#: Above every rule of the topic files (their schema stops at 999): what the policy removes
#: stays removed.
POLICY_PRIORITY = 1000
POLICY_FILE = "policy.yaml"


#: Reference ids to what a source shows of them (the loader's, which notes them as cited).
Resolve = Callable[[list[str]], list[Loaded]]


def policy_rules(policy: Loaded, items: dict[str, dict[str, Item]],
                 references: Resolve) -> list[Rule]:
    """The rules that enforce the ``emergency`` and ``hands_off`` clauses."""
    emergency, hands_off = policy["emergency"], policy["hands_off"]
    keep_out = {kind: sorted(item_id for item_id, item in items.get(kind, {}).items()
                             if not item.attrs.get("in_emergency"))
                for kind in emergency["kinds"]}
    never = set(hands_off["never"])
    hands_on = {kind: sorted(item_id for item_id, item in table.items()
                             if never & set(item.attrs.get("involves", ())))
                for kind, table in items.items()}
    return [
        _rule(emergency, (Condition.parse(emergency["fact"]),), (), keep_out, references),
        _rule(hands_off, (), tuple(Condition.parse(f) for f in hands_off["when_any"]), hands_on,
              references),
    ]


def _rule(clause: Loaded, all_: tuple[Condition, ...], any_: tuple[Condition, ...],
          suppress: dict[str, list[str]], references: Resolve) -> Rule:
    source = {"section": "safety", "basis": clause["basis"]}
    if clause.get("references"):
        source["references"] = references(clause["references"])
    return Rule(id=clause["id"], file=POLICY_FILE, priority=POLICY_PRIORITY, all=all_,
                any=any_, derive=(), add={}, suppress={k: v for k, v in suppress.items() if v},
                urgency=None, reason=None, source=source)


def with_contradictions_removed(rules: list[Rule], policy: Loaded) -> list[Rule]:
    """``rules`` where each rule that adds a pair's ``keep`` also removes its ``drop``; a
    KnowledgeError if a rule adding ``drop`` could outrank that removal."""
    pairs = [(_kind_id(pair["keep"]), _kind_id(pair["drop"])) for pair in policy["contradictions"]]
    for (keep_kind, keep), (drop_kind, drop) in pairs:
        keepers = [r.priority for r in rules if keep in r.add.get(keep_kind, ())]
        droppers = [r.priority for r in rules if drop in r.add.get(drop_kind, ())]
        if keepers and droppers and max(droppers) > min(keepers):
            raise KnowledgeError(
                f"{POLICY_FILE}: {keep_kind}.{keep} and {drop_kind}.{drop} contradict, but a "
                f"rule adding {drop} (priority {max(droppers)}) outranks one adding {keep} "
                f"(priority {min(keepers)})")
    changed = []
    for rule in rules:
        suppress = {kind: list(ids) for kind, ids in rule.suppress.items()}
        for (keep_kind, keep), (drop_kind, drop) in pairs:
            if keep in rule.add.get(keep_kind, ()) and drop not in suppress.get(drop_kind, ()):
                suppress.setdefault(drop_kind, []).append(drop)
        changed.append(replace(rule, suppress=suppress) if suppress != rule.suppress else rule)
    return changed


def check_policy(policy: Loaded, rules: list[Rule], items: dict[str, dict[str, Item]]) -> None:
    """Every rule that calls an ambulance derives the emergency clause's fact; every pair names
    items that exist."""
    fact = policy["emergency"]["fact"]
    for rule in rules:
        if rule.call_emergency_services and fact not in rule.derive:
            raise KnowledgeError(f"{rule.file}: rule {rule.id!r} calls an ambulance, so it "
                                 f"derives {fact!r} ({POLICY_FILE})")
    for pair in policy["contradictions"]:
        for end in ("keep", "drop"):
            kind, item_id = _kind_id(pair[end])
            if item_id not in items.get(kind, {}):
                raise KnowledgeError(f"{POLICY_FILE}: unknown {kind} {item_id!r}")


def _kind_id(name: str) -> tuple[str, str]:
    kind, _, item_id = name.partition(".")
    return kind, item_id
