"""The contract's answer to ``POST /v1/advice``: one class per part, fields in the contract's
order.

The advisor (service/advice) makes these; every renderer reads them by attribute, never by
string key: the v1 JSON (:meth:`Answer.json`), the FHIR GuidanceResponse and the CDS cards
(service/interop). Most of an answer's bytes are the knowledge base's own texts, so each item,
question and trace step carries its JSON text (``json``), made once from the same values
(service/advice/prepared.py); :meth:`Answer.json` joins them. :meth:`Answer.as_dict` is the plain
form: a property test proves, over random profiles, that ``json.dumps`` of it is byte for byte
the fast text.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field, fields, is_dataclass
from typing import TYPE_CHECKING

from service.contract.encoded import string, strings

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

Texts = tuple[str, ...]
#: The ``json`` field every part that carries its text has: left out of equality and of repr.
_TEXT = field(default="", repr=False, compare=False)


@dataclass(frozen=True, slots=True)
class Reference:
    """A published page of guidance a safety item follows (contract 1.1)."""

    title: str
    publisher: str
    url: str


@dataclass(frozen=True, slots=True)
class Source:
    """Where an item comes from: the article (``section`` and its verbatim ``quote``), or the
    safety layer (``section: safety``, its ``basis`` and the ``references`` it follows)."""

    section: str
    quote: str | None = None
    basis: str | None = None
    references: tuple[Reference, ...] = ()

    @property
    def is_safety(self) -> bool:
        return self.section == "safety"


@dataclass(frozen=True, slots=True)
class EmergencyStep:
    id: str
    text: str
    source: Source
    rules: Texts
    phase: str
    json: str = _TEXT


@dataclass(frozen=True, slots=True)
class CauseGroup:
    id: str
    label: str
    dangerous: bool
    evidence: Texts
    source: Source
    rules: Texts
    json: str = _TEXT


@dataclass(frozen=True, slots=True)
class LifestyleRule:
    id: str
    text: str
    source: Source
    rules: Texts
    json: str = _TEXT


@dataclass(frozen=True, slots=True)
class MedicationInfo:
    id: str
    text: str
    source: Source
    rules: Texts
    prescription_only: bool
    json: str = _TEXT


@dataclass(frozen=True, slots=True)
class Warning:
    id: str
    text: str
    source: Source
    rules: Texts
    json: str = _TEXT


@dataclass(frozen=True, slots=True)
class Specialist:
    id: str
    label: str
    reason: str
    rules: Texts
    json: str = _TEXT


@dataclass(frozen=True, slots=True)
class Test:
    id: str
    label: str
    rules: Texts
    json: str = _TEXT


@dataclass(frozen=True, slots=True)
class Referral:
    needed: bool
    specialists: tuple[Specialist, ...]
    tests: tuple[Test, ...]
    tell_the_doctor: Texts


@dataclass(frozen=True, slots=True)
class FollowUpQuestion:
    field: str
    question: str
    json: str = _TEXT


@dataclass(frozen=True, slots=True)
class TraceStep:
    rule: str
    derived: Texts
    because: Texts
    json: str = _TEXT


@dataclass(frozen=True, slots=True)
class KnowledgeBaseVersion:
    version: str
    rules: int


Item = EmergencyStep | CauseGroup | LifestyleRule | MedicationInfo | Warning | Specialist | Test


@dataclass(frozen=True, slots=True)
class Answer:
    urgency: str
    call_emergency_services: bool
    summary: str
    emergency_steps: tuple[EmergencyStep, ...]
    cause_groups: tuple[CauseGroup, ...]
    lifestyle_rules: tuple[LifestyleRule, ...]
    referral: Referral
    medication_info: tuple[MedicationInfo, ...]
    warnings: tuple[Warning, ...]
    follow_up_questions: tuple[FollowUpQuestion, ...]
    trace: tuple[TraceStep, ...]
    knowledge_base: KnowledgeBaseVersion
    disclaimer: str

    def json(self) -> str:
        """The answer as compact ASCII JSON, exactly as ``json.dumps(self.as_dict(),
        separators=(",", ":"))`` writes it, from the texts its parts carry."""
        referral = self.referral
        return (
            '{"urgency":' + string(self.urgency)
            + ',"call_emergency_services":' + ("true" if self.call_emergency_services else "false")
            + ',"summary":' + string(self.summary)
            + ',"emergency_steps":' + _texts_of(self.emergency_steps)
            + ',"cause_groups":' + _texts_of(self.cause_groups)
            + ',"lifestyle_rules":' + _texts_of(self.lifestyle_rules)
            + ',"referral":{"needed":' + ("true" if referral.needed else "false")
            + ',"specialists":' + _texts_of(referral.specialists)
            + ',"tests":' + _texts_of(referral.tests)
            + ',"tell_the_doctor":' + strings(referral.tell_the_doctor) + "}"
            + ',"medication_info":' + _texts_of(self.medication_info)
            + ',"warnings":' + _texts_of(self.warnings)
            + ',"follow_up_questions":' + _texts_of(self.follow_up_questions)
            + ',"trace":' + _texts_of(self.trace)
            + ',"knowledge_base":{"version":' + string(self.knowledge_base.version)
            + ',"rules":' + int.__repr__(self.knowledge_base.rules) + "}"
            + ',"disclaimer":' + string(self.disclaimer) + "}"
        )

    def as_dict(self) -> dict[str, object]:
        """The answer as plain JSON values: dicts in the contract's order, lists, strings."""
        return _members(self)


def _texts_of(parts: Iterable[Item | FollowUpQuestion | TraceStep]) -> str:
    return "[" + ",".join([part.json for part in parts]) + "]"


def plain(value: object) -> object:
    """A part as plain JSON values: a source without its absent quote, basis or references, and
    no part's ``json`` text."""
    if isinstance(value, tuple):
        return [plain(each) for each in value]
    if not is_dataclass(value):
        return value
    return _members(value)


def _members(value: "DataclassInstance | type[DataclassInstance]") -> dict[str, object]:
    values = {each.name: plain(getattr(value, each.name)) for each in fields(value)
              if each.name != "json"}
    if isinstance(value, Source):
        values = {name: each for name, each in values.items() if each not in (None, [])}
    return values
