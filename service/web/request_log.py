"""Per-request bookkeeping: a request id, the security headers, metrics and one log line.

The log line is one JSON object on stdout (logger ``service.access``, see service/web/logs.py) that
says which request it was and how it went, never what it carried: bodies, values and
credentials are health data or secrets. Its keys: ``time`` (UTC), ``request_id``, ``method``,
``route`` (the URL rule, never the raw path, so nothing sent in a URL reaches the log; null when
no rule matched), ``status``, ``duration_ms``, ``urgency`` when the request got advice, and
``worker`` (the pid of the gunicorn worker that answered). It replaces gunicorn's access log,
which gunicorn.conf.py turns off. The same route, status and duration feed the request metrics.
"""

import json
import logging
import os
import re
import time
import uuid
from datetime import datetime, timezone
from typing import cast

from flask import Flask, Response, current_app, g, request
from werkzeug.exceptions import HTTPException, MethodNotAllowed
from werkzeug.routing import MapAdapter

from service.web import metrics
from service.web.logs import ACCESS_LOGGER
from service.web.security_headers import DEFAULT_CSP, SECURITY_HEADERS

REQUEST_ID_HEADER = "X-Request-ID"
#: A client's request id is echoed only if it is a short, plain token (no log injection).
_TOKEN = re.compile(r"[A-Za-z0-9._-]{1,64}")
log = logging.getLogger(__name__)
access_log = logging.getLogger(ACCESS_LOGGER)


def request_id() -> str:
    """The id of the current request: the client's, if it is a token, else a fresh one."""
    if "request_id" not in g:
        offered = request.headers.get(REQUEST_ID_HEADER, "")
        g.request_id = offered if _TOKEN.fullmatch(offered) else uuid.uuid4().hex
    current: str = g.request_id
    return current


def start_clock() -> None:
    """Note when the request began, for the duration in its log line."""
    g.started = time.perf_counter()


def finish_request(response: Response) -> Response:
    """Set the headers every response carries, count the request, then log its one line."""
    response.headers.update(SECURITY_HEADERS)
    response.headers.setdefault("Content-Security-Policy", DEFAULT_CSP)
    response.headers[REQUEST_ID_HEADER] = request_id()
    elapsed_s = time.perf_counter() - g.get("started", time.perf_counter())
    route = matched_route()
    metrics.observe_request(route, response.status_code, elapsed_s)
    if access_log.isEnabledFor(logging.INFO):
        access_log.info(access_line(route, response.status_code, elapsed_s, g.get("urgency")))
    return response


def access_line(route: str | None, status: int, elapsed_s: float,
                urgency: str | None = None) -> str:
    """The request's JSON log line: ids, route, status and timing; the urgency if advised."""
    entry = {
        "time": datetime.now(timezone.utc).isoformat(timespec="milliseconds"),
        "request_id": request_id(),
        "method": request.method,
        "route": route,
        "status": status,
        "duration_ms": round(elapsed_s * 1000, 1),
    }
    if urgency is not None:
        entry["urgency"] = urgency
    entry["worker"] = os.getpid()
    return json.dumps(entry)


def matched_route() -> str | None:
    """The URL rule the request matched, or for a 405 the rule of its path; None if none."""
    if request.url_rule is not None:
        return request.url_rule.rule
    error = request.routing_exception
    if not isinstance(error, MethodNotAllowed) or not error.valid_methods:
        return None
    # Flask's create_url_adapter answers None only without a request.
    adapter = cast(MapAdapter, current_app.create_url_adapter(request))
    try:  # rare: match the path again with a method it does answer
        rule, _ = adapter.match(method=next(iter(error.valid_methods)), return_rule=True)
    except HTTPException:
        return None
    return rule.rule


def describe_request() -> str:
    """``request_id=... method=... path=...`` for a log line; the path with no control chars."""
    path = "".join(char if char.isprintable() else "?" for char in request.path[:200])
    return f"request_id={request_id()} method={request.method} path={path}"


def register(app: Flask) -> None:
    """Run the bookkeeping around every request of ``app``, matched route or not."""
    app.before_request(start_clock)
    app.after_request(finish_request)
