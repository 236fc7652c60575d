"""The gunicorn worker the service runs in: gevent, with deadlines, its own error pages, and a
logger that builds no access line nothing would write.

gunicorn's threaded worker sets no deadline for reading a request, so 16-24 connections
dribbling a body or headers at a byte a second, or a body shorter than its Content-Length, held
every thread and ``/healthz`` stopped answering. Here each connection is a greenlet (a few KiB,
``worker_connections`` of them per worker), so slow clients cost memory, not threads, and:

* a request head must arrive within ``keepalive`` seconds (gunicorn's own deadline for async
  workers), or the connection is closed;
* the application, reading the body included, must be done within :data:`REQUEST_DEADLINE_S`,
  or the request gets a ``408`` problem (a body cut short waits no longer than that);
* a send to a client that does not read fails after :data:`SEND_TIMEOUT_S`, and the connection
  is closed.

The engine stays serialised: an evaluation never yields to another greenlet (it is CPU work in
C and Python), and its lock still guards it. gunicorn writes some answers itself (a malformed
request line, a head over the limits): those leave as problem documents with the service's
security headers, like every answer of the application.

Around the application the worker also keeps each connection's framing honest (``framing``:
a head gunicorn would let through, a body left unread) and keeps a stop signal that reaches a
worker while it boots (``signals``). ``deadlines`` holds the time limits, ``errors`` gunicorn's
error answers, ``logger`` the logger and ``worker`` the worker class that puts them together.
"""

from service.server.deadlines import (
    REQUEST_DEADLINE_S,
    SEND_TIMEOUT_S,
    RequestDeadline,
    with_deadline,
)
from service.server.errors import write_problem
from service.server.logger import Logger
from service.server.worker import Worker

__all__ = ["REQUEST_DEADLINE_S", "SEND_TIMEOUT_S", "Logger", "RequestDeadline", "Worker",
           "with_deadline", "write_problem"]
