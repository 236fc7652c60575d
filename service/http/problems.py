"""RFC 9457 problem documents: the one place that writes an error response.

Every error the service answers, from a typo in a field to a crash, leaves as
``application/problem+json`` (on a FHIR path rendered as an OperationOutcome, by
operation_outcome.py) with ``type``, ``title``, ``status`` and ``detail``; a 400 adds
``errors``, ``{field: [message, ...]}``. No response carries a stack trace or an exception's
message, and the crash log names the exception class and frames only, because a message may
quote the symptoms a person sent.

``errors`` is bounded whatever the body (:class:`Problems`): a 64 KiB body of 21,832 bad values
once got a 7.3 MB answer. Each field shows its first problems and a count of the rest, the
document as a whole at most about 4 KiB of them and a count of what was left out.
"""

import logging
import traceback
from http import HTTPStatus

from flask import Flask, Response, current_app
from marshmallow import Schema, fields
from werkzeug.exceptions import BadRequest, HTTPException

from service.http import operation_outcome
from service.http.hooks import describe_request

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


#: Bounds of a problem document's ``errors``: messages shown per field, characters of a field
#: name and of a message (longer ones are cut, with an ellipsis), and characters in all.
MAX_MESSAGES = 5
MAX_NAME = 80
MAX_MESSAGE = 600
BUDGET = 4096
OTHERS = "_schema"  # the body as a whole: also where the count of left-out fields goes


class Problems(dict):
    """``{field or path: [message, ...]}``, collected within bounds from the first problem on,
    so that neither the error answer nor the memory to build it grows with the body.

    What does not fit is counted: a field's last message says how many more it has, and
    ``_schema`` how many problems of other fields were left out, and how much of the body a
    loop did not look at once nothing more could be shown (:attr:`full`, :meth:`unchecked`).
    """

    def __init__(self, errors: dict | None = None):
        super().__init__()
        self._size = 0
        self._more: dict[str, int] = {}
        self._left_out = 0
        self._unchecked: list[str] = []
        for name, messages in (errors or {}).items():
            for message in messages:
                self.add(name, message)

    @property
    def full(self) -> bool:
        """No more fields will be shown: a long loop over the body may stop (see unchecked)."""
        return self._size >= BUDGET

    def add(self, name: str, message: str) -> None:
        name = cut(str(name), MAX_NAME)
        if name not in self:
            if self.full:
                self._left_out += 1
                return
            self._show(name, message)
        elif len(self[name]) < MAX_MESSAGES and not self.full:
            self._show(name, message)
        else:
            self._more[name] = self._more.get(name, 0) + 1

    def unchecked(self, count: int, what: str) -> None:
        """Note that a loop stopped, once full, with ``count`` more ``what`` not looked at."""
        if count:
            self._unchecked.append(f"... and {count:,} more {what}, not checked.")

    def _show(self, name: str, message: str) -> None:
        message = cut(str(message), MAX_MESSAGE)
        self.setdefault(name, []).append(message)
        self._size += len(name) + len(message) + 8  # with the JSON around them

    def check(self, ok: bool, name: str, message: str) -> None:
        if not ok:
            self.add(name, message)

    def raise_any(self, detail: str) -> None:
        if self:
            raise InvalidRequest(self, detail)

    def renamed(self, rename) -> "Problems":
        """The same problems and counts, each field named ``rename(name)``."""
        copy = Problems()
        copy.update({rename(name): messages for name, messages in self.items()})
        copy._size, copy._left_out, copy._unchecked = self._size, self._left_out, self._unchecked
        copy._more = {rename(name): count for name, count in self._more.items()}
        return copy

    def shown(self) -> dict[str, list[str]]:
        """The messages shown, with each field's count of the rest and the count left out."""
        errors = {name: list(messages) for name, messages in self.items()}
        for name, count in self._more.items():
            errors[name].append(f"... and {count:,} more problems with this field.")
        notes = [f"... and {self._left_out:,} more problems with other fields, left out."
                 ] if self._left_out else []
        if notes or self._unchecked:
            errors.setdefault(OTHERS, []).extend(notes + self._unchecked)
        return errors


def cut(text: str, limit: int) -> str:
    """``text``, or its first ``limit - 1`` characters and an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


class InvalidRequest(BadRequest):
    """A 400 that names the offending fields of the request body, within the bounds above."""

    description = "The request body does not match the contract; see errors."

    def __init__(self, errors: dict[str, list[str]], description: str | None = None):
        super().__init__(description)
        self.problems = errors if isinstance(errors, Problems) else Problems(errors)

    @property
    def errors(self) -> dict[str, list[str]]:
        return self.problems.shown()


def problem(status: int, detail: str, errors: dict | None = None, headers=None) -> Response:
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
    response = current_app.json.response(body)
    response.status_code = status
    response.mimetype = mimetype
    response.headers.extend(headers or {})
    return response


def _title(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:  # a status the standard library does not name
        return "Error"


def handle_http_error(error: HTTPException):
    """Any HTTP error, raised by the routes or by Werkzeug's routing (404, 405, 413...)."""
    if error.code is None or error.code < 400:
        return error  # a redirect Werkzeug's routing raises is not a problem
    # The error's own headers, such as a 405's Allow or a 401's WWW-Authenticate; the content
    # type is the problem document's.
    headers = [(name, value) for name, value in error.get_headers() if name != "Content-Type"]
    detail = error.description or _title(error.code)
    return problem(error.code, detail, getattr(error, "errors", None), headers)


def handle_unexpected(error: Exception) -> Response:
    """Anything else is a bug: log where it happened, answer a bare 500."""
    frames = "".join(traceback.format_tb(error.__traceback__)).rstrip()
    log.error("unhandled %s %s\n%s", type(error).__name__, describe_request(), frames)
    return problem(500, "The service failed to answer; the failure has been logged.")


def register(app: Flask) -> None:
    """Route every error of ``app`` to a problem document."""
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(Exception, handle_unexpected)
