"""Builders of FHIR and CDS Hooks bodies, made the way a client would: from the Questionnaire.

``response_to(questionnaire, profile)`` is the QuestionnaireResponse a form filled in with the
profile's values sends: one item per reported field, answered with the value type the
Questionnaire's item asks for. Nothing here imports the service's own conversion code.
"""

import uuid

VALUE_KEYS = {"choice": "valueCoding", "boolean": "valueBoolean", "integer": "valueInteger",
              "decimal": "valueDecimal", "text": "valueString"}
SERVICE = "/cds-services/leg-cramps-advice"
#: Where the intake Questionnaire is read (GET /v1/fhir/Questionnaire searches it).
QUESTIONNAIRE_PATH = "/v1/fhir/Questionnaire/leg-cramps-intake"
PATIENT_ID = "1288992"


def response_to(questionnaire: dict, profile: dict, **elements) -> dict:
    """The QuestionnaireResponse carrying ``profile``; ``elements`` add or replace elements."""
    items = {item["linkId"]: item for item in questionnaire["item"]}
    answered = []
    for field, value in profile.items():
        item = items[field]
        values = value if isinstance(value, list) else [value]
        answered.append({"linkId": field, "answer": [_answer(item, v) for v in values]})
    resource = {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": questionnaire["url"],
        "status": "completed",
        "subject": {"reference": f"Patient/{PATIENT_ID}"},
        "authored": "2025-01-15T09:30:00Z",
        "item": answered,
    }
    resource.update(elements)
    return resource


def _answer(item: dict, value) -> dict:
    key = VALUE_KEYS[item["type"]]
    if key != "valueCoding":
        return {key: value}
    system = item["answerOption"][0]["valueCoding"]["system"]
    return {key: {"system": system, "code": value}}


def in_own_words(resource: dict, text: str) -> dict:
    """``resource`` with the person's own words as the answer of its ``free_text`` item, first,
    as a form that drafted the answers from them sends it."""
    return {**resource, "item": [{"linkId": "free_text", "answer": [{"valueString": text}]},
                                 *resource["item"]]}


def items_of(resource: dict, **answers) -> dict:
    """``resource`` with the given items' answer lists replaced (or the item added)."""
    items = [item for item in resource["item"] if item["linkId"] not in answers]
    items += [{"linkId": link_id, "answer": answer} for link_id, answer in answers.items()]
    return {**resource, "item": items}


def cds_request(intake=None, **fields) -> dict:
    """A patient-view call with ``intake`` as its prefetch; ``fields`` add or replace fields
    (``None`` removes one)."""
    request = {
        "hook": "patient-view",
        "hookInstance": str(uuid.uuid4()),
        "context": {"userId": "Practitioner/example", "patientId": PATIENT_ID},
        "prefetch": {"intake": intake},
    }
    request.update(fields)
    return {key: value for key, value in request.items() if value is not None}


def search_bundle(*resources) -> dict:
    """The searchset Bundle a prefetch template's search returns."""
    bundle = {"resourceType": "Bundle", "type": "searchset", "total": len(resources)}
    if resources:
        bundle["entry"] = [{"resource": resource} for resource in resources]
    return bundle


#: The canonical base of the service's own FHIR resources, and where this service serves them.
CANONICAL_BASE = "https://leg-cramps-advice.example/fhir"
FHIR_BASE_PATH = "/v1/fhir"


def served_path(canonical: str) -> str:
    """The path this service serves a canonical URL of its own at: the same path after its FHIR
    base as after the canonical base (docs/integrations.md)."""
    assert canonical.startswith(f"{CANONICAL_BASE}/"), canonical
    return FHIR_BASE_PATH + canonical.removeprefix(CANONICAL_BASE)
