"""Check an HTTP response against openapi.yaml with openapi-core.

``assert_matches_spec(response)`` validates the RESPONSE only (status, headers, body) against the
operation the request addressed; the request itself is never validated, since sending bad
requests is the point of many tests.

Two kinds of request address no described operation. The spec describes their answers once, as
reusable responses, and they are checked against exactly those:

* a path the spec does not describe must answer ``components/responses/NotFound``;
* a described path called with a method it does not describe must answer
  ``components/responses/MethodNotAllowed``.

openapi-core validates responses per operation, so the in-memory copy of the spec used for
checking gets two synthetic paths whose every method answers only that 404 or only that 405
(by ``$ref``, so the served spec's own definition is what is checked). They never leave this
module. ``HEAD`` is checked against the ``GET`` operation of its path, except that its body must
be empty.
"""

from __future__ import annotations

import copy
import functools
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from flask.testing import FlaskClient
from jsonschema.exceptions import ValidationError as SchemaValidationError
from openapi_core import Config, OpenAPI
from openapi_core.datatypes import RequestParameters
from openapi_core.validation.response.exceptions import MissingData
from werkzeug.datastructures import Headers

SPEC_PATH = Path(__file__).resolve().parents[2] / "openapi.yaml"

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
#: Synthetic paths of the checking copy of the spec (see the module docstring).
UNDESCRIBED_PATH = "/__openapi_check__/undescribed-path"
UNDESCRIBED_METHOD = "/__openapi_check__/undescribed-method"
_BASE_URL = "http://localhost"
_MAX_MESSAGE = 400


_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's: ten times faster


@functools.cache
def load_spec() -> dict:
    """openapi.yaml as a dict, read once."""
    with SPEC_PATH.open(encoding="utf-8") as spec_file:
        return yaml.load(spec_file, Loader=_SAFE_LOADER)  # noqa: S506  (a safe loader)


def _json_loads(value: bytes, **_parameters: str) -> Any:
    return json.loads(value)


def _yaml_loads(value: bytes, **_parameters: str) -> Any:
    return yaml.load(value, Loader=_SAFE_LOADER)  # noqa: S506  (a safe loader)


@functools.cache
def checking_openapi() -> OpenAPI:
    """The openapi-core object of the checking copy of the spec, built once."""
    spec = copy.deepcopy(load_spec())
    for synthetic_path, status, response in (
        (UNDESCRIBED_PATH, "404", "NotFound"),
        (UNDESCRIBED_METHOD, "405", "MethodNotAllowed"),
    ):
        spec["paths"][synthetic_path] = {
            method: {"responses": {status: {"$ref": f"#/components/responses/{response}"}}}
            for method in HTTP_METHODS
        }
    config = Config(
        extra_media_type_deserializers={
            # openapi-core reads unknown media types as bytes; these are JSON or YAML.
            "application/problem+json": _json_loads,
            "application/fhir+json": _json_loads,  # FHIR resources (service/fhir, service/cds)
            "application/yaml": _yaml_loads,
        }
    )
    return OpenAPI.from_dict(spec, config=config)


@functools.cache
def _path_patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    patterns = []
    for template in load_spec()["paths"]:
        parts = re.split(r"(\{[^}/]+\})", template)
        regex = "".join("[^/]+" if part.startswith("{") else re.escape(part) for part in parts)
        patterns.append((re.compile(f"^{regex}$"), template))
    return tuple(patterns)


def described_path(path: str) -> str | None:
    """The spec's path template that ``path`` matches, or None."""
    for pattern, template in _path_patterns():
        if pattern.match(path):
            return template
    return None


def described_methods(template: str) -> set[str]:
    """The lower-case methods the spec describes for a path template."""
    return {key for key in load_spec()["paths"][template] if key in HTTP_METHODS}


@dataclass
class _Request:
    """The part of a request openapi-core needs to find the operation."""

    method: str
    path: str
    host_url: str = _BASE_URL
    body: bytes | None = None
    content_type: str = "application/octet-stream"
    parameters: RequestParameters = field(default_factory=RequestParameters)


