"""FHIR's media type in both directions: answering with a resource, and whether a client asked
for one.
"""

from flask import Response, request
from werkzeug.datastructures import MIMEAccept
from werkzeug.exceptions import NotAcceptable, UnsupportedMediaType
from werkzeug.http import parse_options_header

from service.contract.documents import JSONObject
from service.interop.fhir.questionnaire_response import R4, profile_from_response
from service.web.operation_outcome import FHIR_JSON
from service.web.responses import json_response

__all__ = ["FHIR_JSON", "fhir_response", "profile_from_fhir_body", "require_fhir_json",
           "wants_fhir"]
#: What FHIR's ``_format`` may say for JSON (https://hl7.org/fhir/R4/http.html#mime-type).
JSON_FORMATS = ("json", "application/json", FHIR_JSON)


def fhir_response(resource: JSONObject, status: int = 200) -> Response:
    """A FHIR resource as ``application/fhir+json``."""
    response = json_response(resource)
    response.status_code = status
    response.mimetype = FHIR_JSON
    return response


def require_fhir_json() -> None:
    """The 406 of a client that cannot take this server's FHIR JSON (R4): one whose ``_format``,
    which FHIR lets override ``Accept``, names another format, or whose ``Accept`` takes
    neither JSON nor anything (``application/fhir+xml`` only, or FHIR of another version)."""
    requested = request.args.get("_format")
    if requested is not None:
        mimetype, params = parse_options_header(requested)
        version = {k.lower(): v for k, v in params.items()}.get("fhirversion")
        if mimetype.lower() not in JSON_FORMATS or version not in (None, R4):
            raise NotAcceptable(f"This server answers FHIR R4 in JSON only (_format: "
                                f"{', '.join(JSON_FORMATS)}), not {requested[:60]!r}.")
    elif request.accept_mimetypes and not _takes_json():
        raise NotAcceptable("This server answers FHIR R4 in JSON only: accept "
                            f"{FHIR_JSON} (fhirVersion={R4}) or application/json.")


def _takes_json() -> bool:
    """Whether ``Accept`` takes FHIR R4 JSON or plain JSON (a wildcard included)."""
    return any(quality > 0 and _json_or_wildcard(value) for value, quality in
               request.accept_mimetypes)


def _json_or_wildcard(value: str) -> bool:
    mimetype, params = parse_options_header(value)
    version = {k.lower(): v for k, v in params.items()}.get("fhirversion")
    if mimetype == FHIR_JSON:
        return version in (None, R4)
    return mimetype in ("application/json", "*/*", "application/*")


def wants_fhir() -> bool:
    """Whether the client prefers ``application/fhir+json`` to JSON (``Accept``); with no
    ``Accept``, or ``*/*``, JSON, the default, wins. FHIR clients name the version they want
    (``application/fhir+json; fhirVersion=4.0``); one that accepts FHIR only in another version
    gets a 406, as this service speaks R4 only."""
    accepted, other_versions = [], False
    for value, quality in request.accept_mimetypes:
        mimetype, params = parse_options_header(value)
        version = {k.lower(): v for k, v in params.items()}.get("fhirversion")
        if mimetype == FHIR_JSON and version not in (None, R4):
            other_versions = True
            continue
        accepted.append((mimetype, quality))
    offered = ("application/json", FHIR_JSON)
    best = MIMEAccept(accepted).best_match(offered, default=offered[0])
    if other_versions and not accepted:
        raise NotAcceptable(f"This service answers in FHIR R4 (fhirVersion={R4}) or JSON only.")
    return best == FHIR_JSON


def profile_from_fhir_body(body: object) -> dict[str, object]:
    """The profile of a QuestionnaireResponse body (still to be validated by load_profile).

    A body that declares another FHIR version than R4 is refused as a 415: its elements could
    mean something else.
    """
    declared = {key.lower(): value for key, value in request.mimetype_params.items()}
    version = declared.get("fhirversion")
    if version is not None and version != R4:
        raise UnsupportedMediaType(f"This service reads FHIR R4 (fhirVersion={R4}) only.")
    return profile_from_response(body)
