"""The gunicorn worker the service runs in: gevent, with deadlines, its own error pages, and a
logger that builds no access line nothing would write (:class:`Logger`).

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
"""

import json

import gevent
from gunicorn import glogging, util
from gunicorn.workers.ggevent import GeventWorker
from werkzeug.exceptions import RequestTimeout

from service.http.security_headers import DEFAULT_CSP, SECURITY_HEADERS

#: From the end of the request head to the end of the application's work (reading the body,
#: the advice): an evaluation takes milliseconds, a body of 64 KiB a fraction of a second.
REQUEST_DEADLINE_S = 10.0
#: A send that cannot complete for this long (the client does not read) ends the connection.
SEND_TIMEOUT_S = 15.0


class RequestDeadline(RequestTimeout):
    """Raised in the request's greenlet when its deadline passes: the app answers 408."""

    description = (f"The request was not received within {REQUEST_DEADLINE_S:g} s of its "
                   "head; send the whole body at once.")


def with_deadline(app, seconds: float = REQUEST_DEADLINE_S):
    """``app`` with a deadline: wherever it waits past ``seconds`` (reading the body), it gets
    :class:`RequestDeadline`, an HTTP error it answers like any other."""

    def application(environ, start_response):
        with gevent.Timeout(seconds, RequestDeadline()):
            return app(environ, start_response)

    application.__wrapped__ = app  # the Flask app, for gunicorn.conf.py's worker_exit
    return application


def write_problem(sock, status: int, reason: str, message: str) -> None:
    """gunicorn's own error answer as a problem document with the security headers.

    Replaces ``gunicorn.util.write_error``, whose HTML page has none of the headers and quotes
    the request line back. ``message`` (gunicorn's description, which may quote the request) is
    left out.
    """
    body = json.dumps({"type": "about:blank", "title": reason, "status": status,
                       "detail": f"{reason}: the server could not read the request."}).encode()
    headers = {"Connection": "close", "Content-Type": "application/problem+json",
               "Content-Length": str(len(body)), **SECURITY_HEADERS,
               "Content-Security-Policy": DEFAULT_CSP}
    head = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
    util.write_nonblock(sock, f"HTTP/1.1 {status} {reason}\r\n{head}\r\n".encode("latin-1")
                        + body)


class Worker(GeventWorker):
    """gunicorn's gevent worker with the deadlines and error pages above."""

    def init_process(self):
        util.write_error = write_problem
        super().init_process()

    def load_wsgi(self):
        super().load_wsgi()
        self.wsgi = with_deadline(self.wsgi)

    def handle(self, listener, client, addr):
        client.settimeout(SEND_TIMEOUT_S)  # GeventWorker.handle would make it block forever
        super(GeventWorker, self).handle(listener, client, addr)

    def handle_request(self, listener_name, req, sock, addr):
        try:
            keep_alive = super().handle_request(listener_name, req, sock, addr)
        except TimeoutError:
            self.log.info("Closed a connection whose client did not read its answer in %g s",
                          SEND_TIMEOUT_S)
            raise StopIteration() from None
        # Take turns: a keep-alive client whose next request is already waiting would otherwise
        # be served again and again without a yield, and the others starve (p99 of 1 s at 16
        # connections, measured with wrk).
        gevent.sleep(0)
        return keep_alive


class Logger(glogging.Logger):
    """gunicorn's logger, which builds an access line only when a handler would write it.

    gunicorn counts its access log as on whenever a logging config is given, as gunicorn.conf.py
    gives one for its JSON lines, and then builds every request's line (its atoms, the time, the
    headers) for a logger with no handler: 8 % of a ``/healthz``, measured with py-spy. The
    service writes its own access line; gunicorn's is on only when an operator gives it a
    handler (``--access-logfile``, syslog, or a logging config that does).
    """

    @property
    def access_log_enabled(self) -> bool:
        return super().access_log_enabled and self.access_log.hasHandlers()
