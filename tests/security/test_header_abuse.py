"""Hostile framing against the real gunicorn: oversized heads, lying lengths, broken chunks.

Each request goes over a raw socket, since no client library would send it. Whoever answers
(gunicorn's parser or the app), the answer is a 4xx or a closed connection: never a 5xx, never a
hang (raw_http.exchange fails after 15 s), and the server answers the next request as usual.
The limits are gunicorn.conf.py's: request line 2048 bytes, 50 header fields of 8190 bytes.
"""

import gzip
import json
import socket
import uuid

import pytest

from service.web.security_headers import DEFAULT_CSP, SECURITY_HEADERS
from tests.support.gunicorn import access_lines, logged_id
from tests.support.raw_http import chunked, exchange, request_head, status_of

pytestmark = pytest.mark.server

JSON = "Content-Type: application/json"
PROFILE = b'{"locations": ["calf"]}'


@pytest.fixture
def server(gunicorn):
    yield gunicorn
    assert gunicorn.request("GET", "/healthz").status == 200, "the server must keep answering"


def post(*headers: str) -> bytes:
    return request_head("POST", "/v1/advice", JSON, *headers)


OVERSIZED = pytest.mark.parametrize(("payload", "status"), [
    (request_head("GET", "/healthz", "X-Big: " + "a" * 10_000), 431),
    (request_head("GET", "/healthz", *(f"X-Header-{n}: v" for n in range(60))), 431),
    (request_head("GET", "/" + "a" * 3000), 414),
    (request_head("GET", "/healthz?" + "q=1&" * 700), 414),
    (b"GET /healthz HTTP/1.1 extra\r\nHost: x\r\n\r\n", 400),
], ids=["huge-header-value", "too-many-headers", "huge-request-line", "huge-query-string",
        "malformed-request-line"])


@OVERSIZED
def test_an_oversized_request_head_gets_gunicorns_4xx_and_the_server_keeps_answering(
    server, payload, status
):
    assert status_of(exchange(server.port, payload)) == status


@OVERSIZED
def test_gunicorns_own_answers_are_problems_with_the_security_headers_and_no_echo(
    server, payload, status
):
    head, _, body = exchange(server.port, payload).partition(b"\r\n\r\n")
    headers = dict(line.split(": ", 1) for line in head.decode("latin-1").split("\r\n")[1:])
    assert headers["Content-Type"] == "application/problem+json"
    assert {key: headers.get(key) for key in SECURITY_HEADERS} == SECURITY_HEADERS
    assert headers["Content-Security-Policy"] == DEFAULT_CSP
    assert json.loads(body)["status"] == status
    assert b"aaaa" not in body and b"q=1" not in body and b"extra" not in body


@pytest.mark.parametrize("lengths", [
    ["abc"], ["-5"], ["0x10"], ["1e3"], ["2", "30"], ["2, 2"],
], ids=["non-numeric", "negative", "hex", "exponent", "two-conflicting", "list"])
def test_a_bad_content_length_is_a_400(server, lengths):
    payload = post(*(f"Content-Length: {length}" for length in lengths)) + b"{}"
    assert status_of(exchange(server.port, payload)) == 400


def test_a_body_shorter_than_its_content_length_is_a_400_problem_not_an_answer(server):
    # The client promises 500 bytes, sends a complete-looking profile and closes its side.
    raw = exchange(server.port, post("Content-Length: 500") + PROFILE)
    assert status_of(raw) == 400
    assert b"application/problem+json" in raw and b"Content-Length" in raw.split(b"\r\n\r\n")[1]


def test_a_client_that_closes_before_its_content_length_leaves_no_5xx(server):
    request_id = uuid.uuid4().hex
    payload = post("Content-Length: 500", f"X-Request-ID: {request_id}") + PROFILE
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        sock.sendall(payload)  # and closes at once, without reading
    output = server.wait_for_output(logged_id(request_id), timeout=10)
    logged = [line["status"] for line in access_lines(output) if line["request_id"] == request_id]
    assert logged == [400], logged


def test_a_chunked_body_over_64_kib_is_a_413(server):
    payload = post("Transfer-Encoding: chunked") + chunked(*[b" " * 8192] * 9)
    assert status_of(exchange(server.port, payload)) == 413


def test_a_chunked_body_of_exactly_64_kib_is_read(server):
    body = PROFILE[:-1] + b" " * (64 * 1024 - len(PROFILE)) + b"}"
    payload = post("Transfer-Encoding: chunked") + chunked(body[:40_000], body[40_000:])
    assert status_of(exchange(server.port, payload)) == 200


@pytest.mark.parametrize("body", [
    b"zz\r\n{}\r\n0\r\n\r\n",
    b"2\r\n{}\r\nzz\r\nab\r\n0\r\n\r\n",
    b"-2\r\n{}\r\n0\r\n\r\n",
    b"2\r\n{}XX0\r\n\r\n",
    b"10\r\n{\"locations\"",
], ids=["bad-first-size", "bad-later-size", "negative-size", "missing-terminator", "truncated"])
def test_a_malformed_chunked_body_is_a_400(server, body):
    payload = post("Transfer-Encoding: chunked") + body
    assert status_of(exchange(server.port, payload)) == 400


