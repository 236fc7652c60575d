"""Reading a CDS Hooks 2.0 service request as the specification defines it for ``patient-view``,
each problem named in a 400's ``errors`` by its path (``context.patientId``).

The intake comes only from ``prefetch``. The service never calls the client's FHIR server (it
keeps no credentials and makes no outbound requests; ``fhirServer`` and ``fhirAuthorization`` are
checked for shape, then ignored). CDS Hooks 2.0 ("Prefetch", docs/specification/current.md of
cds-hooks/docs) has the client send ``null`` for a template it has no data for, an
``OperationOutcome`` when prefetching failed, and leave out a key it chose not to, or could not,
satisfy; a service that cannot get the data it needs from the FHIR server "SHALL respond with an
HTTP 412". So: the key left out or an ``OperationOutcome`` is that 412; ``null``, or a search
Bundle with no finished QuestionnaireResponse, means the patient has no intake, and the call gets
no cards. Which of several intakes is read: ``intake``.
"""

import re
from collections.abc import Callable
from typing import TypeGuard

from service.contract.documents import JSONObject
from service.contract.problems import InvalidInput, Problems
from service.contract.request import Profile, load_profile
from service.interop.cds.intake import Intake, dated, newest
from service.interop.fhir import elements as fhir_elements
from service.interop.fhir.questionnaire_response import profile_from_response

HOOK = "patient-view"
PREFETCH_KEY = "intake"
REQUEST_FIELDS = frozenset({"hook", "hookInstance", "fhirServer", "fhirAuthorization", "context",
                            "prefetch", "extension"})
AUTHORIZATION_FIELDS = ("access_token", "token_type", "expires_in", "scope", "subject")
#: patient-view's ``userId`` "Must be in the format [ResourceType]/[id]" (docs/hooks/
#: patient-view.md of cds-hooks/docs).
_RESOURCE_TYPE = re.compile(r"[A-Z][A-Za-z]{1,63}")
_UUID = re.compile(r"[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}")


class MissingIntake(Exception):
    """The client did not prefetch the intake: CDS Hooks' 412, which the route answers."""


def is_text(value: object) -> TypeGuard[str]:
    """A non-empty string (CDS Hooks forbids empty ones)."""
    return isinstance(value, str) and value != ""


#: The types CDS Hooks 2.0 gives the fields of ``fhirAuthorization``.
AUTHORIZATION_TYPES: dict[str, tuple[Callable[[object], bool], str]] = {
    "access_token": (is_text, "a non-empty string"),
    "token_type": (lambda value: value == "Bearer", "Bearer"),
    "expires_in": (lambda value: type(value) is int, "an integer (seconds)"),
    "scope": (is_text, "a non-empty string"),
    "subject": (is_text, "a non-empty string"),
}


def read_service_request(body: object) -> tuple[list[tuple[Intake, Profile]], str]:
    """The intakes of a patient-view call's ``prefetch.intake`` that could be the patient's
    newest (``intake.newest``), each with its validated profile; none when the prefetch holds no
    finished intake. And the id of the patient in context."""
    if not isinstance(body, dict):
        raise InvalidInput({"_schema": ["A CDS Hooks request is a JSON object."]})
    problems = Problems()
    for key in sorted(body.keys() - REQUEST_FIELDS):
        problems.add(key, "Not a field of a CDS Hooks request.")
    problems.check(body.get("hook") == HOOK, "hook", f"This service answers the {HOOK} hook.")
    problems.check(_is_uuid(body.get("hookInstance")), "hookInstance", "Must be a UUID.")
    context = body.get("context")
    if isinstance(context, dict):
        problems.check(_is_user(context.get("userId")), "context.userId",
                       "Required: the current user as <resource type>/<FHIR id>.")
        problems.check(_is_id(context.get("patientId")), "context.patientId",
                       "Required: a FHIR id.")
        problems.check(_is_id(context.get("encounterId", "-")), "context.encounterId",
                       "A FHIR id, when given.")
    else:
        problems.add("context", f"Required: the {HOOK} context (userId, patientId).")
    _check_fhir_access(body, problems)
    for key in ("prefetch", "extension"):
        problems.check(isinstance(body.get(key, {}), dict), key, "Must be an object.")
    problems.raise_any("The CDS Hooks request is malformed; see errors.")
    patient_id: str = body["context"]["patientId"]  # checked above: a FHIR id
    return [(intake, _profile(intake.resource, patient_id, intake.path))
            for intake in _intakes(body.get("prefetch") or {})], patient_id


