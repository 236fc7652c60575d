"""How the worker keeps the framing of a connection honest around the application.

Before the application, :func:`check_head` refuses what gunicorn lets through: an HTTP/1.1
request without a ``Host`` was answered ``200``, and ``Transfer-Encoding: gzip, chunked`` had
its body handed to the application still compressed, as if it were the plain body.

After the application, :func:`close_unless_read` closes a connection whose last body was not
read to its end. gunicorn serves the next request of a keep-alive connection only once it has
read and thrown away whatever the application left of the last body, with no bound in bytes or
time: a client that declared ``Content-Length: 1000000000000`` and streamed, answered ``413`` at
once, kept its worker reading (213 MB in 8 s), and since reads that never wait never let another
greenlet run, the worker's other connections waited too; two such clients froze a replica, with
no credentials (the ``405`` of ``POST /healthz`` and the ``401`` of a missing key alike), and
the keep-alive deadline never fired while data kept coming. Now such an answer says
``Connection: close``, and the connection closes after it (:func:`linger`: what the client still
sends is read and thrown away up to a bound in bytes and in time, so that a client which sent a
body somewhat over the limit reads its answer instead of a reset).
"""

import contextlib
import re
import socket
from typing import TYPE_CHECKING

import gevent
from gunicorn.http.body import ChunkedReader, LengthReader
from gunicorn.http.errors import InvalidHeader, UnsupportedTransferCoding

if TYPE_CHECKING:
    from gunicorn.http.message import Request

#: After an answer given before its body was read, what the worker still reads and throws away,
#: at most, and for how long: enough for a client that sent a body somewhat over the limit to
#: finish sending and read its answer (closed at once, it got a reset instead, and some clients,
#: Python's http.client among them, lost the answer); a client that streams on is cut off at
#: either bound.
LINGER_BYTES = 1024 * 1024
LINGER_S = 2.0

#: RFC 3986's host (a bracketed IP literal, or a name or IPv4 address), then an optional port.
_HOST = re.compile(r"(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._~!$&'()*+,;=%-]+)(:[0-9]*)?")


def check_head(req: "Request") -> None:
    """Refuse, with gunicorn's own errors, a head the service cannot read honestly.

    * ``400`` (RFC 9112, 3.2) for an HTTP/1.1 request without a ``Host``, and for any request
      with more than one, or with one that is not a host and port;
    * ``501`` (RFC 9112, 6.1) for a transfer coding other than ``chunked``: gunicorn takes
      ``gzip``, ``deflate`` and ``compress`` before ``chunked`` and decodes none of them.
    """
    hosts = [value for name, value in req.headers if name == "HOST"]
    if (len(hosts) > 1 or (not hosts and req.version is not None and req.version >= (1, 1))
            or (hosts and not _HOST.fullmatch(hosts[0]))):
        raise InvalidHeader("HOST", req=req)
    codings = [coding.strip(" \t").lower() for name, value in req.headers
               if name == "TRANSFER-ENCODING" for coding in value.split(",")]
    if any(coding != "chunked" for coding in codings):
        # A fixed text: gunicorn logs it, and the header's value is the client's to choose.
        raise UnsupportedTransferCoding("a transfer coding other than chunked")


def close_unless_read(req: "Request") -> None:
    """Have gunicorn close the connection after ``req``'s answer unless, by the time it writes
    the answer's head, the body has been read off the connection to its end.

    gunicorn asks ``req.should_close()`` as it writes the head (``Connection: close`` or
    ``keep-alive``) and again before it reads the next request; the answer is the same both
    times, since nothing reads the body in between.
    """
    would_close = req.should_close
    # A method replaced on this one request, which the type checker refuses of any method.
    req.should_close = lambda: would_close() or not read_to_end(req)  # type: ignore[method-assign]


def read_to_end(req: "Request") -> bool:
    """Whether ``req``'s body has been read off the connection to its last byte.

    gunicorn's readers keep this in attributes of their own (it says nothing in public): what is
    left of a ``Content-Length``, and the chunk parser, which it drops after the last chunk.
    """
    if req.body is None:  # only before the head is parsed
        return False
    reader = req.body.reader
    if isinstance(reader, LengthReader):
        return reader.length == 0
    if isinstance(reader, ChunkedReader):
        return reader.parser is None
    return False


def linger(sock: socket.socket) -> None:
    """Close as servers close a connection whose body is still coming (a lingering close): end
    the sending side, so the client reads its answer to the end, then read and throw away what
    it still sends until it closes its side, :data:`LINGER_BYTES` or :data:`LINGER_S`."""
    # gevent documents False: the timeout then ends the block silently; its stubs omit it.
    with gevent.Timeout(LINGER_S, False), contextlib.suppress(OSError):  # type: ignore[arg-type]
        sock.shutdown(socket.SHUT_WR)
        discarded = 0
        while discarded < LINGER_BYTES:
            data = sock.recv(65536)
            if not data:
                break
            discarded += len(data)
            gevent.sleep(0)  # reads that never wait would keep the other connections waiting
