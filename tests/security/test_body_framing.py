"""In process, the body faults that test_header_abuse.py sends to gunicorn over sockets.

The service must not depend on gunicorn to catch them: a body cut off before its declared
``Content-Length`` is never answered as if it were whole, and a body the server cannot decode
(gunicorn raises its own exception types for broken chunked framing) is the client's 400,
never a 500. Each answer is also checked against openapi.yaml by the ``client``.
"""

import io

import pytest
from gunicorn.http.errors import InvalidChunkSize

PROFILE = b'{"locations": ["calf"]}'


class BrokenFraming(io.BytesIO):
    """A WSGI input stream that fails as gunicorn's does on a malformed chunk size: with an
    exception Werkzeug does not know (it turns only OSError and ValueError into a 400)."""

    def read(self, size=-1) -> bytes:
        raise InvalidChunkSize(b"zz")

    readinto = read1 = read


def post_raw(client, stream, **environ):
    return client.post("/v1/advice", input_stream=stream, content_type="application/json",
                       environ_overrides={"wsgi.input_terminated": True, **environ})


@pytest.mark.parametrize("declared", [len(PROFILE) + 1, 500, 64 * 1024])
def test_a_body_shorter_than_its_content_length_is_a_400(client, declared):
    response = post_raw(client, io.BytesIO(PROFILE), CONTENT_LENGTH=str(declared))
    assert response.status_code == 400
    assert "Content-Length" in response.get_json()["detail"]


def test_a_body_exactly_as_long_as_declared_is_read(client):
    response = post_raw(client, io.BytesIO(PROFILE), CONTENT_LENGTH=str(len(PROFILE)))
    assert response.status_code == 200


def test_a_body_the_server_cannot_decode_is_a_400_not_a_500(client):
    response = post_raw(client, BrokenFraming())
    assert response.status_code == 400
    assert response.get_json()["detail"].startswith("The request body could not be read")
