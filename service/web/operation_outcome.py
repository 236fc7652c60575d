"""A problem document rendered as the FHIR R4 ``OperationOutcome`` a FHIR client reads.

A FHIR client expects the errors of a FHIR server as an OperationOutcome, not as RFC 9457's
problem+json, so every error of ``/v1/fhir`` and the paths under it is rendered here
(problems.py calls this with the problem document it made, so both shapes come from one
source): the same HTTP status and headers, one ``error`` issue whose diagnostics are the
problem's detail, and one more per field message of a 400. Errors of ``POST /v1/advice`` stay
problem documents, whatever its body (a QuestionnaireResponse included): that is its documented
contract.
"""

from flask import request

from service.contract.documents import JSONObject

FHIR_JSON = "application/fhir+json"
FHIR_BASE = "/v1/fhir"
#: The issue type (R4 value set issue-type) of each status; any other is ``processing``.
ISSUE_CODES = {
    400: "invalid", 401: "login", 403: "forbidden", 404: "not-found", 405: "not-supported",
    406: "not-supported", 413: "too-costly", 415: "not-supported", 429: "throttled",
    500: "exception", 503: "transient",
}


def wanted() -> bool:
    """Whether the request's errors are rendered as an OperationOutcome: those of the FHIR base
    and of every path under it."""
    return request.path == FHIR_BASE or request.path.startswith(f"{FHIR_BASE}/")


def operation_outcome(problem: JSONObject) -> JSONObject:
    """The OperationOutcome of a problem document (``status``, ``detail``, maybe ``errors``)."""
    code = ISSUE_CODES.get(problem["status"], "processing")
    issues = [{"severity": "error", "code": code, "diagnostics": problem["detail"]}]
    for field, messages in problem.get("errors", {}).items():
        issues += [{"severity": "error", "code": code, "diagnostics": f"{field}: {message}"}
                   for message in messages if message != problem["detail"]]
    return {"resourceType": "OperationOutcome", "issue": issues}