def test_chunked_together_with_content_length_is_refused_as_smuggling(server):
    payload = post("Content-Length: 5", "Transfer-Encoding: chunked") + chunked(PROFILE)
    assert status_of(exchange(server.port, payload)) == 400


def answer_of(raw: bytes) -> tuple[str, dict, dict]:
    """The status line, the headers and the JSON body of the one answer in ``raw``."""
    head, _, body = raw.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    return status_line, dict(line.split(": ", 1) for line in lines), json.loads(body)


@pytest.mark.parametrize("body", [PROFILE, gzip.compress(PROFILE)], ids=["plain", "gzipped"])
@pytest.mark.parametrize("coding", ["gzip", "deflate", "compress"])
def test_a_transfer_coding_other_than_chunked_is_a_501_whatever_the_body(server, body, coding):
    # gunicorn took "gzip, chunked" and passed the body on undecoded: a plain profile got 200.
    payload = post(f"Transfer-Encoding: {coding}, chunked") + chunked(body)
    status_line, headers, problem = answer_of(exchange(server.port, payload))
    assert status_line == "HTTP/1.1 501 Not Implemented"
    assert headers["Connection"] == "close"
    assert (problem["status"], problem["title"]) == (501, "Not Implemented")


def test_an_unknown_transfer_coding_is_a_501_with_its_own_reason_phrase(server):
    # gunicorn's own refusal, which said "501 Bad Request".
    payload = post("Transfer-Encoding: frobnicate, chunked") + chunked(PROFILE)
    status_line, _, problem = answer_of(exchange(server.port, payload))
    assert status_line == "HTTP/1.1 501 Not Implemented"
    assert problem["title"] == "Not Implemented"


@pytest.mark.parametrize("coding", ["gzip", "GZIP", "deflate", "br", "identity, gzip"])
@pytest.mark.parametrize("body", [PROFILE, gzip.compress(PROFILE)], ids=["plain", "gzipped"])
def test_a_body_with_a_content_coding_is_a_415_never_read_as_plain_json(server, coding, body):
    # The coding used to be ignored: a plain profile marked gzip got its advice.
    payload = post(f"Content-Encoding: {coding}", f"Content-Length: {len(body)}") + body
    status_line, headers, problem = answer_of(exchange(server.port, payload))
    assert status_line.startswith("HTTP/1.1 415 ")
    assert headers["Accept-Encoding"] == "identity"
    assert problem["status"] == 415 and "Content-Encoding" in problem["detail"]


def test_a_body_whose_content_coding_is_identity_is_read(server):
    payload = post("Content-Encoding: identity", f"Content-Length: {len(PROFILE)}") + PROFILE
    assert status_of(exchange(server.port, payload)) == 200


def head_with_hosts(version: str, *hosts: str) -> bytes:
    lines = [f"GET /healthz HTTP/{version}", *(f"Host: {host}" for host in hosts), "", ""]
    return "\r\n".join(lines).encode("latin-1")


@pytest.mark.parametrize("head", [
    head_with_hosts("1.1"),
    head_with_hosts("1.1", "localhost", "localhost"),
    head_with_hosts("1.0", "a.example", "b.example"),
    head_with_hosts("1.1", ""),
    head_with_hosts("1.1", "local host"),
    head_with_hosts("1.1", "user@localhost"),
    head_with_hosts("1.1", "localhost/path"),
], ids=["http-1.1-without-host", "two-hosts", "two-hosts-http-1.0", "empty", "space",
        "userinfo", "path"])
def test_a_request_without_exactly_one_valid_host_is_a_400(server, head):
    # An HTTP/1.1 request without Host used to get 200 (RFC 9112, 3.2: it must get 400).
    status_line, headers, problem = answer_of(exchange(server.port, head))
    assert status_line == "HTTP/1.1 400 Bad Request"
    assert headers["Content-Type"] == "application/problem+json"
    assert problem["status"] == 400


@pytest.mark.parametrize("head", [
    head_with_hosts("1.1", "localhost"),
    head_with_hosts("1.1", "localhost:8000"),
    head_with_hosts("1.1", "127.0.0.1:8000"),
    head_with_hosts("1.1", "[::1]:8000"),
    head_with_hosts("1.1", "leg-cramps-advice.default.svc.cluster.local"),
    head_with_hosts("1.0"),
], ids=["name", "name-and-port", "ipv4", "ipv6", "cluster-name", "http-1.0-without-host"])
def test_a_request_with_one_host_or_an_http_1_0_request_without_one_is_answered(server, head):
    assert status_of(exchange(server.port, head)) == 200


def test_bytes_that_are_not_http_get_a_400_or_a_close(server):
    tls_client_hello = b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" * 20
    assert status_of(exchange(server.port, tls_client_hello)) in (400, None)
