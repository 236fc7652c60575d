"""Items as an answer shows them, prepared once per item, fields in the contract's order.

All of an item's view but its ``rules`` (and a cause group's ``evidence``) is fixed by the item,
so the advisor prepares each view once, at start, with its fields in the order the contract
lists them (the response schema, service/http/advice_schema.py): an answer then needs no schema
dump to leave the service, only a JSON encoding. tests/property/test_answer_encoding.py proves,
over random profiles, that the answer encoded as it is equals the schema's dump byte for byte,
so a field added here and not to the contract, or out of order, fails there.
"""

from service.knowledge.model import Item

#: The fields of an item in an answer, in the contract's order. ``rules`` and ``evidence`` are
#: the answer's own; a specialist's ``reason`` is added by the advisor, before ``rules``.
FIELDS = {
    "emergency_steps": ("id", "text", "source", "rules", "phase"),
    "cause_groups": ("id", "label", "dangerous", "evidence", "source", "rules"),
    "lifestyle_rules": ("id", "text", "source", "rules"),
    "medication_info": ("id", "text", "source", "rules", "prescription_only"),
    "warnings": ("id", "text", "source", "rules"),
    "specialists": ("id", "label", "rules"),
    "tests": ("id", "label", "rules"),
    "tell_the_doctor": ("id", "text", "source", "rules"),
}
PER_ANSWER = ("rules", "evidence")
#: A source's fields, and a reference's, in the contract's order.
SOURCE_FIELDS = ("section", "quote", "basis", "references")
REFERENCE_FIELDS = ("title", "publisher", "url")


class PreparedView:
    """One item's view: fixed runs of fields, with the per-answer fields between them."""

    __slots__ = ("parts",)

    def __init__(self, item: Item):
        fixed = {"id": item.id, **item.attrs}
        if item.source:
            fixed["source"] = _source(item.source)
        self.parts: list = []
        run: dict = {}
        for name in FIELDS[item.kind]:
            if name in PER_ANSWER:
                self.parts += [run, name] if run else [name]
                run = {}
            elif name in fixed:
                run[name] = fixed[name]
        if run:
            self.parts.append(run)

    def view(self, values: dict) -> dict:
        """The view with this answer's ``rules`` (and ``evidence``, where the item has one)."""
        view: dict = {}
        for part in self.parts:
            if part.__class__ is str:
                if part in values:
                    view[part] = values[part]
            else:
                view.update(part)
        return view


def _source(source: dict) -> dict:
    ordered = {name: source[name] for name in SOURCE_FIELDS if name in source}
    if "references" in ordered:
        ordered["references"] = [{name: ref[name] for name in REFERENCE_FIELDS if name in ref}
                                 for ref in ordered["references"]]
    return ordered
