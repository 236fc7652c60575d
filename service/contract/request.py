"""The request schema of ``POST /v1/advice``, built from the contract's vocabulary.

``ProfileSchema`` is the gate every request passes: it names every offending field at once, and
``load_profile`` flattens marshmallow's nested messages into ``{field: [message, ...]}``, the
shape of a problem document's ``errors``. The response schema is in ``advice_schema``.
"""

from collections.abc import Iterator, Mapping
from typing import Any, TypeAlias, cast

from marshmallow import RAISE, Schema, ValidationError, fields, validates_schema
from marshmallow.validate import OneOf, Range

from service.contract.fields import EnumSet, StrictBoolean, StrictInteger, StrictNumber
from service.contract.problems import InvalidInput, Problems
from service.contract.vocabulary import ARRAY_FIELDS, ENUM_FIELDS, NUMBER_FIELDS

MAX_LOCATIONS = 4
#: A valid request, as ProfileSchema loads it: each field reported, with its JSON value (a list
#: of strings, a string, a boolean or a number, as the field's type is).
Profile: TypeAlias = dict[str, Any]


def _enum_array(field: str, **kwargs: Any) -> EnumSet:
    return EnumSet(ARRAY_FIELDS[field], **kwargs)


def _enum(field: str) -> fields.String:
    return fields.String(validate=OneOf(ENUM_FIELDS[field]))


def _bounds(field: str, **kwargs: Any) -> Range:
    low, high = NUMBER_FIELDS[field]
    return Range(min=low, max=high, **kwargs)


class ProfileSchema(Schema):
    """A person's report, exactly as the contract's request table defines it."""

    class Meta:
        unknown = RAISE  # a misspelt field name must not be silently ignored

    error_messages = {"type": "The request body must be a JSON object."}

    locations = _enum_array("locations", required=True, min_items=1, max_items=MAX_LOCATIONS)
    side = _enum("side")
    time_of_day = _enum("time_of_day")
    frequency = _enum("frequency")
    duration_minutes = StrictNumber(validate=_bounds("duration_minutes", min_inclusive=False))
    active_now = StrictBoolean(load_default=False)
    warning_signs = _enum_array("warning_signs")
    triggers = _enum_array("triggers")
    conditions = _enum_array("conditions")
    treatments = _enum_array("treatments")
    symptoms = _enum_array("symptoms")
    risk_factors = _enum_array("risk_factors")
    smoker = StrictBoolean()
    pregnant = StrictBoolean()
    pregnancy_trimester = StrictInteger(validate=_bounds("pregnancy_trimester"))
    age = StrictInteger(validate=_bounds("age"))
    sex = _enum("sex")

    @validates_schema(skip_on_field_errors=False)  # so this error joins the others
    def _trimester_needs_pregnancy(self, data: Mapping[str, Any], **kwargs: Any) -> None:
        if "pregnancy_trimester" in data and data.get("pregnant") is not True:
            raise ValidationError(
                "Only allowed together with pregnant: true.", field_name="pregnancy_trimester"
            )


_PROFILE = ProfileSchema()
_FIELDS = frozenset(_PROFILE.fields)


def load_profile(body: object) -> Profile:
    """The validated profile, or an ``InvalidInput`` naming the offending fields.

    Unknown fields are named here, not by marshmallow, which would build its own message for
    each of the thousands a 64 KiB body can hold before the answer is bounded.
    """
    unknown = [key for key in body if key not in _FIELDS] if isinstance(body, dict) else []
    if unknown and isinstance(body, dict):
        body = {key: value for key, value in body.items() if key in _FIELDS}
    problems = Problems()
    try:
        # Typed for mappings, but any body is refused with the schema's "type" message.
        profile: Profile = _PROFILE.load(cast("Mapping[str, Any]", body))
    except ValidationError as error:
        for field, messages in flatten_messages(error.normalized_messages()).items():
            for message in messages:
                problems.add(field, message)
    for key in unknown:
        problems.add(key, "Unknown field.")
    problems.raise_any(InvalidInput.detail)
    return profile


def flatten_messages(messages: Mapping[object, object]) -> dict[str, list[str]]:
    """Flat messages per top-level field: ``{"conditions": {0: ["Must..."]}}`` becomes
    ``{"conditions": ["Item 0: Must..."]}``, simple for forms and for the OpenAPI description."""
    return {str(field): list(_lines(detail)) for field, detail in messages.items()}


def _lines(detail: object, prefix: str = "") -> Iterator[str]:
    if isinstance(detail, dict):
        for key, inner in detail.items():
            label = f"Item {key}" if isinstance(key, int) else str(key)
            yield from _lines(inner, f"{prefix}{label}: ")
    elif isinstance(detail, list):
        for inner in detail:
            yield from _lines(inner, prefix)
    else:
        yield f"{prefix}{detail}"
