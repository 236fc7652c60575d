"""The time limits of a request, from the end of its head to the end of the application's work."""

from typing import TYPE_CHECKING

import gevent
from werkzeug.exceptions import RequestTimeout

if TYPE_CHECKING:
    from gunicorn._types import _EnvironType, _ResponseBodyType, _StartResponseType, _WSGIAppType

#: From the end of the request head to the end of the application's work (reading the body,
#: the advice): an evaluation takes milliseconds, a body of 64 KiB a fraction of a second.
REQUEST_DEADLINE_S = 10.0
#: A send that cannot complete for this long (the client does not read) ends the connection.
SEND_TIMEOUT_S = 15.0


class RequestDeadline(RequestTimeout):
    """Raised in the request's greenlet when its deadline passes: the app answers 408."""

    description = (f"The request was not received within {REQUEST_DEADLINE_S:g} s of its "
                   "head; send the whole body at once.")


def with_deadline(app: "_WSGIAppType", seconds: float = REQUEST_DEADLINE_S) -> "_WSGIAppType":
    """``app`` with a deadline: wherever it waits past ``seconds`` (reading the body), it gets
    :class:`RequestDeadline`, an HTTP error it answers like any other."""

    def application(environ: "_EnvironType",
                    start_response: "_StartResponseType") -> "_ResponseBodyType":
        with gevent.Timeout(seconds, RequestDeadline()):
            return app(environ, start_response)

    # A function takes any attribute, which the type checker does not know of.
    application.__wrapped__ = app  # type: ignore[attr-defined]  # the Flask app, for gunicorn.conf.py's worker_exit
    return application
