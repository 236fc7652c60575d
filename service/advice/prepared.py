"""An answer's items, prepared once per item at start: their fixed values and their JSON text.

All of an item's part of an answer but its ``rules`` (a cause group's ``evidence``, a
specialist's ``reason``) is fixed by the item. So the advisor prepares each item once: the
answer class of its kind (service/contract/answer.py), its fixed field values, and the JSON text
of each run of fixed fields in the contract's order. An answer's item is then one constructor
call and a join of texts, and the knowledge base's texts are never encoded again.
"""

from collections.abc import Callable
from dataclasses import fields
from typing import Any

from service.contract import answer
from service.contract.encoded import members, string, strings
from service.knowledge.model import Item, Loaded

#: The answer class of each kind of item; a ``tell_the_doctor`` entry is its text alone.
CLASSES: dict[str, type[answer.Item]] = {
    "emergency_steps": answer.EmergencyStep, "cause_groups": answer.CauseGroup,
    "lifestyle_rules": answer.LifestyleRule, "medication_info": answer.MedicationInfo,
    "warnings": answer.Warning, "specialists": answer.Specialist, "tests": answer.Test,
}
#: The per-answer fields, and how each is written: lists of ids, or a text.
PER_ANSWER: dict[str, Callable[[Any], str]] = {"rules": strings, "evidence": strings,
                                               "reason": string}
Part = tuple[str, str, Callable[[Any], str]] | tuple[None, str, None]


def field_names(kind: str) -> tuple[str, ...]:
    """The fields of an item of ``kind`` in an answer, in the contract's order."""
    return tuple(each.name for each in fields(CLASSES[kind]) if each.name != "json")


class PreparedItem:
    """One item's fixed values and texts, with the per-answer fields between them; and
    ``order``, where it stands among the items of its kind (``assemble.sort_key``)."""

    __slots__ = ("cls", "fixed", "order", "parts", "text")

    def __init__(self, item: Item, order: tuple[int, ...] = ()) -> None:
        self.order = order
        self.cls = CLASSES.get(item.kind)
        self.text = item.attrs.get("text")
        if self.cls is None:
            return
        values = {"id": item.id, **item.attrs}
        if item.source:
            values["source"] = source_of(item.source)
        names = field_names(item.kind)
        self.fixed = {name: values[name] for name in names
                      if name not in PER_ANSWER and name in values}
        #: ``(name, '"name":', writer)`` of a per-answer field; ``(None, members' text, None)``
        #: of a run of fixed ones.
        self.parts: list[Part] = []
        run: dict[str, object] = {}
        for name in names:
            if name in PER_ANSWER:
                if run:
                    self.parts.append((None, members(run), None))
                self.parts.append((name, string(name) + ":", PER_ANSWER[name]))
                run = {}
            elif name in self.fixed:
                run[name] = answer.plain(self.fixed[name])
        if run:
            self.parts.append((None, members(run), None))

    def make(self, values: dict[str, Any]) -> Any:
        """The item with this answer's ``values`` (``rules``, and ``evidence`` or ``reason``
        where the item has one), carrying its JSON text; a ``tell_the_doctor`` entry's text."""
        if self.cls is None:
            return self.text
        # A part's name is None only where its writer is (Part), which mypy cannot pair up here.
        texts = [text if write is None else text + write(values[name])  # type: ignore[index]
                 for name, text, write in self.parts]
        return self.cls(**self.fixed, **values, json="{" + ",".join(texts) + "}")


def source_of(source: Loaded) -> answer.Source:
    """A knowledge-base item's source as the answer's :class:`~service.contract.answer.Source`."""
    return answer.Source(
        section=source["section"], quote=source.get("quote"), basis=source.get("basis"),
        references=tuple(answer.Reference(ref["title"], ref["publisher"], ref["url"])
                         for ref in source.get("references", ())))

