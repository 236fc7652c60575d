"""``POST /v1/intake/parse`` over HTTP, with a fake parser (tests/support/fake_text_parser.py).

What the endpoint does around the parser: the body read as ``/v1/advice`` reads its own, the
one field checked, the draft serialised as the contract says, no cache, the API key and CORS as
for advice, and the text never in a log line. Every response is checked against openapi.yaml by
the conformance client. What the real parser makes of realistic texts, through the same
endpoint, is in tests/api/test_intake_parse_real.py.
"""

import json
import logging

import pytest

from service import create_app
from service.contract.free_text import MAX_TEXT_CHARS
from tests.support.builders import ALLOWED_ORIGIN, API_KEYS
from tests.support.fake_text_parser import FakeTextParser
from tests.support.openapi_check import ConformanceClient, load_spec

PARSE = "/v1/intake/parse"
TEXT = "my left calf cramps most nights, no swelling, a bit tingly"


@pytest.fixture(scope="module")
def parser():
    return FakeTextParser()


@pytest.fixture(scope="module")
def parse_app(parser):
    return create_app({"TESTING": True, "TEXT_PARSER_FACTORY": lambda _lexicon: parser})


@pytest.fixture
def parsing(parse_app, parser):
    parser.texts.clear()
    return ConformanceClient(parse_app, parse_app.response_class)


def _problem(response, status: int) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    return response.get_json(force=True)


def test_a_text_becomes_the_parsers_draft_with_spans_as_pairs(parsing):
    response = parsing.post(PARSE, json={"text": TEXT})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    body = response.get_json()
    assert list(body) == ["profile", "findings", "reported_absent", "unmapped", "draft"]
    assert body["draft"] is True
    assert body["profile"] == {"locations": ["calf"], "side": "one_leg", "frequency": "daily"}
    assert {"field": "symptoms", "value": "swelling", "assertion": "absent",
            "span": [36, 44], "text": "swelling"} in body["findings"]
    assert body["reported_absent"] == [{"field": "symptoms", "value": "swelling"}]
    assert body["unmapped"] == [{"span": [52, 58], "text": "tingly"}]
    for finding in body["findings"]:
        start, end = finding["span"]
        assert TEXT[start:end] == finding["text"]


def test_a_boolean_stated_as_absent_is_false_in_the_profile(parsing):
    body = parsing.post(PARSE, json={"text": "I never smoked"}).get_json()
    assert body["profile"] == {"smoker": False}


@pytest.mark.parametrize("text", ["", "ok", "ü" * MAX_TEXT_CHARS])
def test_any_text_of_at_most_the_limit_in_characters_is_read(parsing, parser, text):
    assert parsing.post(PARSE, json={"text": text}).status_code == 200
    assert parser.texts == [text]


def test_the_spec_request_example_is_read(parsing):
    operation = load_spec()["paths"][PARSE]["post"]
    example = operation["requestBody"]["content"]["application/json"]["example"]
    assert parsing.post(PARSE, json=example).status_code == 200


def test_a_text_over_the_limit_is_a_400_naming_the_field_and_the_limit(parsing, parser):
    problem = _problem(parsing.post(PARSE, json={"text": "a" * (MAX_TEXT_CHARS + 1)}), 400)
    assert list(problem["errors"]) == ["text"]
    assert "1,000 characters" in problem["errors"]["text"][0]
    assert "1,001" in problem["errors"]["text"][0]
    assert parser.texts == []


@pytest.mark.parametrize(("body", "fields"), [
    ({}, {"text"}),
    ({"text": 5}, {"text"}),
    ({"text": None}, {"text"}),
    ({"text": ["calf"]}, {"text"}),
    ({"text": "calf", "age": 72}, {"age"}),
    ({"txt": "calf"}, {"text", "txt"}),
    (["calf"], {"_schema"}),
    ("calf", {"_schema"}),
])
def test_a_body_that_is_not_one_text_is_a_400_naming_the_fields(parsing, parser, body, fields):
    problem = _problem(parsing.post(PARSE, json=body), 400)
    assert set(problem["errors"]) == fields
    assert parser.texts == []


def test_a_repeated_key_is_a_400(parsing):
    raw = '{"text": "calf", "text": "thigh"}'
    problem = _problem(parsing.post(PARSE, data=raw, content_type="application/json"), 400)
    assert set(problem["errors"]) == {"text"}


@pytest.mark.parametrize("raw", ["{", "not json", '{"text": NaN}'])
def test_malformed_json_is_a_400(parsing, raw):
    _problem(parsing.post(PARSE, data=raw, content_type="application/json"), 400)


