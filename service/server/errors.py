"""The answers gunicorn writes itself, before the application sees a request."""

import contextlib
import json
import socket
from http import HTTPStatus

from gunicorn import util

from service.web.security_headers import DEFAULT_CSP, SECURITY_HEADERS


def write_problem(sock: socket.socket, status_int: int, reason: str, mesg: str) -> None:
    """gunicorn's own error answer as a problem document with the security headers.

    Replaces ``gunicorn.util.write_error``, whose HTML page has none of the headers and quotes
    the request line back. ``mesg`` (gunicorn's description, which may quote the request) is
    left out. The reason phrase is the status's own: gunicorn passes "Bad Request" with its
    ``501`` for an unknown transfer coding.
    """
    with contextlib.suppress(ValueError):  # a status the standard library does not name
        reason = HTTPStatus(status_int).phrase
    body = json.dumps({"type": "about:blank", "title": reason, "status": status_int,
                       "detail": f"{reason}: the server could not read the request."}).encode()
    headers = {"Connection": "close", "Content-Type": "application/problem+json",
               "Content-Length": str(len(body)), **SECURITY_HEADERS,
               "Content-Security-Policy": DEFAULT_CSP}
    head = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
    util.write_nonblock(sock, f"HTTP/1.1 {status_int} {reason}\r\n{head}\r\n".encode("latin-1")
                        + body)
