"""Cross-file checks of a loaded knowledge base: references, vocabularies, provenance, safety.

Each failure raises :class:`KnowledgeError` naming the file and the rule or item, so a broken
knowledge base stops the start instead of giving wrong advice.
"""

import re

from service.contract.vocabulary import CAUSE_GROUPS, NUMBER_FIELDS, SPECIALISTS, TESTS, URGENCIES
from service.knowledge.errors import KnowledgeError
from service.knowledge.model import Example, Item, KnowledgeBase, Loaded, Rule
from service.knowledge.signals import input_signals

REQUIRED_ATTRS = {
    "cause_groups": ("label", "dangerous", "source"),
    # ``involves``, even when empty, so the answer policy's hands-off clause misses no item.
    "emergency_steps": ("text", "phase", "order", "involves", "source"),
    "lifestyle_rules": ("text", "involves", "source"),
    "medication_info": ("text", "prescription_only", "involves", "source"),
    "warnings": ("text", "source"),
    "specialists": ("label",),
    "tests": ("label",),
    "tell_the_doctor": ("text", "source"),
}
FIXED_IDS = {"cause_groups": CAUSE_GROUPS, "specialists": SPECIALISTS, "tests": TESTS}
# Self-care texts must never tell anyone to prick themselves or take a dose of anything.
NEEDLE = re.compile(r"\b(prick\w*|pins?|needles?)\b", re.IGNORECASE)
DOSE = re.compile(r"\d\s*(mg|mcg|µg|g|ml|iu|units?|tablets?|capsules?|drops?)\b", re.IGNORECASE)
PRESCRIBE = "a doctor may prescribe"
SELF_CARE_KINDS = ("emergency_steps", "lifestyle_rules", "medication_info", "tell_the_doctor")


def fold(text: str) -> str:
    """Fold white space, so a quote may wrap differently from the document."""
    return " ".join(text.split())


def document_headings(text: str) -> set[str]:
    """The document's headings: short lines that are neither sentences nor list items."""
    lines = (line.strip() for line in text.splitlines())
    return {
        line for line in lines
        if line and len(line) < 80 and line[-1] not in ".;:" and line[0] not in "•0123456789"
    }


def check_knowledge(kb: KnowledgeBase) -> None:
    """Raise KnowledgeError at the first broken reference, source or safety invariant."""
    document = fold(kb.document)
    headings = document_headings(kb.document)
    for table in kb.items.values():
        for item in table.values():
            _check_item(item, document, headings)
    derived = {fact for rule in kb.rules for fact in rule.derive}
    signals = set(input_signals())
    seen: set[str] = set()
    for rule in kb.rules:
        where = f"{rule.file}: rule {rule.id!r}"
        if rule.id in seen:
            raise KnowledgeError(f"{where}: the id is used twice")
        seen.add(rule.id)
        _check_source(rule.source, document, headings, where)
        _check_rule(rule, kb, derived, signals, where)
    for example in kb.examples:
        _check_example(example, kb, seen)
    for entry in kb.excluded:
        if fold(entry["quote"]) not in document:
            raise KnowledgeError(f"{entry['file']}: an excluded quote is not from the document")
    _check_meta(kb.meta)


def _check_item(item: Item, document: str, headings: set[str]) -> None:
    where = f"{item.file}: {item.kind} item {item.id!r}"
    present = dict(item.attrs, source=item.source) if item.source else item.attrs
    missing = [name for name in REQUIRED_ATTRS[item.kind] if name not in present]
    if missing:
        raise KnowledgeError(f"{where}: missing {', '.join(missing)}")
    fixed = FIXED_IDS.get(item.kind)
    if fixed is not None and item.id not in fixed:
        raise KnowledgeError(f"{where}: not an id of the contract")
    if item.kind == "cause_groups" and item.attrs["dangerous"] != CAUSE_GROUPS[item.id]:
        raise KnowledgeError(f"{where}: 'dangerous' differs from the contract")
    if item.source:
        _check_source(item.source, document, headings, where)
    _check_safety(item, where)


def _check_safety(item: Item, where: str) -> None:
    text = item.attrs.get("text", "")
    if item.kind in SELF_CARE_KINDS and NEEDLE.search(text):
        raise KnowledgeError(f"{where}: advice must never mention pricking with a pin or needle")
    if DOSE.search(text):
        raise KnowledgeError(f"{where}: advice must never give a dose")
    if item.attrs.get("prescription_only") and PRESCRIBE not in text.lower():
        raise KnowledgeError(f"{where}: a prescription drug is only ever '{PRESCRIBE}'")


def _check_source(source: Loaded, document: str, headings: set[str], where: str) -> None:
    if source["section"] == "safety":
        return
    if source["section"] not in headings:
        raise KnowledgeError(f"{where}: section {source['section']!r} is not in the document")
    if fold(source["quote"]) not in document:
        raise KnowledgeError(f"{where}: the quote is not verbatim from the document")


def _check_rule(rule: Rule, kb: KnowledgeBase, derived: set[str], signals: set[str],
                where: str) -> None:
    for condition in (*rule.all, *rule.any):
        if condition.op is not None:
            if condition.fact not in NUMBER_FIELDS:
                raise KnowledgeError(f"{where}: {condition.fact!r} is not a number field")
        elif condition.fact not in signals and condition.fact not in derived:
            raise KnowledgeError(f"{where}: unknown fact {condition.fact!r}")
    for fact in rule.derive:
        if fact in signals or fact in NUMBER_FIELDS:
            raise KnowledgeError(f"{where}: derives {fact!r}, which is an input")
    for field in ("add", "suppress"):
        for kind, ids in getattr(rule, field).items():
            for item_id in ids:
                if item_id not in kb.items.get(kind, {}):
                    raise KnowledgeError(f"{where}: {field} names unknown {kind} {item_id!r}")
    if rule.add.get("specialists") and not rule.reason:
        raise KnowledgeError(f"{where}: a rule that refers to a specialist needs a reason")
    if rule.call_emergency_services:
        if rule.urgency != "urgent" or rule.source["section"] != "safety":
            raise KnowledgeError(f"{where}: only a safety rule of urgency urgent may call "
                                 "emergency services")
        if not rule.add.get("warnings"):
            raise KnowledgeError(f"{where}: a rule that calls emergency services adds the "
                                 "warning that says why")
    if rule.urgency and rule.urgency != "self_care":
        for item_id in rule.add.get("warnings", ()):
            if "finding" not in kb.items["warnings"][item_id].attrs:
                raise KnowledgeError(f"{where}: warning {item_id!r} raises the urgency, so it "
                                     "needs a finding: the clinician's words for the CDS cards")


def _check_example(example: Example, kb: KnowledgeBase, rule_ids: set[str]) -> None:
    where = f"{example.file}: example {example.name!r}"
    expect = example.expect
    for field in ("includes", "excludes"):
        for kind, ids in expect.get(field, {}).items():
            for item_id in ids:
                if item_id not in kb.items.get(kind, {}):
                    raise KnowledgeError(f"{where}: {field} names unknown {kind} {item_id!r}")
    for rule_id in (*expect.get("fired", ()), *expect.get("not_fired", ())):
        if rule_id not in rule_ids:
            raise KnowledgeError(f"{where}: names unknown rule {rule_id!r}")


def _check_meta(meta: Loaded) -> None:
    missing = [key for key in (*URGENCIES, "causes", "referral", "call_emergency_services")
               if key not in meta["summary"]]
    if missing:
        raise KnowledgeError(f"meta.yaml: summary lacks {', '.join(missing)}")