def test_a_body_that_is_not_json_is_a_415(parsing):
    _problem(parsing.post(PARSE, data="text=calf",
                          content_type="application/x-www-form-urlencoded"), 415)


def test_a_body_over_64_kib_is_a_413(parsing):
    raw = json.dumps({"text": "a" * 70_000})
    _problem(parsing.post(PARSE, data=raw, content_type="application/json"), 413)


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
def test_other_methods_are_a_405(parsing, method):
    response = parsing.open(PARSE, method=method)
    assert _problem(response, 405) and "POST" in response.headers["Allow"]


def test_options_says_what_the_resource_takes(parsing):
    response = parsing.options(PARSE)
    assert response.status_code == 204
    assert response.headers["Allow"] == "OPTIONS, POST"


def test_a_parser_that_crashes_is_a_500_that_quotes_nothing(parsing, parser, monkeypatch,
                                                           all_output):
    def crash(text):
        raise ValueError(f"could not read {text!r}")

    monkeypatch.setattr(parser, "parse", crash)
    problem = _problem(parsing.post(PARSE, json={"text": "my secret calf"}), 500)
    assert "secret" not in json.dumps(problem)
    assert "secret" not in all_output()


def test_an_app_without_a_parser_is_not_ready_and_answers_503():
    app = create_app({"TESTING": True, "TEXT_PARSER_FACTORY": None})
    client = ConformanceClient(app, app.response_class)
    _problem(client.post(PARSE, json={"text": "calf"}), 503)
    assert "free-text parser" in _problem(client.get("/readyz"), 503)["detail"]


def test_the_parser_is_built_once_from_the_lexicon_directory(tmp_path):
    built = []

    def factory(lexicon_dir):
        built.append(lexicon_dir)
        return FakeTextParser(lexicon_dir)

    app = create_app({"TESTING": True, "TEXT_PARSER_FACTORY": factory,
                      "FREE_TEXT_DIR": str(tmp_path)})
    for _ in range(3):
        assert app.test_client().post(PARSE, json={"text": "calf"}).status_code == 200
    assert built == [tmp_path]


# ---- the text goes nowhere -----------------------------------------------------------------


def test_the_text_is_in_no_log_line(parsing, caplog, all_output):
    caplog.set_level(logging.INFO, logger="service")
    private = "my left calf cramps, Zebediah Quux of 12 Acacia Avenue"
    parsing.post(PARSE, json={"text": private}, headers={"X-Request-ID": "req-26"})
    parsing.post(PARSE, json={"text": private + "!" * MAX_TEXT_CHARS})  # a 400 too
    output = all_output()
    assert "Zebediah" not in output and "Acacia" not in output and "calf" not in output
    lines = [json.loads(record.getMessage()) for record in caplog.records
             if record.name == "service.access"]
    assert [(line["route"], line["status"]) for line in lines] == [(PARSE, 200), (PARSE, 400)]


def test_a_400_about_the_text_does_not_repeat_it(parsing):
    problem = _problem(parsing.post(PARSE, json={"text": "Zebediah " * 200}), 400)
    assert "Zebediah" not in json.dumps(problem)


# ---- keys and CORS, as for advice ----------------------------------------------------------


def test_with_api_keys_on_a_parse_needs_one(parse_app, parsing, monkeypatch):
    monkeypatch.setitem(parse_app.config, "API_KEYS", API_KEYS)
    response = parsing.post(PARSE, json={"text": "calf"})
    assert _problem(response, 401) and response.headers["WWW-Authenticate"] == "Bearer"
    ok = parsing.post(PARSE, json={"text": "calf"}, headers={"X-API-Key": API_KEYS[0]})
    assert ok.status_code == 200


def test_an_allowed_origin_may_preflight_and_read_the_draft(parse_app, parsing, monkeypatch):
    monkeypatch.setitem(parse_app.config, "CORS_ALLOWED_ORIGINS", (ALLOWED_ORIGIN,))
    preflight = parsing.options(PARSE, headers={"Origin": ALLOWED_ORIGIN,
                                                "Access-Control-Request-Method": "POST"})
    assert preflight.status_code == 204
    assert preflight.headers["Access-Control-Allow-Methods"] == "POST"
    response = parsing.post(PARSE, json={"text": "calf"}, headers={"Origin": ALLOWED_ORIGIN})
    assert response.headers["Access-Control-Allow-Origin"] == ALLOWED_ORIGIN
    stranger = parsing.post(PARSE, json={"text": "calf"},
                            headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in stranger.headers
