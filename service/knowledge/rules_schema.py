"""marshmallow schemas of the files in ``rules/``: the shape each file must have."""

from collections.abc import Mapping
from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates, validates_schema

from service.contract.vocabulary import PHASES, REQUEST_FIELDS, REQUIRED_FIELDS, URGENCIES
from service.knowledge.model import INVOLVES, ITEM_KINDS

IDENTIFIER = validate.Regexp(r"^[a-z][a-z0-9_]*$", error="must be a lower_snake_case identifier")
TEXT = fields.String(required=True, validate=validate.Length(min=1))


class ReferenceSchema(Schema):
    """A published page a safety item follows: found and read, never invented. ``quote`` is what
    the page says that the service relies on, verbatim; ``claim`` is what the service uses it
    for, so that a reviewer can check the one against the other. Answers show only the title,
    the publisher and the address."""

    title = fields.String(required=True, validate=validate.Length(min=1))
    publisher = fields.String(required=True, validate=validate.Length(min=1))
    url = fields.String(required=True, validate=validate.Regexp(
        r"^https://[^\s]+$", error="must be an https address"))
    quote = fields.String(required=True, validate=validate.Regexp(
        r"\S", error="must quote the page's words the service relies on"))
    claim = fields.String(required=True, validate=validate.Regexp(
        r"\S", error="must say what the service uses the page for"))


#: What the basis of a safety source says when no published guidance was found for it.
NO_PUBLISHED_BASIS = "no published guidance"


class SourceSchema(Schema):
    """From the document (section + verbatim quote) or from the safety layer (basis, and the
    guidance it follows in ``references``; or a basis saying there is none)."""

    section = fields.String(required=True, validate=validate.Length(min=1))
    quote = fields.String(validate=validate.Length(min=1))
    basis = fields.String(validate=validate.Length(min=1))
    #: Ids of the ``references`` of the rules files, resolved by the loader.
    references = fields.List(fields.String(validate=IDENTIFIER), validate=validate.Length(min=1))

    @validates_schema
    def _quote_or_basis(self, data: Mapping[str, Any], **kwargs: Any) -> None:
        if data["section"] == "safety":
            if "basis" not in data or "quote" in data:
                raise ValidationError("a safety source has a basis and no quote")
            if "references" not in data and NO_PUBLISHED_BASIS not in data["basis"].lower():
                raise ValidationError(
                    "a safety source names the guidance it follows in references, or its basis "
                    f"says there is '{NO_PUBLISHED_BASIS}'")
        elif "quote" not in data or "basis" in data or "references" in data:
            raise ValidationError("a source from the document has a quote, no basis and no "
                                  "references")


class ItemSchema(Schema):
    """A catalogue entry; which attributes it needs depends on its kind (checked later)."""

    id = fields.String(required=True, validate=IDENTIFIER)
    text = fields.String(validate=validate.Length(min=1))
    label = fields.String(validate=validate.Length(min=1))
    #: A warning's finding in a clinician's words (the CDS cards' summaries).
    finding = fields.String(validate=validate.Length(min=1, max=100))
    phase = fields.String(validate=validate.OneOf(PHASES))
    order = fields.Integer(strict=True)
    dangerous = fields.Boolean()
    prescription_only = fields.Boolean()
    #: What following the advice involves, for the safety layer's tests and reviewers.
    involves = fields.List(fields.String(validate=validate.OneOf(INVOLVES)))
    #: Whether the item still helps once an ambulance is called (the answer policy keeps only
    #: these then).
    in_emergency = fields.Boolean()
    source = fields.Nested(SourceSchema)


def _kind_lists(**kwargs: Any) -> fields.Dict:
    return fields.Dict(
        keys=fields.String(validate=validate.OneOf(ITEM_KINDS)),
        values=fields.List(fields.String(validate=IDENTIFIER)),
        load_default=dict,
        **kwargs,
    )


class WhenSchema(Schema):
    all = fields.List(fields.String(validate=validate.Length(min=1)), load_default=list)
    any = fields.List(fields.String(validate=validate.Length(min=1)), load_default=list)

    @validates_schema
    def _not_empty(self, data: Mapping[str, Any], **kwargs: Any) -> None:
        if not data["all"] and not data["any"]:
            raise ValidationError("a rule needs at least one condition")


