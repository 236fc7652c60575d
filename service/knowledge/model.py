"""The knowledge base as plain, immutable Python objects, independent of files and engines."""

from dataclasses import dataclass, field
from typing import Any, TypeAlias

#: Kinds of catalogue item a rule can add or suppress, in the order answers list them.
ITEM_KINDS = (
    "emergency_steps", "cause_groups", "lifestyle_rules", "medication_info", "warnings",
    "specialists", "tests", "tell_the_doctor",
)
COMPARISONS = (">=", "<=", "==", ">", "<")
#: What following an item of advice involves (an item's ``involves``): what the safety layer
#: keeps from people it could harm, and its property tests look for, whatever an item's id.
INVOLVES = (
    "massage", "rubbing", "pinching", "heat", "topical_product", "herbs", "supplements",
    "vitamin_a_foods", "prescription_medicine", "extra_fluid", "standing_up_quickly",
    "leg_raising", "potassium",
)
#: Attributes of an item that are for the knowledge base's own checks, not for answers.
INTERNAL_ATTRS = ("order", "involves", "finding", "in_emergency")
#: A mapping of a rules file as its schema (rules_schema.py) loaded it: its members' types are the
#: schema's, by name.
Loaded: TypeAlias = dict[str, Any]
#: Item ids by kind: what a rule adds or suppresses.
IdsByKind: TypeAlias = dict[str, list[str]]


@dataclass(frozen=True)
class Condition:
    """One term of a rule's ``when``: a fact that must hold, or a comparison on a number."""

    text: str
    fact: str
    op: str | None = None
    value: float | None = None

    @classmethod
    def parse(cls, text: str) -> "Condition":
        """Read ``"night_cramps"`` or ``"duration_minutes > 10"``."""
        for op in COMPARISONS:
            name, found, number = text.partition(op)
            if found:
                return cls(text, name.strip(), op, float(number))
        return cls(text, text.strip())


@dataclass(frozen=True)
class Item:
    """A piece of advice of one kind, with its text and where it comes from."""

    kind: str
    id: str
    attrs: Loaded
    source: Loaded | None
    position: int
    file: str


@dataclass(frozen=True)
class Rule:
    """When ``all`` hold and one of ``any`` holds (if given), derive facts and advise."""

    id: str
    file: str
    priority: int
    all: tuple[Condition, ...]
    any: tuple[Condition, ...]
    derive: tuple[str, ...]
    add: IdsByKind
    suppress: IdsByKind
    urgency: str | None
    reason: str | None
    source: Loaded
    call_emergency_services: bool = False

    def branches(self) -> list[tuple[Condition, ...]]:
        """Each way the rule can match: ``all`` plus one ``any`` term, or ``all`` alone."""
        if not self.any:
            return [self.all]
        return [(*self.all, term) for term in self.any]


@dataclass(frozen=True)
class Example:
    """A profile and the advice the knowledge base must give for it."""

    file: str
    name: str
    profile: Loaded
    expect: Loaded


@dataclass(frozen=True)
class KnowledgeBase:
    """Everything loaded from ``rules/``: validated, cross-checked, ready to compile."""

    version: str
    meta: Loaded
    policy: Loaded
    items: dict[str, dict[str, Item]]  # kind -> {id: Item}
    rules: tuple[Rule, ...]
    examples: tuple[Example, ...]
    document: str
    excluded: tuple[Loaded, ...] = field(default=())

    def item(self, kind: str, item_id: str) -> Item:
        return self.items[kind][item_id]
