"""Reading the request body: bounded before it is read, strict when it is parsed.

The checks run cheapest first: a declared ``Content-Length`` over the limit is refused unread,
a wrong content type or a content coding (a compressed body) before any byte is read, a chunked
body stops being read one byte past the limit; a body cut off before its ``Content-Length``, or
whose chunked framing the server cannot decode, is a 400. The JSON parser then refuses what
Python's ``json`` would quietly accept: ``NaN`` and ``Infinity``, repeated keys (which value
would win?) and bytes that are not UTF-8.
"""

import json
from typing import TYPE_CHECKING, Any, NoReturn

from flask import current_app, request
from werkzeug.exceptions import (
    BadRequest,
    HTTPException,
    RequestEntityTooLarge,
    UnsupportedMediaType,
)

from service.contract.problems import InvalidInput

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIEnvironment

_CHUNK = 16 * 1024
JSON = "application/json"


class _DuplicateKey(ValueError):
    def __init__(self, key: str):
        super().__init__(key)
        self.key = key


class _NonFinite(ValueError):
    pass


def read_json_body(mimetypes: tuple[str, ...] = (JSON,)) -> object:
    """The parsed JSON body of the current request, or the HTTP error that refuses it.

    ``mimetypes`` are the JSON media types the route takes (``application/fhir+json`` too for
    a FHIR resource): the limit and the strict parser are the same for each.
    """
    return parse_json(read_json_bytes(mimetypes))


def read_json_bytes(mimetypes: tuple[str, ...] = (JSON,)) -> bytes:
    """The body of the current request as sent, once its size and content type are accepted
    (one of ``mimetypes``, in UTF-8), for :func:`parse_json`; or the HTTP error that refuses it.
    """
    limit = current_app.config["MAX_BODY_BYTES"]
    if request.content_length is not None and request.content_length > limit:
        raise _too_large(limit)
    if _no_body_at_all():
        raise InvalidInput({"_schema": ["Required: a JSON body."]}, "The request has no body.")
    _require_json_content_type(mimetypes)
    _require_no_content_coding()
    return _read_bounded(limit)


def _no_body_at_all() -> bool:
    """No body and no content type: a missing body (400), not one of the wrong type (415)."""
    return (not request.content_length and "Transfer-Encoding" not in request.headers
            and "Content-Type" not in request.headers)


def _too_large(limit: int) -> RequestEntityTooLarge:
    return RequestEntityTooLarge(f"The request body must be at most {limit} bytes.")


def _require_json_content_type(mimetypes: tuple[str, ...]) -> None:
    charset = request.mimetype_params.get("charset", "utf-8").lower()
    if request.mimetype not in mimetypes or charset != "utf-8":
        raise UnsupportedMediaType(f"Send the body as {' or '.join(mimetypes)}, encoded in UTF-8.")


class UnsupportedContentCoding(UnsupportedMediaType):
    """A ``415`` for a compressed body, saying which coding would do (RFC 9110, 15.5.16)."""

    description = "Send the body uncompressed: this service decodes no Content-Encoding."

    def get_headers(self, environ: "WSGIEnvironment | None" = None,
                    scope: dict[str, Any] | None = None) -> list[tuple[str, str]]:
        return [*super().get_headers(environ, scope), ("Accept-Encoding", "identity")]


def _require_no_content_coding() -> None:
    """A body with a ``Content-Encoding`` (gzip...) is refused, never parsed as if it were plain
    JSON; ``identity`` is no coding at all."""
    codings = request.headers.get("Content-Encoding", "").split(",")
    if any(coding.strip().lower() not in ("", "identity") for coding in codings):
        raise UnsupportedContentCoding()


def _read_bounded(limit: int) -> bytes:
    """Read at most ``limit + 1`` bytes: one more than allowed is enough to refuse the body."""
    # Werkzeug's own guard refuses any read attempt once its maximum is reached, which would
    # refuse a chunked body of exactly ``limit`` bytes; with ``limit + 1`` this loop decides.
    request.max_content_length = limit + 1
    chunks: list[bytes] = []
    size = 0
    while size <= limit:
        chunk = _read_some(min(_CHUNK, limit + 1 - size))
        if not chunk:
            _require_declared_length(size)
            return b"".join(chunks)
        chunks.append(chunk)
        size += len(chunk)
    raise _too_large(limit)


def _read_some(size: int) -> bytes:
    """Up to ``size`` bytes of the body; a body the server cannot decode is the client's 400."""
    try:
        return request.stream.read(size)
    except HTTPException:
        raise
    except Exception:  # e.g. gunicorn's InvalidChunkSize: bad chunked framing from the client
        raise BadRequest("The request body could not be read: its framing is malformed.") from None


def _require_declared_length(size: int) -> None:
    """A body that ends before its ``Content-Length`` was cut off: never answer a part of it."""
    # Under gunicorn (wsgi.input_terminated) Werkzeug reads to the end of the stream and does
    # not compare it with the declared length, so a client that closes early would be answered.
    if request.content_length is not None and size < request.content_length:
        raise BadRequest("The request body ended before its declared Content-Length.")


def parse_json(raw: bytes) -> object:
    """Parse ``raw`` as strict JSON; any way it fails is a 400, never a 500."""
    try:
        return json.loads(
            raw.decode("utf-8"),
            parse_constant=_refuse_constant,
            object_pairs_hook=_object_without_duplicates,
        )
    except UnicodeDecodeError:
        raise BadRequest("The request body is not valid UTF-8.") from None
    except _DuplicateKey as error:
        raise InvalidInput(
            {error.key: ["Appears more than once in the same object."]},
            "The request body repeats a key in one object.",
        ) from None
    except _NonFinite:
        raise BadRequest("NaN and Infinity are not JSON numbers.") from None
    except RecursionError:
        raise BadRequest("The request body is nested too deeply.") from None
    except json.JSONDecodeError as error:
        raise BadRequest(
            f"The request body is not valid JSON: {error.msg} "
            f"(line {error.lineno}, column {error.colno})."
        ) from None
    except ValueError:  # e.g. an integer literal over Python's digit limit
        raise BadRequest("The request body holds a number this service cannot read.") from None


def _refuse_constant(name: str) -> NoReturn:
    raise _NonFinite(name)


def _object_without_duplicates(pairs: list[tuple[str, object]]) -> dict[str, object]:
    obj = dict(pairs)  # in C: a Python loop per object made 16,000 empty objects cost 8 ms
    if len(obj) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateKey(key)
            seen.add(key)
    return obj
