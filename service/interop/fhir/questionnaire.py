"""The FHIR R4 intake Questionnaire, generated from the contract's vocabulary.

Every item but the first is a request field of contract v1: its ``linkId`` is the field's name,
its type follows from the vocabulary (an enum is a ``choice`` whose answer codes are the enum's
values, an array ``repeats``), so the form can never offer a value ``POST /v1/advice`` would
refuse. The texts are the knowledge base's own follow-up questions (``rules/meta.yaml``); only
``locations``, which is never a follow-up because it is required, has its text here.

The first item (since 1.2), ``free_text``, is no request field: an optional ``text`` item for
the person's own words, from which an app may draft the answers (``POST /v1/intake/parse``)
for the person to check. Its answer is read as that fact about the intake, never as a field of
the profile (questionnaire_response.py).
"""

from service import config
from service.contract.documents import JSONObject
from service.contract.free_text import MAX_TEXT_CHARS
from service.contract.vocabulary import (
    ARRAY_FIELDS,
    BOOLEAN_FIELDS,
    ENUM_FIELDS,
    NUMBER_FIELDS,
    REQUEST_FIELDS,
    REQUIRED_FIELDS,
    label,
)

QUESTIONNAIRE_ID = "leg-cramps-intake"
#: A canonical URL identifies the questionnaire; it need not resolve. ``.example`` is reserved
#: (RFC 2606), so the identifier can never clash with anyone's real one.
CANONICAL_BASE = "https://leg-cramps-advice.example/fhir"
CANONICAL_URL = f"{CANONICAL_BASE}/Questionnaire/{QUESTIONNAIRE_ID}"
#: The service's version. linkIds and codes change only with a new major version; a minor one
#: only adds (1.1 the ``side`` item and new codes), so responses to every earlier release of the
#: same major version are read (:func:`reads_version`).
VERSION = config.VERSION
CONTRACT = ".".join(VERSION.split(".")[:2])  # the API contract's version: major.minor
#: When the Questionnaire's content last changed: ``sex`` bound to administrative-gender, and
#: ``meta.profile``, ``publisher`` and ``date`` added, in contract 1.1. A constant, not the
#: clock, so the resource is the same on every call and in every process.
DATE = "2026-12-05"
PUBLISHER = "leg-cramps-advice"
#: SDC's base Questionnaire profile (SDC STU 3, published at
#: https://hl7.org/fhir/uv/sdc/StructureDefinition-sdc-questionnaire.html).
SDC_QUESTIONNAIRE = "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire"
#: FHIR's own code system of ``sex``: its codes and displays are exactly the contract's values
#: (https://hl7.org/fhir/R4/codesystem-administrative-gender.html); no private one is needed.
ADMINISTRATIVE_GENDER = "http://hl7.org/fhir/administrative-gender"
#: The system a field was coded in before 1.1 bound ``sex`` to FHIR's: still read (see
#: questionnaire_response.py), never served.
FORMER_SYSTEMS = {"sex": f"{CANONICAL_BASE}/CodeSystem/sex"}
LOCATIONS_TEXT = "Where do the cramps come: in the calf, the foot, the toes or the thigh?"
#: The item of the person's own words (since 1.2): a ``text`` item, not a request field.
FREE_TEXT_ITEM = "free_text"
FREE_TEXT_QUESTION = ("In your own words, what are your leg cramps like? The answers below may "
                      "be drafted from it: check each one.")
#: How many items the Questionnaire has: the free text, then one per request field.
ITEM_COUNT = 1 + len(REQUEST_FIELDS)
#: Integer fields: every other number is a decimal.
INTEGER_FIELDS = ("pregnancy_trimester", "age")
_EXTENSIONS = "http://hl7.org/fhir/StructureDefinition"
#: Which answer a field takes, by FHIR item type (also what the response reader expects).
VALUE_KEYS = {
    "choice": "valueCoding", "boolean": "valueBoolean", "integer": "valueInteger",
    "decimal": "valueDecimal", "text": "valueString",
}


def item_type(field: str) -> str:
    """The FHIR item type of a request field."""
    if field in ARRAY_FIELDS or field in ENUM_FIELDS:
        return "choice"
    if field in BOOLEAN_FIELDS:
        return "boolean"
    return "integer" if field in INTEGER_FIELDS else "decimal"


