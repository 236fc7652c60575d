"""How the worker keeps the framing of a connection honest around the application.

gunicorn serves the next request of a keep-alive connection only after it has read and thrown
away whatever the application left of the last request's body, with no bound in bytes or time:
a client that declares ``Content-Length: 1000000000000`` and streams, answered ``413`` at once,
kept its worker reading (213 MB in 8 s) and the worker's other connections waiting, since
reads that never block never let another greenlet run; two such clients froze a replica, with
no credentials (the ``405`` of ``POST /healthz`` and the ``401`` of a missing key alike). The
keep-alive deadline never fired while data kept coming.

So an answer given before its request's body was read to the end says ``Connection: close``,
and the connection closes after it, unread bytes and all (:func:`close_unless_read`).
"""

from gunicorn.http.body import ChunkedReader, LengthReader


def close_unless_read(req) -> None:
    """Have gunicorn close the connection after ``req``'s answer unless, by the time it writes
    the answer's head, the body has been read off the connection to its end.

    gunicorn asks ``req.should_close()`` as it writes the head (``Connection: close`` or
    ``keep-alive``) and again before it reads the next request; the answer is the same both
    times, since nothing reads the body in between.
    """
    would_close = req.should_close
    req.should_close = lambda: would_close() or not read_to_end(req)


def read_to_end(req) -> bool:
    """Whether ``req``'s body has been read off the connection to its last byte.

    gunicorn's readers keep this in attributes of their own (it says nothing in public): what is
    left of a ``Content-Length``, and the chunk parser, which it drops after the last chunk.
    """
    reader = req.body.reader
    if isinstance(reader, LengthReader):
        return reader.length == 0
    if isinstance(reader, ChunkedReader):
        return reader.parser is None
    return False
