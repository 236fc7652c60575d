"""Problem documents (RFC 9457): their shape for every status, and what errors never reveal."""

import io
import logging

import pytest

from service.advice import AdviceUnavailable, Advisor
from service.web.problems import ProblemSchema
from tests.support.builders import a_profile

JSON = "application/json"
LIMIT = 64 * 1024


def problem(response, status: int) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    document = response.get_json()
    assert ProblemSchema().validate(document) == {}
    return document


def post_stream(client, stream, content_length: int | None = None):
    """A POST whose body comes from ``stream``; without ``content_length`` it is chunked."""
    headers = {"Content-Type": JSON}
    environ = {}
    if content_length is None:
        headers["Transfer-Encoding"] = "chunked"  # Werkzeug then ignores any Content-Length
        environ["wsgi.input_terminated"] = True  # what gunicorn sets for a chunked body
    else:
        environ["CONTENT_LENGTH"] = str(content_length)
    return client.post("/v1/advice", input_stream=stream, headers=headers,
                       environ_overrides=environ)


class CountingStream(io.BytesIO):
    """A body that counts the bytes the service read from it."""

    def __init__(self, size: int):
        super().__init__(b" " * size)
        self.read_bytes = 0

    def read(self, size=-1):
        data = super().read(size)
        self.read_bytes += len(data)
        return data

    def readinto(self, buffer):
        count = super().readinto(buffer)
        self.read_bytes += count
        return count


@pytest.fixture
def advisor(app):
    return app.extensions[Advisor]


def test_a_validation_problem_has_the_rfc_9457_members_and_errors(client):
    document = problem(client.post("/v1/advice", json=a_profile(age=-1)), 400)
    assert document["type"] == "about:blank" and document["title"] == "Bad Request"
    assert document["status"] == 400 and document["detail"]
    assert list(document["errors"]) == ["age"]


def test_an_unknown_path_is_a_404_problem_without_errors(client):
    document = problem(client.get("/v1/advise"), 404)
    assert document["title"] == "Not Found" and "errors" not in document


@pytest.mark.parametrize("method", ["GET", "PUT", "PATCH", "DELETE"])
def test_another_method_on_advice_is_a_405_problem_saying_what_is_allowed(client, method):
    response = client.open("/v1/advice", method=method, json=a_profile())
    assert problem(response, 405)["title"] == "Method Not Allowed"
    assert set(response.headers["Allow"].split(", ")) == {"POST", "OPTIONS"}


def test_a_declared_length_over_the_limit_is_refused_without_reading_the_body(client):
    stream = CountingStream(LIMIT + 1)
    problem(post_stream(client, stream, content_length=LIMIT + 1), 413)
    assert stream.read_bytes == 0


def test_a_chunked_body_over_the_limit_is_refused_after_a_bounded_read(client):
    stream = CountingStream(16 * LIMIT)
    assert "65536 bytes" in problem(post_stream(client, stream), 413)["detail"]
    assert stream.read_bytes == LIMIT + 1


def test_the_service_bounds_the_read_itself_when_flask_has_no_limit(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", None)
    stream = CountingStream(16 * LIMIT)
    problem(post_stream(client, stream), 413)
    assert stream.read_bytes == LIMIT + 1


@pytest.mark.parametrize("declared", [True, False])
def test_a_body_of_exactly_the_limit_is_accepted(client, declared):
    body = b'{"locations": ["calf"]}'
    body += b" " * (LIMIT - len(body))
    response = post_stream(client, io.BytesIO(body), len(body) if declared else None)
    assert response.status_code == 200


@pytest.mark.parametrize("content_type", [
    None, "text/plain", "application/x-www-form-urlencoded", "application/merge-patch+json",
    "application/json; charset=latin-1", "application/jsonx", "text/json",
])
def test_a_body_that_is_not_declared_json_is_a_415_problem(client, content_type):
    headers = {"Content-Type": content_type} if content_type else {}
    response = client.post("/v1/advice", data=b'{"locations": ["calf"]}', headers=headers)
    problem(response, 415)


@pytest.mark.parametrize("path", ["/v1/advice", "/cds-services/leg-cramps-advice"])
def test_a_compressed_body_is_a_415_that_names_the_coding_it_takes(client, path):
    response = client.post(path, data=b'{"locations": ["calf"]}',
                           headers={"Content-Type": "application/json",
                                    "Content-Encoding": "gzip"})
    assert "Content-Encoding" in problem(response, 415)["detail"]
    assert response.headers["Accept-Encoding"] == "identity"


@pytest.mark.parametrize("content_type", ["application/json; charset=UTF-8", "Application/JSON"])
def test_json_with_a_utf8_charset_or_any_case_is_accepted(client, content_type):
    response = client.post("/v1/advice", data=b'{"locations": ["calf"]}',
                           headers={"Content-Type": content_type})
    assert response.status_code == 200


def test_an_unavailable_engine_is_a_503_problem(client, advisor, monkeypatch):
    def unavailable(profile):
        raise AdviceUnavailable("engine error 307")

    monkeypatch.setattr(advisor, "advise", unavailable)
    document = problem(client.post("/v1/advice", json=a_profile()), 503)
    assert "307" not in document["detail"]


def test_a_crash_is_a_bare_500_problem_and_its_log_reveals_no_values(
    client, advisor, monkeypatch, caplog
):
    symptom_data = "the patient has diabetes"

    def crash(profile):
        raise ValueError(symptom_data)

    monkeypatch.setattr(advisor, "advise", crash)
    caplog.set_level(logging.INFO, logger="service.api")
    body = a_profile(conditions=["obliterating_endarteritis"])
    response = client.post("/v1/advice", json=body, headers={"X-Request-ID": "req-500"})
    text = response.get_data(as_text=True)
    assert problem(response, 500)["title"] == "Internal Server Error"
    assert "Traceback" not in text and symptom_data not in text and "ValueError" not in text
    crash_log = next(record for record in caplog.records if record.levelno == logging.ERROR)
    logged = crash_log.getMessage()
    assert "ValueError" in logged and "req-500" in logged and "POST" in logged
    assert "/v1/advice" in logged and "in crash" in logged  # the frames, not the message
    everything = "\n".join(record.getMessage() for record in caplog.records)
    assert symptom_data not in everything and "obliterating_endarteritis" not in everything