def code_system(field: str) -> str:
    """The system of a choice field's codings: FHIR's administrative-gender for ``sex``, for
    every other field one of the service's own, as the codes are per field."""
    if field == "sex":
        return ADMINISTRATIVE_GENDER
    return f"{CANONICAL_BASE}/CodeSystem/{resource_id(field)}"


def resource_id(field: str) -> str:
    """The id of a field's own CodeSystem and ValueSet: its name with hyphens."""
    return field.replace("_", "-")


def choice_fields() -> tuple[str, ...]:
    """The fields whose answers are codings, in the contract's order."""
    return tuple(field for field in REQUEST_FIELDS if item_type(field) == "choice")


def codes(field: str) -> tuple[str, ...]:
    """The codes a choice field accepts."""
    return ARRAY_FIELDS.get(field) or ENUM_FIELDS[field]


def display(field: str, code: str) -> str:
    """A code's display: the contract's label for people (for ``sex``, administrative-gender's
    own displays, which the labels are)."""
    return label(field, code)


def reads_version(version: str) -> bool:
    """Whether a response to the Questionnaire of ``version`` is read: a release of this major
    version no newer than this one."""
    def release(text: str) -> tuple[int, ...] | None:
        parts = text.split(".")
        return tuple(map(int, parts)) if len(parts) == 3 and all(map(str.isdigit, parts)) else None

    given, ours = release(version), release(VERSION)
    return given is not None and ours is not None and given[0] == ours[0] and given <= ours


def build_questionnaire(questions: dict[str, str]) -> JSONObject:
    """The Questionnaire resource; ``questions`` are the knowledge base's texts per field."""
    return {
        "resourceType": "Questionnaire",
        "id": QUESTIONNAIRE_ID,
        "meta": {"profile": [SDC_QUESTIONNAIRE]},
        "url": CANONICAL_URL,
        "version": VERSION,
        "name": "LegCrampsIntake",
        "title": "Leg cramps intake",
        "status": "active",
        "subjectType": ["Patient"],
        "date": DATE,
        "publisher": PUBLISHER,
        "description": (
            "What a person reports about their leg cramps, item for item the request of "
            f"POST /v1/advice (API contract v{CONTRACT}), after an optional item for their own "
            "words (free_text). An unanswered item means 'not reported'."
        ),
        "item": [_free_text_item(), *(_item(field, questions) for field in REQUEST_FIELDS)],
    }


def _free_text_item() -> JSONObject:
    return {"linkId": FREE_TEXT_ITEM, "text": FREE_TEXT_QUESTION, "type": "text",
            "maxLength": MAX_TEXT_CHARS}


def _item(field: str, questions: dict[str, str]) -> JSONObject:
    kind = item_type(field)
    item: JSONObject = {
        "linkId": field,
        "text": LOCATIONS_TEXT if field == "locations" else questions[field],
        "type": kind,
    }
    if field in REQUIRED_FIELDS:
        item["required"] = True
    if kind == "choice":
        item["repeats"] = field in ARRAY_FIELDS
        item["answerOption"] = [
            {"valueCoding": {"system": code_system(field), "code": code,
                             "display": display(field, code)}}
            for code in codes(field)
        ]
    if field in NUMBER_FIELDS:
        item["extension"] = _bounds(field, kind)
    if field == "pregnancy_trimester":
        item["enableWhen"] = [{"question": "pregnant", "operator": "=", "answerBoolean": True}]
    return item


def _bounds(field: str, kind: str) -> list[JSONObject]:
    """minValue/maxValue extensions; duration_minutes' lower bound (> 0) is exclusive, which
    minValue (inclusive) cannot say, so only its unit and maximum are given."""
    low, high = NUMBER_FIELDS[field]
    value_key = "valueInteger" if kind == "integer" else "valueDecimal"
    extensions = []
    if field != "duration_minutes":
        extensions.append({"url": f"{_EXTENSIONS}/minValue", value_key: low})
    extensions.append({"url": f"{_EXTENSIONS}/maxValue", value_key: high})
    if field == "duration_minutes":
        extensions.append({
            "url": f"{_EXTENSIONS}/questionnaire-unit",
            "valueCoding": {"system": "http://unitsofmeasure.org", "code": "min",
                            "display": "minutes"},
        })
    return extensions
