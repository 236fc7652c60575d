"""The elements of an R4 QuestionnaireResponse this service knows, with their JSON types.

The reader refuses an element not listed here (it may change the meaning of the answers), and
one of the wrong JSON type, even where it does not read the element further: what openapi.yaml
says of each element, the service enforces. The ``id`` and the ``subject``, which the
GuidanceResponse copies, are checked for their FHIR form too.
"""

import re

from service.contract.documents import JSONObject

#: Elements of the resource, of an item and of an answer (besides its value[x]), by JSON type.
RESOURCE: dict[str, type] = {
    "resourceType": str, "id": str, "meta": dict, "implicitRules": str, "language": str,
    "text": dict, "contained": list, "extension": list, "identifier": dict, "basedOn": list,
    "partOf": list, "questionnaire": str, "status": str, "subject": dict, "encounter": dict,
    "authored": str, "author": dict, "source": dict, "item": list,
}
ITEM: dict[str, type] = {"id": str, "extension": list, "linkId": str, "definition": str,
                         "text": str, "answer": list}
ANSWER: dict[str, type] = {"id": str, "extension": list}
#: A reader that does not understand a modifier extension must not read the resource; a nested
#: item has no place in the flat intake Questionnaire.
REFUSED = {
    "modifierExtension": "This service understands no modifier extension, so it cannot read "
                         "the resource.",
    "item": "Has nested items; the intake Questionnaire has none.",
}
_JSON_TYPES: dict[type, str] = {str: "a string", dict: "an object", list: "an array",
                                bool: "a boolean"}
#: FHIR's id datatype (https://hl7.org/fhir/R4/datatypes.html#id).
_ID = re.compile(r"[A-Za-z0-9\-.]{1,64}")
ID_RULE = "Must be a FHIR id: 1 to 64 letters, digits, '-' or '.'."
#: A Patient reference, relative or absolute (https://hl7.org/fhir/R4/references.html#literal):
#: copied into the GuidanceResponse and the requests it contains, so nothing else gets through.
_PATIENT = re.compile(
    r"(?:https?://[A-Za-z0-9\-.]+(?::\d{1,5})?(?:/[A-Za-z0-9\-_~]+(?:\.[A-Za-z0-9\-_~]+)*)*/)?"
    r"Patient/[A-Za-z0-9\-.]{1,64}")
#: What of a subject Reference the service reads and passes on; anything else is refused.
SUBJECT: dict[str, type] = {"reference": str, "type": str, "identifier": dict, "display": str}


def is_id(value: str) -> bool:
    return _ID.fullmatch(value) is not None


def patient_reference_problems(subject: JSONObject) -> list[str]:
    """What is wrong with a subject that must be a reference to a Patient, or a display."""
    problems = element_problems(subject, SUBJECT)
    reference, kind = subject.get("reference"), subject.get("type", "Patient")
    if isinstance(reference, str) and _PATIENT.fullmatch(reference) is None:
        problems.append("Its reference must be Patient/<id>, or the absolute URL of one.")
    if kind != "Patient":
        problems.append("Its type must be Patient.")
    return problems


def element_problems(node: JSONObject, known: dict[str, type],
                     refused: tuple[str, ...] = ()) -> list[str]:
    """What is wrong with ``node``'s elements: refused, unknown, or of the wrong JSON type."""
    problems = [f"{key}: {REFUSED[key]}" for key in refused if key in node]
    for key in sorted(node.keys() - known.keys() - set(refused)):
        problems.append(f"{key}: not an element this service reads here.")
    for key, kind in known.items():
        if key in node and not isinstance(node[key], kind):
            problems.append(f"{key}: must be {_JSON_TYPES[kind]}.")
    return problems
