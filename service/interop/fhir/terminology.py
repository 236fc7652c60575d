"""The intake's terminology as FHIR R4 resources: a CodeSystem and a ValueSet per choice field.

Every choice field but ``sex`` has codes of its own, so each gets a CodeSystem of the service,
``<canonical base>/CodeSystem/<id>``: all its codes with the Questionnaire's displays, complete,
case-sensitive, of the contract's version. ``sex`` is coded in FHIR's administrative-gender,
which this service does not publish again. Every choice field, ``sex`` included, gets a ValueSet,
``<canonical base>/ValueSet/<id>``: the codes the field takes, for a client that validates a
QuestionnaireResponse or binds its own data element. The Questionnaire's items keep their
``answerOption`` lists rather than name these ValueSets (R4 allows one or the other, and a simple
form renderer needs the options inline).

One more pair is not the intake's: ``override-reason``, the reasons a clinician may give for
setting a critical CDS card aside (the cards' ``overrideReasons``,
service/interop/fhir/requests.py).
"""

from collections.abc import Iterable

from service.contract.documents import JSONObject
from service.interop.fhir.questionnaire import (
    ADMINISTRATIVE_GENDER,
    CANONICAL_BASE,
    DATE,
    PUBLISHER,
    VERSION,
    choice_fields,
    code_system,
    codes,
    display,
    resource_id,
)
from service.interop.fhir.requests import (
    OVERRIDE_REASONS,
    OVERRIDE_REASONS_ID,
    OVERRIDE_REASONS_SYSTEM,
)

CODE_SYSTEM = "CodeSystem"
VALUE_SET = "ValueSet"


def _metadata(kind: str, field: str) -> JSONObject:
    """The elements a CodeSystem and a ValueSet of ``field`` share."""
    words = field.replace("_", " ")
    return {
        "resourceType": kind,
        "id": resource_id(field),
        "url": f"{CANONICAL_BASE}/{kind}/{resource_id(field)}",
        "version": VERSION,
        "name": "LegCramps" + "".join(word.capitalize() for word in field.split("_")),
        "title": f"Leg cramps intake: {words}",
        "status": "active",
        "experimental": False,
        "date": DATE,
        "publisher": PUBLISHER,
    }


def _concepts(field: str) -> list[JSONObject]:
    return [{"code": code, "display": display(field, code)} for code in codes(field)]


def _code_system(field: str, concepts: list[JSONObject], description: str,
                 **overrides: str) -> JSONObject:
    """A complete, case-sensitive CodeSystem of the service, ``<base>/CodeSystem/<id>``, whose
    ValueSet of the same id holds all of it."""
    return {
        **_metadata(CODE_SYSTEM, field), **overrides,
        "description": description,
        "caseSensitive": True,
        "valueSet": f"{CANONICAL_BASE}/{VALUE_SET}/{resource_id(field)}",
        "content": "complete",
        "count": len(concepts),
        "concept": concepts,
    }


def _value_set(field: str, include: JSONObject, description: str,
               **overrides: str) -> JSONObject:
    return {**_metadata(VALUE_SET, field), **overrides, "description": description,
            "compose": {"include": [include]}}


def code_system_resource(field: str) -> JSONObject:
    """The CodeSystem of a field's own codes."""
    return _code_system(field, _concepts(field),
                        f"The codes of the intake item '{field}' (POST /v1/advice's field of "
                        "that name, API contract v1.1).")


def value_set_resource(field: str) -> JSONObject:
    """The ValueSet of the codes a field takes: its whole own CodeSystem, or for ``sex`` the
    four codes of administrative-gender, listed."""
    include: JSONObject = {"system": code_system(field)}
    if code_system(field) == ADMINISTRATIVE_GENDER:
        include["concept"] = _concepts(field)
    return _value_set(field, include, f"The codes the intake item '{field}' takes.")


def override_reasons() -> dict[str, JSONObject]:
    """The CodeSystem and ValueSet of the CDS cards' override reasons."""
    field = OVERRIDE_REASONS_ID.replace("-", "_")
    concepts = [{"code": code, "display": text} for code, text in OVERRIDE_REASONS.items()]
    what = "Why a clinician sets a critical leg-cramps-advice CDS card aside"
    title = "Override reasons of the CDS cards"
    return {
        CODE_SYSTEM: _code_system(
            field, concepts,
            f"{what} (CDS Hooks overrideReasons, and feedback's overrideReason).", title=title),
        VALUE_SET: _value_set(field, {"system": OVERRIDE_REASONS_SYSTEM},
                              f"{what}: every code of its CodeSystem.", title=title),
    }


def _build() -> dict[str, dict[str, JSONObject]]:
    own = [field for field in choice_fields() if code_system(field) != ADMINISTRATIVE_GENDER]
    reasons = override_reasons()
    return {
        CODE_SYSTEM: {**{resource_id(field): code_system_resource(field) for field in own},
                      OVERRIDE_REASONS_ID: reasons[CODE_SYSTEM]},
        VALUE_SET: {**{resource_id(f): value_set_resource(f) for f in choice_fields()},
                    OVERRIDE_REASONS_ID: reasons[VALUE_SET]},
    }


#: Every served resource, by type and id. Built once: they depend on the vocabulary only.
RESOURCES = _build()


def read(kind: str, resource_id: str) -> JSONObject | None:
    """The resource of that type and id, or None."""
    return RESOURCES[kind].get(resource_id)


def search_by_url(kind: str, urls: list[str]) -> list[JSONObject]:
    """The terminology resources of a type whose canonical ``url`` matches (:func:`matching`)."""
    return matching(RESOURCES[kind].values(), urls)


def matching(resources: Iterable[JSONObject], urls: list[str]) -> list[JSONObject]:
    """The ``resources`` whose canonical ``url`` matches every ``url`` parameter given.

    As FHIR search has it, repeated parameters must all match and a comma separates values
    of which one must; a value may name a version (``<url>|1.1.0``), which must be ours.
    """
    found = []
    for resource in resources:
        canonicals = {resource["url"], f"{resource['url']}|{VERSION}"}
        if all(canonicals & set(value.split(",")) for value in urls):
            found.append(resource)
    return found
