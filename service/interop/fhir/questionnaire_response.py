"""Read a FHIR R4 QuestionnaireResponse to the intake Questionnaire as a contract v1 profile.

This only translates: each answered item becomes the request field of its ``linkId``, with the
answer's value (a coding's code) as the value. Everything the contract says about values is left
to ``load_profile``, which the caller runs next, so a FHIR body obeys exactly the rules a JSON
profile does and its errors name the same fields (the linkIds). What only FHIR can get wrong is
refused here: another resource type, an unfinished response, an unknown or repeated linkId, an
answer of the wrong type, a modifier extension, nested items, elements of the wrong JSON type
(``fhir_elements``). An item without an answer is "not reported", as an absent field is.

The ``free_text`` item (since 1.2) is no field: its answer, the person's own words (one
``valueString`` of at most 1,000 characters), is checked here and then only noted, as the fact
that the answers were drafted from the person's words and confirmed by them
(:func:`in_own_words`), never read into the profile.
"""


from service.contract.documents import JSONObject
from service.contract.free_text import MAX_TEXT_CHARS
from service.contract.problems import InvalidInput, Problems
from service.contract.vocabulary import ARRAY_FIELDS, REQUEST_FIELDS
from service.interop.fhir import elements as fhir_elements
from service.interop.fhir.questionnaire import (
    CANONICAL_URL,
    FORMER_SYSTEMS,
    FREE_TEXT_ITEM,
    VALUE_KEYS,
    code_system,
    codes,
    item_type,
    reads_version,
)

#: The value of the ``fhirVersion`` media type parameter that names R4.
R4 = "4.0"
#: Only a finished response is the person's report.
STATUSES = ("completed", "amended")


def profile_from_response(resource: object) -> dict[str, object]:
    """The profile the response's answers make, or an ``InvalidInput`` naming each linkId
    (or element) that is wrong. The profile still has to pass ``load_profile``."""
    if not isinstance(resource, dict):
        raise InvalidInput({"_schema": ["A QuestionnaireResponse is a JSON object."]})
    errors = Problems()
    for problem in _resource_problems(resource):
        key, _, message = problem.partition(": ")
        errors.add(key, message)
    profile: dict[str, object] = {}
    seen: set[str] = set()
    items = resource.get("item")
    if not isinstance(items, list):
        items = []
    for index, item in enumerate(items):
        if errors.full:
            errors.unchecked(len(items) - index, "items")
            break
        field = _field_of(item, index, seen, errors)
        if field == FREE_TEXT_ITEM:
            _check_free_text(item, errors)
        elif field is not None:
            _read_answers(field, item, profile, errors)
    errors.raise_any("The QuestionnaireResponse does not fit the intake Questionnaire; "
                     "see errors.")
    return profile


def _resource_problems(resource: JSONObject) -> list[str]:
    problems = fhir_elements.element_problems(resource, fhir_elements.RESOURCE,
                                              ("modifierExtension",))
    if resource.get("resourceType") != "QuestionnaireResponse":
        problems.append("resourceType: Must be QuestionnaireResponse.")
    if resource.get("status") not in STATUSES:
        problems.append(f"status: Must be one of: {', '.join(STATUSES)} (a finished response).")
    if "questionnaire" in resource and not _answers_ours(resource["questionnaire"]):
        problems.append(f"questionnaire: Must be {CANONICAL_URL} (GET /v1/fhir/Questionnaire).")
    if isinstance(resource.get("id"), str) and not fhir_elements.is_id(resource["id"]):
        problems.append(f"id: {fhir_elements.ID_RULE}")
    if isinstance(resource.get("subject"), dict):
        problems += [f"subject: {problem}"
                     for problem in fhir_elements.patient_reference_problems(resource["subject"])]
    return problems


def _answers_ours(questionnaire: object) -> bool:
    """The canonical of our Questionnaire, bare or with a version this service reads."""
    if not isinstance(questionnaire, str):
        return False
    url, bar, version = questionnaire.partition("|")
    return url == CANONICAL_URL and (not bar or reads_version(version))


