"""Reading a CDS Hooks 2.0 service request as the specification defines it for ``patient-view``,
each problem named in a 400's ``errors`` by its path (``context.patientId``).

The intake comes only from ``prefetch``. The service never calls the client's FHIR server (it
keeps no credentials and makes no outbound requests; ``fhirServer`` and ``fhirAuthorization`` are
checked for shape, then ignored). So when the intake is missing, the answer is the 412 the
specification prescribes for "unable to retrieve the necessary FHIR data": the key left out (the
client chose not to, or failed to, prefetch), ``null`` (no data), an ``OperationOutcome`` (a
failed prefetch), or a search Bundle without a QuestionnaireResponse.
"""

import re

from werkzeug.exceptions import PreconditionFailed

from service.http.problems import InvalidRequest, Problems
from service.http.questionnaire_response import profile_from_response
from service.http.schemas import load_profile

HOOK = "patient-view"
PREFETCH_KEY = "intake"
REQUEST_FIELDS = frozenset({"hook", "hookInstance", "fhirServer", "fhirAuthorization", "context",
                            "prefetch", "extension"})
AUTHORIZATION_FIELDS = ("access_token", "token_type", "expires_in", "scope", "subject")
_UUID = re.compile(r"[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}")


def is_text(value) -> bool:
    """A non-empty string (CDS Hooks forbids empty ones)."""
    return isinstance(value, str) and value != ""


#: The types CDS Hooks 2.0 gives the fields of ``fhirAuthorization``.
AUTHORIZATION_TYPES = {
    "access_token": (is_text, "a non-empty string"),
    "token_type": (lambda value: value == "Bearer", "Bearer"),
    "expires_in": (lambda value: type(value) is int, "an integer (seconds)"),
    "scope": (is_text, "a non-empty string"),
    "subject": (is_text, "a non-empty string"),
}


def read_service_request(body: object) -> tuple[dict, str]:
    """The validated profile a patient-view call carries in ``prefetch.intake``, and the id of
    the patient in context."""
    if not isinstance(body, dict):
        raise InvalidRequest({"_schema": ["A CDS Hooks request is a JSON object."]})
    problems = Problems()
    for key in sorted(body.keys() - REQUEST_FIELDS):
        problems.add(key, "Not a field of a CDS Hooks request.")
    problems.check(body.get("hook") == HOOK, "hook", f"This service answers the {HOOK} hook.")
    problems.check(_is_uuid(body.get("hookInstance")), "hookInstance", "Must be a UUID.")
    context = body.get("context")
    if isinstance(context, dict):
        for key in ("userId", "patientId"):
            problems.check(is_text(context.get(key)), f"context.{key}", "Required: a FHIR id.")
        problems.check(is_text(context.get("encounterId", "-")), "context.encounterId",
                       "A FHIR id, when given.")
    else:
        problems.add("context", f"Required: the {HOOK} context (userId, patientId).")
    _check_fhir_access(body, problems)
    for key in ("prefetch", "extension"):
        problems.check(isinstance(body.get(key, {}), dict), key, "Must be an object.")
    problems.raise_any("The CDS Hooks request is malformed; see errors.")
    resource = _intake((body.get("prefetch") or {}).get(PREFETCH_KEY))
    return _profile(resource, context["patientId"]), context["patientId"]


def _is_uuid(value) -> bool:
    """A UUID in its canonical text form (RFC 4122), as JSON Schema's ``uuid`` format says."""
    return isinstance(value, str) and _UUID.fullmatch(value) is not None


def _check_fhir_access(body: dict, problems: Problems) -> None:
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


def _intake(value: object) -> object:
    """The QuestionnaireResponse of the intake prefetch, or the 412 that says it is missing."""
    if isinstance(value, dict) and value.get("resourceType") == "Bundle":
        value = _latest_response(value)
    missing = value is None or (
        isinstance(value, dict) and value.get("resourceType") == "OperationOutcome"
    )
    if missing:
        raise PreconditionFailed(
            f"No intake: prefetch.{PREFETCH_KEY} must hold the patient's QuestionnaireResponse "
            "to the intake Questionnaire (see GET /cds-services). This service does not fetch "
            "data from the FHIR server itself."
        )
    return value


def _latest_response(bundle: dict) -> dict | None:
    """The first QuestionnaireResponse of a search Bundle (the template sorts by ``-authored``
    and asks for one, so it is the latest); a malformed Bundle is a 400."""
    entries = bundle.get("entry", [])
    malformed = not isinstance(entries, list) or any(
        not isinstance(entry, dict) or not isinstance(entry.get("resource", {}), dict)
        for entry in entries
    )
    if malformed:
        raise InvalidRequest({f"prefetch.{PREFETCH_KEY}.entry": [
            "Must be an array of entries, each an object whose resource is an object."
        ]})
    resources = (entry.get("resource", {}) for entry in entries)
    return next((r for r in resources if r.get("resourceType") == "QuestionnaireResponse"), None)


def _profile(resource: object, patient_id: str) -> dict:
    """The intake's profile, validated as a JSON profile is; errors under ``prefetch.intake``."""
    prefix = f"prefetch.{PREFETCH_KEY}"
    try:
        profile = load_profile(profile_from_response(resource))
    except InvalidRequest as error:
        problems = error.problems.renamed(
            lambda key: prefix if key == "_schema" else f"{prefix}.{key}")
        raise InvalidRequest(problems, "The intake QuestionnaireResponse is invalid; see errors.") \
            from None
    reference = (resource.get("subject") or {}).get("reference")
    if isinstance(reference, str) and not (
        reference == f"Patient/{patient_id}" or reference.endswith(f"/Patient/{patient_id}")
    ):
        raise InvalidRequest({f"{prefix}.subject": ["Is not the patient in context.patientId."]})
    return profile
