"""The knowledge base as the API lists it: every item and rule with its source."""

from typing import Any

from service.advice.assemble import sort_key
from service.knowledge.model import INTERNAL_ATTRS, ITEM_KINDS, Item, KnowledgeBase, Rule


def item_view(item: Item) -> dict[str, Any]:
    """An item as the catalogue lists it: its attributes and its source."""
    view: dict[str, Any] = {"id": item.id}
    view.update({k: v for k, v in item.attrs.items() if k not in INTERNAL_ATTRS})
    if item.source:
        view["source"] = item.source
    return view


def _rule(rule: Rule) -> dict[str, Any]:
    view: dict[str, Any] = {
        "id": rule.id,
        "file": rule.file,
        "priority": rule.priority,
        "when": {"all": [t.text for t in rule.all], "any": [t.text for t in rule.any]},
        "derive": list(rule.derive),
        "add": rule.add,
        "suppress": rule.suppress,
    }
    view.update({k: getattr(rule, k) for k in ("urgency", "reason") if getattr(rule, k)})
    view["source"] = rule.source
    return view


def catalogue_view(kb: KnowledgeBase) -> dict[str, Any]:
    """The payload of ``GET /v1/knowledge-base``, built once per process."""
    ordered = {
        kind: [item_view(i) for i in sorted(kb.items.get(kind, {}).values(), key=sort_key)]
        for kind in ITEM_KINDS
    }
    return {
        "version": kb.version,
        "rules": len(kb.rules),
        "disclaimer": kb.meta["disclaimer"],
        "cause_groups": ordered.pop("cause_groups"),
        "catalogue": ordered,
        "rule_definitions": [_rule(rule) for rule in kb.rules],
        "excluded": [dict(entry) for entry in kb.excluded],
    }
