"""Per-request bookkeeping: a request id, the security headers and one log line per request.

The log line says which request it was and how it went (method, path, status, milliseconds,
request id), never what it carried: bodies, values and credentials are health data or secrets.
"""

import logging
import re
import time
import uuid

from flask import Flask, Response, g, request

REQUEST_ID_HEADER = "X-Request-ID"
#: A client's request id is echoed only if it is a short, plain token (no log injection).
_TOKEN = re.compile(r"[A-Za-z0-9._-]{1,64}")
#: Responses that answer a person's report must not be kept by any cache.
_NO_STORE_PATHS = frozenset({"/v1/advice"})
#: Headers every response carries. The service serves no HTML, so the content security policy
#: allows nothing at all; a future HTML page sets its own (stricter-but-usable) policy, which
#: this default then leaves alone. The others stop MIME sniffing, framing and referrer leaks.
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
DEFAULT_CSP = "default-src 'none'; frame-ancestors 'none'"
log = logging.getLogger(__name__)


def request_id() -> str:
    """The id of the current request: the client's, if it is a token, else a fresh one."""
    if "request_id" not in g:
        offered = request.headers.get(REQUEST_ID_HEADER, "")
        g.request_id = offered if _TOKEN.fullmatch(offered) else uuid.uuid4().hex
    return g.request_id


def start_clock() -> None:
    """Note when the request began, for the duration in its log line."""
    g.started = time.perf_counter()


def finish_request(response: Response) -> Response:
    """Set the headers every response carries, then log the request's one line."""
    response.headers.update(SECURITY_HEADERS)
    response.headers.setdefault("Content-Security-Policy", DEFAULT_CSP)
    if request.path in _NO_STORE_PATHS:
        response.headers["Cache-Control"] = "no-store"
    response.headers[REQUEST_ID_HEADER] = request_id()
    elapsed_ms = (time.perf_counter() - g.get("started", time.perf_counter())) * 1000
    log.info("%s status=%d duration_ms=%.1f", describe_request(), response.status_code, elapsed_ms)
    return response


def describe_request() -> str:
    """``request_id=... method=... path=...`` for a log line; the path with no control chars."""
    path = "".join(char if char.isprintable() else "?" for char in request.path[:200])
    return f"request_id={request_id()} method={request.method} path={path}"


def register(app: Flask) -> None:
    """Run the bookkeeping around every request of ``app``, matched route or not."""
    app.before_request(start_clock)
    app.after_request(finish_request)
