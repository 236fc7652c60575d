"""One fetch of a CDS client's JWK Set, bounded in time and size, and the keys it holds.

Hand-written over ``http.client`` because PyJWT's ``PyJWKClient`` cannot bound what a key
server costs a worker: it reads the whole answer into memory (a 200 MB JWK Set took a worker's
peak from 56 MB to 687 MB), its timeout applies to each socket operation (a server that sends a
byte every half second never times out, and the worker's 10 s deadline then answered 408 "send
the whole body at once"), and HTML, ``{"keys": []}``, unreadable keys or deeply nested JSON end
in a 500. Here:

* the whole fetch, connecting, head and body, ends within ``deadline_s``: a timer shuts the
  socket down when it passes, whatever the server is sending;
* the answer is read up to ``MAX_JWKS_BYTES`` (a JWK Set of a few keys is a few KiB);
* only a ``200`` is read: a redirect is not followed (the key URL is the one registered);
* every way it can fail is a :class:`KeyServerError` saying how, which the caller answers with
  a 503; PyJWT still reads each key (``PyJWK``), and one it cannot read is skipped.
"""

import contextlib
import http.client
import json
import socket
import ssl
import threading
from urllib.parse import urlsplit

import jwt

MAX_JWKS_BYTES = 64 * 1024
FETCH_DEADLINE_S = 5.0


class KeyServerError(Exception):
    """A client's key server failed; the message says how (never a key or a token)."""


def fetch_jwks(url: str, deadline_s: float = FETCH_DEADLINE_S) -> dict[str, jwt.PyJWK]:
    """The signing keys at ``url`` by ``kid``, or the :class:`KeyServerError` that says why not."""
    return read_jwks(_get(url, deadline_s))


def read_jwks(body: object) -> dict[str, jwt.PyJWK]:
    """The usable signing keys of a JWK Set by ``kid``: of its JSON text (bytes or str), or of
    a document already parsed (a clients file's inline ``jwks``, whatever its JSON type)."""
    if isinstance(body, (bytes, str)):
        try:
            body = json.loads(body)
        except (ValueError, RecursionError):  # not JSON, not UTF-8, or nested too deeply
            raise KeyServerError("its answer is not JSON") from None
    if not isinstance(body, dict) or not isinstance(body.get("keys"), list):
        raise KeyServerError("its answer is not a JWK Set")
    keys = {}
    for entry in body["keys"]:
        if not (isinstance(entry, dict) and isinstance(entry.get("kid"), str)
                and entry.get("use", "sig") == "sig"):
            continue  # CDS Hooks names keys by kid; a key for encryption signs nothing
        # Any exception: PyJWK raises its own errors, TypeError for a member of the wrong JSON
        # type (an "alg" that is a list), NotImplementedError for "alg": "none"... A key it
        # cannot read verifies nothing, so it is skipped, as PyJWKSet skips it.
        try:
            keys[entry["kid"]] = jwt.PyJWK(entry)
        except Exception:  # noqa: S112  # nosec B112
            continue
    if not keys:
        raise KeyServerError("it serves no usable signing key")
    return keys


def _get(url: str, deadline_s: float) -> bytes:
    parts = urlsplit(url)
    # clients.check_key_url refused a key URL without a host.
    host: str = parts.hostname  # type: ignore[assignment]
    connection: http.client.HTTPConnection
    if parts.scheme == "https":
        connection = http.client.HTTPSConnection(host, parts.port, timeout=deadline_s,
                                                 context=ssl.create_default_context())
    else:
        connection = http.client.HTTPConnection(host, parts.port, timeout=deadline_s)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    watchdog = _Watchdog(deadline_s)
    try:
        connection.connect()
        # Kept here: for an answer that ends with the connection, getresponse() hands the
        # socket to the response and sets connection.sock to None.
        watchdog.watch(connection.sock)
        connection.request("GET", path, headers={"Accept": "application/json"})
        response = connection.getresponse()
        if response.status != 200:
            raise KeyServerError(f"it answered {response.status}"
                                 + (" (redirects are not followed)"
                                    if 300 <= response.status < 400 else ""))
        declared = response.getheader("Content-Length", "")
        if declared.isdigit() and int(declared) > MAX_JWKS_BYTES:
            raise KeyServerError(f"its answer is over {MAX_JWKS_BYTES // 1024} KiB")
        body = b""
        while len(body) <= MAX_JWKS_BYTES:
            chunk = response.read(MAX_JWKS_BYTES + 1 - len(body))
            if not chunk:
                break
            body += chunk
        if len(body) > MAX_JWKS_BYTES:
            raise KeyServerError(f"its answer is over {MAX_JWKS_BYTES // 1024} KiB")
    except (OSError, http.client.HTTPException) as error:
        if watchdog.cut.is_set() or isinstance(error, TimeoutError):
            raise KeyServerError(f"it did not answer within {deadline_s:g} s") from None
        raise KeyServerError("it could not be reached") from None
    finally:
        watchdog.stop()
        connection.close()
    if watchdog.cut.is_set():  # the body ended because the watchdog cut it short
        raise KeyServerError(f"it did not answer within {deadline_s:g} s")
    return body


class _Watchdog:
    """Shuts the fetch's socket down once ``deadline_s`` has passed: a read blocked on it, or
    one that each trickle of bytes would keep alive, then returns at once (threads and gevent
    alike). A socket's own timeout cannot do this: it bounds each read, not the whole fetch."""

    def __init__(self, deadline_s: float):
        self.cut = threading.Event()
        self._sock: socket.socket | None = None
        self._lock = threading.Lock()
        self._timer = threading.Timer(deadline_s, self._shut_down)
        self._timer.daemon = True
        self._timer.start()

    def watch(self, sock: socket.socket | None) -> None:
        with self._lock:
            self._sock = sock
        if self.cut.is_set():  # the deadline passed while connecting
            self._shut_down()

    def stop(self) -> None:
        self._timer.cancel()

    def _shut_down(self) -> None:
        self.cut.set()
        with self._lock:
            sock = self._sock
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