def _field_of(item: object, index: int, seen: set[str], errors: Problems) -> str | None:
    """The request field an item answers, once; None (with the error noted) otherwise."""
    link_id = item.get("linkId") if isinstance(item, dict) else None
    if not isinstance(item, dict) or not isinstance(link_id, str):
        errors.add("item", f"Item {index}: must be an object with a linkId.")
        return None
    problems = fhir_elements.element_problems(item, fhir_elements.ITEM,
                                              ("modifierExtension", "item"))
    if link_id not in REQUEST_FIELDS and link_id != FREE_TEXT_ITEM:
        problems.append("Not a linkId of the intake Questionnaire.")
    elif link_id in seen:
        problems.append("Answered in more than one item.")
    seen.add(link_id)
    if item.get("answer") == []:
        problems.append("answer: must not be empty; leave it out when there is none.")
    if problems:
        for problem in problems:
            errors.add(link_id, problem)
        return None
    return link_id


def _check_free_text(item: JSONObject, errors: Problems) -> None:
    """The free-text item holds at most one answer, a ``valueString`` of at most 1,000
    characters; the words themselves are never repeated in a message."""
    answers = item.get("answer", [])
    if len(answers) > 1:
        errors.add(FREE_TEXT_ITEM, f"Takes at most 1 answer; got {len(answers):,}.")
        return
    for answer in answers:
        value = answer.get("valueString") if isinstance(answer, dict) else None
        if not isinstance(answer, dict) or not isinstance(value, str):
            errors.add(FREE_TEXT_ITEM, "Answer 0: needs valueString, as the item is a text.")
            continue
        if len(value) > MAX_TEXT_CHARS:
            errors.add(FREE_TEXT_ITEM, f"Answer 0: at most {MAX_TEXT_CHARS:,} characters; "
                                       f"this text has {len(value):,}.")
        for problem in fhir_elements.element_problems(
                {k: v for k, v in answer.items() if k != "valueString"}, fhir_elements.ANSWER,
                ("modifierExtension", "item")):
            errors.add(FREE_TEXT_ITEM, f"Answer 0: {problem}")


def in_own_words(resource: JSONObject) -> bool:
    """Whether the response carries the person's own words (an answered ``free_text`` item),
    from which its answers were drafted and then confirmed by them. Read after
    :func:`profile_from_response` accepted the resource."""
    items = resource.get("item")
    return isinstance(items, list) and any(
        isinstance(item, dict) and item.get("linkId") == FREE_TEXT_ITEM
        and any(isinstance(answer, dict) and isinstance(answer.get("valueString"), str)
                and answer["valueString"].strip() for answer in item.get("answer", []))
        for item in items)


def _read_answers(field: str, item: JSONObject, profile: dict[str, object],
                  errors: Problems) -> None:
    answers = item.get("answer", [])
    most = len(codes(field)) if field in ARRAY_FIELDS else 1
    if len(answers) > most:  # refused unread, as the profile's arrays are
        errors.add(field, f"Takes at most {most} answer{'s' if most > 1 else ''}; "
                          f"got {len(answers):,}.")
        return
    value_key = VALUE_KEYS[item_type(field)]
    values, problems = [], []
    for number, answer in enumerate(answers):
        if not isinstance(answer, dict) or value_key not in answer:
            problems.append(f"Answer {number}: needs {value_key}, as the item is a "
                            f"{item_type(field)}.")
            continue
        refused = fhir_elements.element_problems(
            {k: v for k, v in answer.items() if k != value_key}, fhir_elements.ANSWER,
            ("modifierExtension", "item"),
        )
        problems += [f"Answer {number}: {problem}" for problem in refused]
        value = answer[value_key]
        if value_key == "valueCoding":
            value = _code(field, value, number, problems)
        values.append(value)
    if problems:
        for problem in problems:
            errors.add(field, problem)
    elif values:  # no answer: not reported
        profile[field] = values if field in ARRAY_FIELDS else values[0]


def _code(field: str, coding: object, number: int, problems: list[str]) -> object:
    """A coding's code, for load_profile to check against the vocabulary.

    ``sex`` is also read in the service's own former system: Questionnaires served before
    ``sex`` was bound to administrative-gender (1.0.0, and 1.1.0 until then) offered it, and a
    response does not always say which version it answers, so it is read whatever it names.
    """
    systems = {code_system(field), FORMER_SYSTEMS.get(field, code_system(field))}
    if not isinstance(coding, dict) or "code" not in coding:
        problems.append(f"Answer {number}: valueCoding needs a code.")
    elif coding.get("system", code_system(field)) not in systems:
        problems.append(f"Answer {number}: the coding's system must be {code_system(field)}.")
    else:
        return coding["code"]
    return None
