"""The response schema of ``POST /v1/advice``: the contract's answer, field for field.

The advisor builds its answer in exactly this shape (its prepared views, service/advice/views.py),
so the route encodes it without a dump; tests/property/test_answer_encoding.py proves over random
profiles that the encoded answer is byte for byte this schema's dump, so only the contract's
fields leave the service. ``AdviceSchema().validate(body)`` checks a whole answer's shape.
"""

from marshmallow import Schema, ValidationError, fields, validates_schema
from marshmallow.validate import Length, OneOf

from service.contract.vocabulary import (
    CAUSE_GROUPS,
    PHASES,
    REQUEST_FIELDS,
    SPECIALISTS,
    TESTS,
    URGENCIES,
)


def _text(**kwargs) -> fields.String:
    """A non-empty string, always present."""
    return fields.String(required=True, validate=Length(min=1), **kwargs)


def _texts(min_items: int = 0) -> fields.List:
    return fields.List(_text(), required=True, validate=Length(min=min_items))


def _enum(choices) -> fields.String:
    return fields.String(required=True, validate=OneOf(choices))


def _rules() -> fields.List:
    """The ids of the rules that produced an item: at least one."""
    return _texts(min_items=1)


class ReferenceSchema(Schema):
    """A published page of guidance a safety item follows (contract 1.1)."""

    title = _text()
    publisher = _text()
    url = _text()


class SourceSchema(Schema):
    """Where an item comes from: a quote of the document, or the safety layer's basis and the
    guidance it follows."""

    section = _text()
    quote = fields.String(validate=Length(min=1))
    basis = fields.String(validate=Length(min=1))
    references = fields.List(fields.Nested(ReferenceSchema), validate=Length(min=1))

    @validates_schema
    def _quote_or_basis(self, data, **kwargs):
        if ("quote" in data) == ("basis" in data):
            raise ValidationError("A source has either a quote or a basis.")


class CitedSchema(Schema):
    """An item of advice, with its source and the rules that produced it."""

    id = _text()
    text = _text()
    source = fields.Nested(SourceSchema, required=True)
    rules = _rules()


class EmergencyStepSchema(CitedSchema):
    phase = _enum(PHASES)


class MedicationSchema(CitedSchema):
    prescription_only = fields.Boolean(required=True)


class CauseGroupSchema(Schema):
    """A likely cause group; whether it is dangerous is fixed by the contract, not the rules."""

    id = _enum(tuple(CAUSE_GROUPS))
    label = _text()
    dangerous = fields.Boolean(required=True)
    evidence = _texts(min_items=1)
    source = fields.Nested(SourceSchema, required=True)
    rules = _rules()

    @validates_schema
    def _danger_as_the_contract_says(self, data, **kwargs):
        if data["dangerous"] is not CAUSE_GROUPS[data["id"]]:
            raise ValidationError("Contradicts the contract.", field_name="dangerous")


class SpecialistSchema(Schema):
    id = _enum(SPECIALISTS)
    label = _text()
    reason = _text()
    rules = _rules()


class LabTestSchema(Schema):
    id = _enum(TESTS)
    label = _text()
    rules = _rules()


class ReferralSchema(Schema):
    needed = fields.Boolean(required=True)
    specialists = fields.List(fields.Nested(SpecialistSchema), required=True)
    tests = fields.List(fields.Nested(LabTestSchema), required=True)
    tell_the_doctor = _texts()


class FollowUpSchema(Schema):
    field = _enum(REQUEST_FIELDS)
    question = _text()


class TraceStepSchema(Schema):
    rule = _text()
    derived = _texts()
    because = _texts()


class KnowledgeBaseRefSchema(Schema):
    version = _text()
    rules = fields.Integer(required=True)


def _many(schema: type[Schema]) -> fields.List:
    return fields.List(fields.Nested(schema), required=True)


class AdviceSchema(Schema):
    """The 200 answer of ``POST /v1/advice``, field for field as the contract shows it."""

    urgency = _enum(URGENCIES)
    call_emergency_services = fields.Boolean(required=True)  # 1.1
    summary = _text()
    emergency_steps = _many(EmergencyStepSchema)
    cause_groups = _many(CauseGroupSchema)
    lifestyle_rules = _many(CitedSchema)
    referral = fields.Nested(ReferralSchema, required=True)
    medication_info = _many(MedicationSchema)
    warnings = _many(CitedSchema)
    follow_up_questions = _many(FollowUpSchema)
    trace = _many(TraceStepSchema)
    knowledge_base = fields.Nested(KnowledgeBaseRefSchema, required=True)
    disclaimer = _text()
