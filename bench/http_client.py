"""A small load generator: an asyncio HTTP/1.1 client on keep-alive connections, stdlib only.

Why not wrk: it is not installed on every machine ``make test`` runs on, and the request mix
and its checks would have to be written again in Lua. Why not ``http.client`` in threads: on two
cores the client's own thread switching would be measured as much as the server.

Each of ``connections`` coroutines keeps one connection and sends request after request on it
(a closed loop: a new request leaves only once the previous answer is read). A response with
``Connection: close`` closes it, and the next request opens a new one. A reused connection that
the server closed before answering (a worker stopping, the keep-alive timeout) gets its request
once more on a fresh connection, as browsers and urllib3 do; such retries are counted (with the
status of the answer before), and a failure on a fresh connection is an error, never retried.
Expect one after every 413: gunicorn drains at most 64 KiB of a body the application left
unread, then closes the connection although its answer said ``keep-alive``. The soak's
evaluation count shows that no retried request had been evaluated before.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

RESPONSE_TIMEOUT_S = 60.0
# What a reused connection that the server closed before answering raises.
_STALE = (asyncio.IncompleteReadError, ConnectionResetError, BrokenPipeError)


class TruncatedReply(Exception):
    """The server closed the connection in the middle of a response (never retried)."""


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    body: bytes = b""
    headers: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Reply:
    status: int
    headers: dict[str, str]  # names in lower case
    body: bytes


@dataclass
class ClientStats:
    connections_opened: int = 0
    closed_by_server: int = 0  # responses that said "Connection: close"
    retries: int = 0
    # Status of the last answer on a connection the server then closed without saying so.
    retries_after_status: Counter = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)


class Connection:
    """One keep-alive connection that reopens itself when the server closes it."""

    def __init__(self, host: str, port: int, stats: ClientStats):
        self.host, self.port, self.stats = host, port, stats
        self._streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None
        self._answered = 0  # responses read on the current connection
        self._last_status = 0

    async def send(self, request: Request) -> Reply:
        reused = self._streams is not None and self._answered > 0
        try:
            return await self._exchange(request)
        except _STALE:
            await self.close()
            if not reused:
                raise
        self.stats.retries += 1
        self.stats.retries_after_status[self._last_status] += 1
        return await self._exchange(request)

    async def _exchange(self, request: Request) -> Reply:
        if self._streams is None:
            self._streams = await asyncio.open_connection(self.host, self.port)
            self._answered = 0
            self.stats.connections_opened += 1
        reader, writer = self._streams
        writer.write(self._encode(request))
        await writer.drain()
        reply, keep_alive = await asyncio.wait_for(read_reply(reader), RESPONSE_TIMEOUT_S)
        self._answered, self._last_status = self._answered + 1, reply.status
        if not keep_alive:
            self.stats.closed_by_server += 1
            await self.close()
        return reply

    def _encode(self, request: Request) -> bytes:
        lines = [f"{request.method} {request.path} HTTP/1.1", f"Host: {self.host}:{self.port}",
                 f"Content-Length: {len(request.body)}"]
        lines += [f"{name}: {value}" for name, value in request.headers]
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + request.body

    async def close(self) -> None:
        if self._streams is not None:
            writer = self._streams[1]
            self._streams = None
            writer.close()
            with contextlib.suppress(OSError):  # reset by the server first: closed either way
                await writer.wait_closed()


async def read_reply(reader: asyncio.StreamReader) -> tuple[Reply, bool]:
    """One response, and whether the connection may carry another one."""
    head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
    version, status = head[0].split(" ", 2)[:2]
    headers = {}
    for line in head[1:]:
        name, _, value = line.partition(":")
        if name:
            headers[name.strip().lower()] = value.strip()
    keep_alive = version == "HTTP/1.1" and headers.get("connection", "").lower() != "close"
    try:
        if "chunked" in headers.get("transfer-encoding", "").lower():
            body = await _read_chunked(reader)
        elif "content-length" in headers:
            body = await reader.readexactly(int(headers["content-length"]))
        else:  # delimited by the end of the connection
            body, keep_alive = await reader.read(), False
    except (asyncio.IncompleteReadError, ConnectionResetError) as error:
        raise TruncatedReply(f"status {status}, body cut short: {error!r}") from None
    return Reply(int(status), headers, body), keep_alive


async def _read_chunked(reader: asyncio.StreamReader) -> bytes:
    chunks = []
    while size := int((await reader.readuntil(b"\r\n")).split(b";")[0], 16):
        chunks.append(await reader.readexactly(size))
        await reader.readexactly(2)
    while await reader.readuntil(b"\r\n") != b"\r\n":  # trailers, if any
        pass
    return b"".join(chunks)


async def closed_loop(
    host: str,
    port: int,
    count: int,
    connections: int,
    request_at: Callable[[int], Request],
    on_reply: Callable[[int, Reply], None],
) -> ClientStats:
    """Send requests ``0 .. count-1`` over ``connections`` connections; report each reply.

    A request that gets no reply at all (a transport error, a timeout) is recorded in
    ``errors`` with its index; the others go to ``on_reply(index, reply)`` as they arrive.
    """
    stats = ClientStats()
    indices = iter(range(count))

    async def worker() -> None:
        connection = Connection(host, port, stats)
        try:
            for index in indices:  # one shared iterator: each index goes to one connection
                try:
                    reply = await connection.send(request_at(index))
                except (OSError, asyncio.IncompleteReadError, asyncio.TimeoutError,
                        TruncatedReply) as error:
                    stats.errors.append(f"request {index}: {type(error).__name__}: {error}")
                    await connection.close()
                else:
                    on_reply(index, reply)
        finally:
            await connection.close()

    await asyncio.gather(*(worker() for _ in range(connections)))
    return stats