def _is_id(value: object) -> bool:
    """A FHIR id: what the cards' ServiceRequests put after ``Patient/``."""
    return isinstance(value, str) and fhir_elements.is_id(value)


def _is_user(value: object) -> bool:
    """``<resource type>/<id>``, as patient-view defines ``userId``."""
    kind, _, id_ = value.partition("/") if isinstance(value, str) else ("", "", "")
    return _RESOURCE_TYPE.fullmatch(kind) is not None and _is_id(id_)


def _is_uuid(value: object) -> bool:
    """A UUID in its canonical text form (RFC 4122), as JSON Schema's ``uuid`` format says."""
    return isinstance(value, str) and _UUID.fullmatch(value) is not None


def _check_fhir_access(body: JSONObject, problems: Problems) -> None:
    server = body.get("fhirServer")
    absolute = is_text(server) and server.startswith(("https://", "http://"))
    problems.check(server is None or absolute, "fhirServer",
                   "Must be the absolute URL of the FHIR server.")
    if "fhirAuthorization" not in body:
        return
    authorization = body["fhirAuthorization"]
    problems.check(server is not None, "fhirServer", "Required when fhirAuthorization is sent.")
    if not isinstance(authorization, dict):
        problems.add("fhirAuthorization", "Must be an object.")
        return
    missing = [key for key in AUTHORIZATION_FIELDS if key not in authorization]
    problems.check(not missing, "fhirAuthorization", f"Lacks {', '.join(missing)}.")
    for key, (ok, what) in AUTHORIZATION_TYPES.items():
        if key in authorization:
            problems.check(ok(authorization[key]), f"fhirAuthorization.{key}", f"Must be {what}.")


def _intakes(prefetch: JSONObject) -> list[Intake]:
    """The intakes ``prefetch.intake`` holds that could be the newest: none for ``null`` (the
    client has no data) or a Bundle without a finished QuestionnaireResponse; the 412 when the
    key is missing or the client's prefetch failed (an OperationOutcome)."""
    value = prefetch.get(PREFETCH_KEY)
    failed = isinstance(value, dict) and value.get("resourceType") == "OperationOutcome"
    if PREFETCH_KEY not in prefetch or failed:
        raise MissingIntake(
            f"No intake: prefetch.{PREFETCH_KEY} must hold the patient's QuestionnaireResponse "
            "to the intake Questionnaire (see GET /cds-services), or null when there is none. "
            "This service does not fetch data from the FHIR server itself."
        )
    if value is None:
        return []
    kind = value.get("resourceType") if isinstance(value, dict) else None
    if kind == "Bundle":
        return newest(_responses(value))
    if kind != "QuestionnaireResponse":
        raise InvalidInput({f"prefetch.{PREFETCH_KEY}": [
            "Must be the intake QuestionnaireResponse, a search Bundle of them, or null."]})
    return [dated(f"prefetch.{PREFETCH_KEY}", value)]  # read as the intake, finished or a 400


def _responses(bundle: JSONObject) -> list[tuple[str, JSONObject]]:
    """The QuestionnaireResponses of a search Bundle with their paths; a malformed one is a 400."""
    entries = bundle.get("entry", [])
    malformed = not isinstance(entries, list) or any(
        not isinstance(entry, dict) or not isinstance(entry.get("resource", {}), dict)
        for entry in entries
    )
    if malformed:
        raise InvalidInput({f"prefetch.{PREFETCH_KEY}.entry": [
            "Must be an array of entries, each an object whose resource is an object."
        ]})
    return [(f"prefetch.{PREFETCH_KEY}.entry.{index}.resource", entry["resource"])
            for index, entry in enumerate(entries)
            if entry.get("resource", {}).get("resourceType") == "QuestionnaireResponse"]


def _profile(resource: JSONObject, patient_id: str, prefix: str) -> Profile:
    """The intake's profile, validated as a JSON profile is; its errors under ``prefix``."""
    try:
        profile = load_profile(profile_from_response(resource))
    except InvalidInput as error:
        problems = error.problems.renamed(
            lambda key: prefix if key == "_schema" else f"{prefix}.{key}")
        raise InvalidInput(problems, "The intake QuestionnaireResponse is invalid; see errors.") \
            from None
    reference = (resource.get("subject") or {}).get("reference")
    if isinstance(reference, str) and not (
        reference == f"Patient/{patient_id}" or reference.endswith(f"/Patient/{patient_id}")
    ):
        raise InvalidInput({f"{prefix}.subject": ["Is not the patient in context.patientId."]})
    return profile
