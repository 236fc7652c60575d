"""RFC 9457 problem documents: the one place that writes an error response.

Every error the service answers, from a typo in a field to a crash, leaves as
``application/problem+json`` (on a FHIR path rendered as an OperationOutcome, by
operation_outcome.py) with ``type``, ``title``, ``status`` and ``detail``; a 400 adds
``errors``, ``{field: [message, ...]}``. No response carries a stack trace or an exception's
message, and the crash log names the exception class and frames only, because a message may
quote the symptoms a person sent.

``errors`` is bounded whatever the body (service/contract/problems.py, whose
:class:`InvalidInput` every reader raises and :func:`handle_invalid_input` answers).
"""

import logging
import traceback
from collections.abc import Iterable
from http import HTTPStatus

from flask import Flask, Response
from marshmallow import Schema, fields
from werkzeug.exceptions import HTTPException

from service.contract.problems import InvalidInput
from service.web import operation_outcome
from service.web.request_log import describe_request
from service.web.responses import json_response

PROBLEM_MIMETYPE = "application/problem+json"
log = logging.getLogger(__name__)


class ProblemSchema(Schema):
    """The shape of every problem document (RFC 9457 plus the field-level ``errors``)."""

    type = fields.String(required=True)
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String(required=True)
    errors = fields.Dict(keys=fields.String(), values=fields.List(fields.String()))


_PROBLEM = ProblemSchema()


def problem(status: int, detail: str, errors: dict[str, list[str]] | None = None,
            headers: Iterable[tuple[str, str]] | None = None) -> Response:
    """A problem document response for ``status``: an OperationOutcome on a FHIR path."""
    document = {
        "type": "about:blank",  # RFC 9457: the title is then the status's own phrase
        "title": _title(status),
        "status": status,
        "detail": detail,
    }
    if status == 400:  # a 400 always says what is wrong; "_schema" means the body as a whole
        document["errors"] = errors or {"_schema": [detail]}
    if operation_outcome.wanted():
        body, mimetype = operation_outcome.operation_outcome(document), operation_outcome.FHIR_JSON
    else:
        body, mimetype = _PROBLEM.dump(document), PROBLEM_MIMETYPE
    response = json_response(body)
    response.status_code = status
    response.mimetype = mimetype
    response.headers.extend(headers or {})
    return response


def _title(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:  # a status the standard library does not name
        return "Error"


def handle_http_error(error: HTTPException) -> HTTPException | Response:
    """Any HTTP error, raised by the routes or by Werkzeug's routing (404, 405, 413...)."""
    if error.code is None or error.code < 400:
        return error  # a redirect Werkzeug's routing raises is not a problem
    # The error's own headers, such as a 405's Allow or a 401's WWW-Authenticate; the content
    # type is the problem document's.
    headers = [(name, value) for name, value in error.get_headers() if name != "Content-Type"]
    detail = error.description or _title(error.code)
    return problem(error.code, detail, getattr(error, "errors", None), headers)


def handle_invalid_input(error: InvalidInput) -> Response:
    """An input that breaks the contract: a 400 naming each offending field."""
    return problem(400, error.detail, error.errors)


def handle_unexpected(error: Exception) -> Response:
    """Anything else is a bug: log where it happened, answer a bare 500."""
    frames = "".join(traceback.format_tb(error.__traceback__)).rstrip()
    log.error("unhandled %s %s\n%s", type(error).__name__, describe_request(), frames)
    return problem(500, "The service failed to answer; the failure has been logged.")


def register(app: Flask) -> None:
    """Route every error of ``app`` to a problem document."""
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(InvalidInput, handle_invalid_input)
    app.register_error_handler(Exception, handle_unexpected)