class RuleSchema(Schema):
    id = fields.String(required=True, validate=IDENTIFIER)
    # 1000 is the answer policy's (policy.py): what it removes, no rule of a topic file restores.
    priority = fields.Integer(strict=True, load_default=0, validate=validate.Range(0, 999))
    when = fields.Nested(WhenSchema, required=True)
    derive = fields.List(fields.String(validate=IDENTIFIER), load_default=list)
    add = _kind_lists()
    suppress = _kind_lists()
    urgency = fields.String(validate=validate.OneOf(URGENCIES))
    call_emergency_services = fields.Boolean(load_default=False)
    reason = fields.String(validate=validate.Length(min=1))
    source = fields.Nested(SourceSchema, required=True)


class ExpectSchema(Schema):
    urgency = fields.String(validate=validate.OneOf(URGENCIES))
    call_emergency_services = fields.Boolean()
    referral_needed = fields.Boolean()
    includes = _kind_lists()
    excludes = _kind_lists()
    fired = fields.List(fields.String(), load_default=list)
    not_fired = fields.List(fields.String(), load_default=list)
    follow_up = fields.List(fields.String(validate=validate.OneOf(REQUEST_FIELDS)))


class ExampleSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1))
    profile = fields.Dict(required=True)
    expect = fields.Nested(ExpectSchema, required=True)


class ExclusionSchema(Schema):
    """A piece of the document deliberately left out, and why."""

    quote = fields.String(required=True, validate=validate.Length(min=1))
    reason = fields.String(required=True, validate=validate.Length(min=1))


class RulesFileSchema(Schema):
    """A topic file: the advice texts it introduces, its rules, and its examples."""

    catalogue = fields.Dict(
        keys=fields.String(validate=validate.OneOf(ITEM_KINDS)),
        values=fields.List(fields.Dict()),
        load_default=dict,
    )
    rules = fields.List(fields.Dict(), load_default=list)
    examples = fields.List(fields.Dict(), load_default=list)
    excluded = fields.List(fields.Nested(ExclusionSchema), load_default=list)
    #: Published guidance the safety layer follows, by id: sources name these ids.
    references = fields.Dict(keys=fields.String(validate=IDENTIFIER),
                             values=fields.Nested(ReferenceSchema), load_default=dict)


class MetaSchema(Schema):
    """``rules/meta.yaml``: what is said on every answer, and how."""

    version = fields.String(required=True)
    document = fields.String(required=True)
    document_sha256 = fields.String(required=True, validate=validate.Regexp(r"^[0-9a-f]{64}$"))
    disclaimer = TEXT
    summary = fields.Dict(keys=fields.String(), values=fields.String(), required=True)
    questions = fields.Dict(
        keys=fields.String(validate=validate.OneOf(REQUEST_FIELDS)),
        values=fields.String(validate=validate.Length(min=1)),
        required=True,
    )

    @validates("questions")
    def _a_question_for_every_field_a_person_may_leave_out(
            self, questions: dict[str, str], **kwargs: Any) -> None:
        # The Questionnaire and the intake page ask each of them: a field without its
        # question would fail there, at request time, instead of here at start-up.
        missing = [f for f in REQUEST_FIELDS if f not in questions and f not in REQUIRED_FIELDS]
        if missing:
            raise ValidationError(f"no question for {', '.join(missing)}")


KIND_ID = validate.Regexp(rf"^({'|'.join(ITEM_KINDS)})\.[a-z][a-z0-9_]*$",
                          error="must be <kind>.<item id>")


class EmergencyClauseSchema(Schema):
    id = fields.String(required=True, validate=IDENTIFIER)
    fact = fields.String(required=True, validate=IDENTIFIER)
    kinds = fields.List(fields.String(validate=validate.OneOf(ITEM_KINDS)), required=True)
    basis = TEXT
    references = fields.List(fields.String(validate=IDENTIFIER))


class HandsOffClauseSchema(Schema):
    id = fields.String(required=True, validate=IDENTIFIER)
    when_any = fields.List(fields.String(validate=validate.Length(min=1)), required=True,
                           validate=validate.Length(min=1))
    never = fields.List(fields.String(validate=validate.OneOf(INVOLVES)), required=True,
                        validate=validate.Length(min=1))
    basis = TEXT
    references = fields.List(fields.String(validate=IDENTIFIER))


class ContradictionSchema(Schema):
    keep = fields.String(required=True, validate=KIND_ID)
    drop = fields.String(required=True, validate=KIND_ID)
    why = TEXT


class PolicySchema(Schema):
    """``rules/policy.yaml``: which items may stand together in one answer (policy.py)."""

    emergency = fields.Nested(EmergencyClauseSchema, required=True)
    hands_off = fields.Nested(HandsOffClauseSchema, required=True)
    contradictions = fields.List(fields.Nested(ContradictionSchema), load_default=list)