@dataclass
class _Response:
    status_code: int
    content_type: str
    headers: Headers
    data: bytes


def _target(method: str, path: str) -> tuple[str, str, str]:
    """(method, path) to validate against, and how to describe that to a human."""
    template = described_path(path)
    if template is None:
        return method, UNDESCRIBED_PATH, "an undescribed path: components/responses/NotFound"
    methods = described_methods(template)
    if method in methods:
        return method, path, f"operation {method.upper()} {template}"
    if method == "head" and "get" in methods:
        return "get", path, f"operation GET {template} (for HEAD)"
    return (
        method,
        UNDESCRIBED_METHOD,
        f"an undescribed method of {template}: components/responses/MethodNotAllowed",
    )


def _shorten(text: str) -> str:
    """At most about _MAX_MESSAGE characters; keep the end, where jsonschema says what is wrong."""
    if len(text) <= _MAX_MESSAGE:
        return text
    return f"{text[: _MAX_MESSAGE // 2]} ... {text[-_MAX_MESSAGE // 2 :]}"


def _schema_error_lines(error: SchemaValidationError, indent: str) -> list[str]:
    lines = [f"{indent}at {error.json_path}: {_shorten(error.message)}"]
    # oneOf/anyOf failures: say why each alternative failed.
    for sub_error in sorted(error.context or (), key=lambda e: e.json_path)[:6]:
        lines.extend(_schema_error_lines(sub_error, indent + "    "))
    return lines


def _describe(error: Exception) -> list[str]:
    cause = error.__cause__
    schema_errors = getattr(cause, "schema_errors", None)
    if schema_errors:
        header = getattr(error, "name", None)
        what = f"header {header}" if header else "the body"
        lines = [f"  - {type(error).__name__}: {what} does not match its schema"]
        for schema_error in schema_errors:
            lines.extend(_schema_error_lines(schema_error, "      "))
        return lines
    message = str(cause) if cause is not None else str(error)
    return [f"  - {type(error).__name__}: {_shorten(message)}"]


def response_errors(method: str, path: str, response: Any) -> tuple[str, list[str]]:
    """What the response was checked against, and the readable errors (empty when it matches)."""
    method = method.lower()
    target_method, target_path, described_as = _target(method, path)
    data = response.get_data()
    errors: list[str] = []
    if method == "head" and data:
        errors.append(f"  - a HEAD response has a body of {len(data)} bytes")
    checked = _Response(
        status_code=response.status_code,
        content_type=(response.content_type or "").lower(),
        headers=Headers(response.headers),
        data=data,
    )
    request = _Request(method=target_method, path=target_path)
    for error in checking_openapi().iter_response_errors(request, checked):
        if method == "head" and isinstance(error, MissingData):
            continue  # HEAD answers have no body by definition
        errors.extend(_describe(error))
    return described_as, errors


def assert_matches_spec(response: Any, method: str | None = None, path: str | None = None) -> None:
    """Raise AssertionError, saying what differs, unless ``response`` is what the spec describes.

    ``response`` is a Flask/werkzeug response; ``method`` and ``path`` default to those of the
    request a test client recorded on it (``response.request``).
    """
    if method is None or path is None:
        request = response.request
        method = method or request.method
        path = path or request.path
    described_as, errors = response_errors(method, path, response)
    if errors:
        body = response.get_data(as_text=True)
        raise AssertionError(
            f"{method.upper()} {path} answered {response.status} ({response.content_type}), "
            f"which does not match {described_as} in openapi.yaml:\n"
            + "\n".join(errors)
            + f"\n  body: {_shorten(body)}"
        )


class ConformanceClient(FlaskClient):
    """A Flask test client that checks every response against openapi.yaml.

    Every API test doubles as a conformance test: a response the spec does not describe fails
    the test that received it, with a message naming the field and value that differ.
    Redirects followed on the way are checked too.
    """

    def open(self, *args, **kwargs):
        response = super().open(*args, **kwargs)
        for earlier in getattr(response, "history", ()) or ():
            assert_matches_spec(earlier)
        assert_matches_spec(response)
        return response

