"""Raw HTTP/1.1 over a socket, for requests no well-behaved client library would send."""

from __future__ import annotations

import contextlib
import socket
import time

HANG_TIMEOUT_S = 15.0


def exchange(port: int, payload: bytes, *, close_write: bool = True,
             timeout: float = HANG_TIMEOUT_S) -> bytes:
    """Send ``payload``, optionally half-close, and return every byte until the server closes.

    A server that neither answers nor closes within ``timeout`` is a hang: AssertionError.
    """
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        # The server may answer and close before the client has sent everything.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            sock.sendall(payload)
            if close_write:
                sock.shutdown(socket.SHUT_WR)
        chunks = []
        try:
            while chunk := sock.recv(65536):
                chunks.append(chunk)
        except ConnectionResetError:
            pass  # closed with unread bytes pending: the answer, if any, is in chunks
        except TimeoutError:
            raise AssertionError(f"no answer and no close within {timeout} s") from None
    return b"".join(chunks)


def status_of(raw: bytes) -> int | None:
    """The status code of the first response in ``raw``, or None if there is none."""
    if not raw.startswith(b"HTTP/1."):
        return None
    return int(raw.split(b" ", 2)[1])


def request_head(method: str, target: str, *headers: str) -> bytes:
    """A request line and headers (Host first), ending with the blank line."""
    lines = [f"{method} {target} HTTP/1.1", "Host: localhost", *headers, "", ""]
    return "\r\n".join(lines).encode("latin-1")


def chunked(*chunks: bytes) -> bytes:
    """A chunked body of ``chunks`` with its last, empty chunk."""
    return b"".join(b"%x\r\n%s\r\n" % (len(chunk), chunk) for chunk in chunks) + b"0\r\n\r\n"


def wait_until_closed(sock: socket.socket, timeout: float) -> float | None:
    """Seconds until the server closed ``sock`` (read EOF or reset), or None if it stayed open."""
    started = time.monotonic()
    sock.settimeout(timeout)
    try:
        while sock.recv(1024):
            pass
    except TimeoutError:
        return None
    except ConnectionResetError:
        pass
    return time.monotonic() - started
