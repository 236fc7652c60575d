"""Items as an answer shows them, prepared once per item, fields in the contract's order.

All of an item's view but its ``rules`` (a cause group's ``evidence``, a specialist's ``reason``)
is fixed by the item, so the advisor prepares each view once, at start, with its fields in the
order the contract lists them (the response schema, service/web/advice_schema.py), and their
JSON text (service/advice/encoded.py): an answer then needs no schema dump to leave the
service, and its texts are not encoded again. tests/property/test_answer_encoding.py proves,
over random profiles, that the answer encoded as it is equals the schema's dump byte for byte,
so a field added here and not to the contract, or out of order, fails there.
"""

from service.advice.encoded import Encoded, members, string, strings
from service.knowledge.model import Item

#: The fields of an item in an answer, in the contract's order. ``rules``, ``evidence`` and a
#: specialist's ``reason`` are the answer's own.
FIELDS = {
    "emergency_steps": ("id", "text", "source", "rules", "phase"),
    "cause_groups": ("id", "label", "dangerous", "evidence", "source", "rules"),
    "lifestyle_rules": ("id", "text", "source", "rules"),
    "medication_info": ("id", "text", "source", "rules", "prescription_only"),
    "warnings": ("id", "text", "source", "rules"),
    "specialists": ("id", "label", "reason", "rules"),
    "tests": ("id", "label", "rules"),
    "tell_the_doctor": ("id", "text", "source", "rules"),
}
#: The per-answer fields, and how each is written: lists of ids, or a text.
PER_ANSWER = {"rules": strings, "evidence": strings, "reason": string}
#: A source's fields, and a reference's, in the contract's order.
SOURCE_FIELDS = ("section", "quote", "basis", "references")
REFERENCE_FIELDS = ("title", "publisher", "url")


class PreparedView:
    """One item's view: fixed runs of fields, with the per-answer fields between them; and
    ``order``, where it stands among the items of its kind (``assemble.sort_key``)."""

    __slots__ = ("order", "parts")

    def __init__(self, item: Item, order: tuple = ()):
        self.order = order
        fixed = {"id": item.id, **item.attrs}
        if item.source:
            fixed["source"] = _source(item.source)
        #: ``(name, '"name":', writer)`` of a per-answer field; ``(fields, their members' text,
        #: None)`` of a run of fixed ones.
        self.parts: list[tuple] = []
        run: dict = {}
        for name in FIELDS[item.kind]:
            if name in PER_ANSWER:
                if run:
                    self.parts.append((run, members(run), None))
                self.parts.append((name, string(name) + ":", PER_ANSWER[name]))
                run = {}
            elif name in fixed:
                run[name] = fixed[name]
        if run:
            self.parts.append((run, members(run), None))

    def view(self, values: dict) -> Encoded:
        """The view with this answer's ``values`` (``rules``, and ``evidence`` or ``reason``
        where the item has one), and its JSON text."""
        view, texts = Encoded(), []
        for part, text, write in self.parts:
            if write is None:
                view.update(part)
                texts.append(text)
            elif part in values:
                value = view[part] = values[part]
                texts.append(text + write(value))
        view.json = "{" + ",".join(texts) + "}"
        return view


def _source(source: dict) -> dict:
    ordered = {name: source[name] for name in SOURCE_FIELDS if name in source}
    if "references" in ordered:
        ordered["references"] = [{name: ref[name] for name in REFERENCE_FIELDS if name in ref}
                                 for ref in ordered["references"]]
    return ordered
