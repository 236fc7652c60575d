"""Key servers that misbehave, for the CDS client tests: each a real HTTP server on loopback.

``serving_keys(behaviour)`` serves one behaviour at any path from a free port of 127.0.0.1 and
yields the server: ``.url``, ``.fetches`` (requests received) and ``.bytes_sent`` (body bytes
the client took before it hung up). Every behaviour ends by itself: the slow ones stop after
``SLOW_FOR_S`` even if nobody hangs up, so a test never waits on them longer than that.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

#: A slow key server dribbles for this long at most (far beyond the service's 5 s deadline).
SLOW_FOR_S = 30.0
HUGE_BYTES = 200 * 1024 * 1024
#: JWKs PyJWT cannot read: bad base64, members of the wrong JSON type, no key type, "alg":
#: "none" (PyJWK raises NotImplementedError), not a JWK.
INVALID_KEYS = {"keys": [
    {"kty": "EC", "crv": "P-256", "kid": "bad-1", "x": "!!", "y": "!!"},
    {"kty": "RSA", "kid": "bad-2", "n": [1], "e": "AQAB"},
    {"kty": "EC", "kid": "bad-3", "alg": ["ES256"], "crv": "P-256"},
    {"kid": "bad-4"},
    {"kty": "EC", "kid": "bad-5", "alg": "none"},
    "not a key",
]}


def _send(handler, status: int, body: bytes, content_type="application/json", **headers):
    handler.send_response(status)
    handler.send_header("Content-Type", content_type)
    handler.send_header("Content-Length", str(len(body)))
    for name, value in headers.items():
        handler.send_header(name.replace("_", "-"), value)
    handler.end_headers()
    handler.wfile.write(body)
    handler.server.bytes_sent += len(body)


def _stream(handler, chunks, pause_s: float = 0.0) -> None:
    """A 200 without Content-Length (the body ends when the connection does), chunk by chunk,
    until the client hangs up or SLOW_FOR_S has passed."""
    handler.send_response(200)
    handler.send_header("Content-Type", "application/json")
    handler.end_headers()
    deadline = time.monotonic() + SLOW_FOR_S
    try:
        for chunk in chunks:
            if time.monotonic() > deadline:
                return
            handler.wfile.write(chunk)
            handler.wfile.flush()
            handler.server.bytes_sent += len(chunk)
            time.sleep(pause_s)
    except OSError:
        return  # the client hung up: what it took is counted


def _huge_body():
    yield b'{"keys": ['
    key = json.dumps({"kty": "oct", "kid": "padding", "k": "A" * 4000}).encode() + b","
    for _ in range(HUGE_BYTES // len(key)):
        yield key


BEHAVIOURS = {
    "html": lambda h: _send(h, 200, b"<!doctype html><title>Sign in</title>", "text/html"),
    "no keys": lambda h: _send(h, 200, b'{"keys": []}'),
    "invalid keys": lambda h: _send(h, 200, json.dumps(INVALID_KEYS).encode()),
    "deeply nested": lambda h: _send(h, 200, b'{"keys": ' + b"[" * 30000 + b"]" * 30000 + b"}"),
    "not found": lambda h: _send(h, 404, b'{"error": "not found"}'),
    "redirect": lambda h: _send(h, 302, b"", Location="http://127.0.0.1:9/jwks.json"),
    # Nothing at all after the request: a read waits until the service gives up.
    "silent": lambda h: time.sleep(SLOW_FOR_S),
    # A byte every half second: each read gets one in time, the whole answer never comes.
    "dribbling": lambda h: _stream(h, iter(lambda: b" ", None), pause_s=0.5),
    "huge": lambda h: _stream(h, _huge_body()),
}


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802  (http.server's name)
        with self.server.lock:
            self.server.fetches += 1
        BEHAVIOURS[self.server.behaviour](self)

    def log_message(self, *_args):
        pass


@contextlib.contextmanager
def serving_keys(behaviour: str):
    """A real HTTP server on loopback that answers every GET as ``behaviour`` does."""
    if behaviour not in BEHAVIOURS:
        raise ValueError(f"no key server behaves as {behaviour!r}: {sorted(BEHAVIOURS)}")
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    server.behaviour, server.fetches, server.bytes_sent = behaviour, 0, 0
    server.lock = threading.Lock()
    server.url = f"http://127.0.0.1:{server.server_address[1]}/jwks.json"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
