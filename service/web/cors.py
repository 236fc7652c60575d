"""CORS for an allow-list of exact origins (``CORS_ALLOWED_ORIGINS``), and for no one else.

Off by default: with no origins configured, no response carries a CORS header. Either way
``OPTIONS`` on a path an entry point opened to browsers (``allow_preflight``: ``/v1/advice`` and
the CDS Hooks paths) answers ``204`` with ``Allow: OPTIONS, <method>`` (RFC 9110: what the
resource takes), before any API key or CDS client token is asked for, since browsers send none
on a preflight. When CORS is on:

* a request whose ``Origin`` is on the list gets ``Access-Control-Allow-Origin: <that origin>``
  (never ``*``, and never for ``Origin: null``) and may read ``X-Request-ID``;
* the preflight from such an origin also gets the allowed method, headers and how long the
  browser may cache that answer;
* any other origin gets no CORS header, not on its preflight either, so its browser blocks the
  call: the service tells a stranger nothing it would not tell curl;
* every response says ``Vary: Origin``, since whether it carries CORS headers depends on it.

No cookies are used, so credentials are never allowed (no ``Access-Control-Allow-Credentials``).

Hand-written, not flask-cors (6.0, tried against tests/security/test_cors.py): flask-cors adds
``Vary: Origin`` only when the origin is allowed, so a shared cache could hand a stranger's
answer, without CORS headers, to an allowed origin
(``test_any_other_origin_gets_no_cors_header_not_even_on_its_preflight``); it answers a
preflight with Flask's automatic ``200`` and every method, after the request hooks, so the
API key check would refuse it
(``test_the_preflight_needs_no_api_key_but_the_request_after_it_does``,
``test_the_preflight_of_an_allowed_origin_answers_204_with_method_headers_and_max_age``).
"""

from flask import Flask, Response, current_app, request

from service.web import wiring

ALLOWED_HEADERS = "Content-Type, Authorization, X-API-Key, X-Request-ID"
EXPOSED_HEADERS = "X-Request-ID"
#: Seconds a browser may reuse a preflight answer (browsers cap it at 2 h or less anyway).
MAX_AGE_S = 600


def _allowed_origin() -> str | None:
    """The request's ``Origin`` if it is on the allow-list, else None."""
    origin = request.headers.get("Origin", "")
    allowed = current_app.config.get("CORS_ALLOWED_ORIGINS") or ()
    return origin if origin and origin != "null" and origin in allowed else None


class Preflights(dict[str, str]):
    """``{URL rule: method}`` of the routes an app lets browsers preflight."""


def allow_preflight(app: Flask, rule: str, method: str) -> None:
    """Let browsers preflight the route ``rule`` (``/cds-services/<service_id>``), which takes
    ``method``; the route must list ``OPTIONS`` among its methods, so Flask matches it."""
    wiring.of(app, Preflights)[rule] = method


def preflights(app: Flask) -> dict[str, str]:
    """``{URL rule: method}`` of the routes ``app`` lets browsers preflight."""
    return dict(wiring.of(app, Preflights))


def answer_preflight() -> Response | None:
    """The 204 answer to ``OPTIONS`` on a route a browser preflights; None for anything else."""
    if request.method != "OPTIONS" or request.url_rule is None:
        return None
    method = wiring.get(Preflights).get(request.url_rule.rule)
    if method is None:
        return None
    response = current_app.response_class(status=204)
    response.headers["Allow"] = f"OPTIONS, {method}"
    if _allowed_origin() is not None:
        response.headers["Access-Control-Allow-Methods"] = method
        response.headers["Access-Control-Allow-Headers"] = ALLOWED_HEADERS
        response.headers["Access-Control-Max-Age"] = str(MAX_AGE_S)
    return response


def add_cors_headers(response: Response) -> Response:
    """``Vary: Origin`` when CORS is on; the allow headers when the origin is on the list."""
    if not current_app.config.get("CORS_ALLOWED_ORIGINS"):
        return response
    response.vary.add("Origin")
    origin = _allowed_origin()
    if origin is not None:
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
    return response


def register(app: Flask) -> None:
    """Answer preflights before anything else looks at the request; mark every response."""
    wiring.provide(app, Preflights, Preflights())
    app.before_request(answer_preflight)
    app.after_request(add_cors_headers)
