"""One example of every kind of answer, each checked against openapi.yaml by the ``client``.

The ``client`` fixture checks every response it receives, so the assertions here only pin down
which answer each request gets; the conformance check itself happens inside ``client.open``.
The last tests show that the check is not vacuous: it rejects answers the spec does not allow.
The answer to every rules-file example goes through the same check in tests/rules/test_examples.py.
"""

import json

import pytest
import yaml
from flask import Response

from service.advice import AdviceUnavailable, Advisor
from service.contract.vocabulary import CAUSE_GROUPS
from service.web.security_headers import DEFAULT_CSP, SECURITY_HEADERS
from tests.support.builders import a_profile
from tests.support.openapi_check import ConformanceClient, assert_matches_spec, load_spec

ADVICE = "/v1/advice"
ADVICE_KEYS = {
    "urgency", "call_emergency_services", "summary", "emergency_steps", "cause_groups",
    "lifestyle_rules", "referral", "medication_info", "warnings", "follow_up_questions", "trace",
    "knowledge_base", "disclaimer",
}


def _problem(response, status: int) -> dict:
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    return response.get_json(force=True)


# ---- POST /v1/advice ---------------------------------------------------------------------------


def test_valid_advice(client):
    response = client.post(
        ADVICE,
        json=a_profile(time_of_day="night", frequency="weekly", conditions=["varicose_veins"]),
    )
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert set(response.get_json()) == ADVICE_KEYS


def test_the_spec_request_example_gets_advice(client):
    operation = load_spec()["paths"][ADVICE]["post"]
    example = operation["requestBody"]["content"]["application/json"]["example"]
    assert client.post(ADVICE, json=example).status_code == 200


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        (a_profile(conditions=["diabetis"]), {"conditions"}),
        (a_profile(age=121, locations=["calf", "calf"]), {"age", "locations"}),
        (a_profile(pregnancy_trimester=2), {"pregnancy_trimester"}),
        (a_profile(colour="red"), {"colour"}),
        ([1, 2], {"_schema"}),
    ],
    ids=["typo", "range-and-duplicate", "trimester-without-pregnancy", "unknown-field", "array"],
)
def test_bad_input_is_a_400_naming_the_fields(client, body, fields):
    problem = _problem(client.post(ADVICE, json=body), 400)
    assert set(problem["errors"]) == fields


@pytest.mark.parametrize(
    "raw", [b'{"locations": ["calf"]', b"\xff\xfe", b'{"duration_minutes": NaN}'],
    ids=["truncated", "not-utf-8", "nan"],
)
def test_malformed_json_is_a_400_about_the_body_as_a_whole(client, raw):
    problem = _problem(client.post(ADVICE, data=raw, content_type="application/json"), 400)
    assert list(problem["errors"]) == ["_schema"]


def test_a_body_that_is_not_json_is_a_415(client):
    response = client.post(ADVICE, data="locations=calf", content_type="text/plain")
    _problem(response, 415)


def test_a_body_over_64_kib_is_a_413(client):
    body = json.dumps(a_profile(padding=" " * (64 * 1024)))
    _problem(client.post(ADVICE, data=body, content_type="application/json"), 413)


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE", "PATCH"])
def test_other_methods_are_a_405(client, method):
    response = client.open(ADVICE, method=method)
    _problem(response, 405)
    assert "POST" in response.headers["Allow"]


def test_options_says_what_the_advice_resource_takes(client):
    response = client.options(ADVICE)
    assert response.status_code == 204 and response.headers["Allow"] == "OPTIONS, POST"


def test_a_post_to_a_get_endpoint_is_a_405(client):
    _problem(client.post("/healthz"), 405)


@pytest.mark.parametrize("path", ["/no/such/path", "/v1/advice/", "/v2/advice", "/index.html"])
def test_an_unknown_path_is_a_404(client, path):
    _problem(client.get(path), 404)


def test_advice_is_a_503_while_the_engine_is_unavailable(client, app, monkeypatch):
    def unavailable(profile):
        raise AdviceUnavailable("engine down")

    monkeypatch.setattr(app.extensions[Advisor], "advise", unavailable)
    _problem(client.post(ADVICE, json=a_profile()), 503)


def test_a_crash_is_a_500_without_a_stack_trace(client, app, monkeypatch):
    def crash(profile):
        raise RuntimeError("secret detail: the person is pregnant")

    monkeypatch.setattr(app.extensions[Advisor], "advise", crash)
    response = client.post(ADVICE, json=a_profile())
    problem = _problem(response, 500)
    assert "secret" not in response.get_data(as_text=True)
    assert "Traceback" not in problem["detail"]


# ---- the other endpoints -----------------------------------------------------------------------


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_head_answers_like_get_without_a_body(client):
    response = client.head("/healthz")
    assert response.status_code == 200
    assert response.get_data() == b""


def test_readyz(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.get_json()["status"] == "ready"


def test_readyz_is_a_503_while_the_engine_cannot_evaluate(unready_app):
    client = ConformanceClient(unready_app, unready_app.response_class)
    _problem(client.get("/readyz"), 503)


def test_knowledge_base(client):
    response = client.get("/v1/knowledge-base")
    assert response.status_code == 200
    body = response.get_json()
    assert [group["id"] for group in body["cause_groups"]] == list(CAUSE_GROUPS)
    assert body["rules"] == len(body["rule_definitions"])


def test_openapi_yaml_is_this_spec(client):
    response = client.get("/openapi.yaml")
    assert response.status_code == 200
    assert response.mimetype == "application/yaml"
    assert yaml.safe_load(response.get_data(as_text=True)) == load_spec()


# ---- the check is not vacuous ------------------------------------------------------------------


def _answer(status: int, body, mimetype="application/json", **headers) -> Response:
    headers = {"X-Request-ID": "test", **SECURITY_HEADERS,
               "Content-Security-Policy": DEFAULT_CSP, **headers}
    text = body if isinstance(body, str) else json.dumps(body)
    return Response(text, status=status, mimetype=mimetype, headers=headers)


def _advice_example() -> dict:
    return json.loads(json.dumps(load_spec()["components"]["examples"]["Advice"]["value"]))


def test_the_check_accepts_the_spec_advice_example():
    assert_matches_spec(_answer(200, _advice_example(), **{"Cache-Control": "no-store"}),
                        "POST", ADVICE)


NOT_FOUND = {"type": "about:blank", "title": "Not Found", "status": 404, "detail": "No."}


@pytest.mark.parametrize(
    ("method", "path", "response", "complaint"),
    [
        ("POST", ADVICE, _answer(200, {**_advice_example(), "summary": None},
                                 **{"Cache-Control": "no-store"}), "$.summary"),
        ("POST", ADVICE, _answer(200, {**_advice_example(), "score": 3},
                                 **{"Cache-Control": "no-store"}), "'score' was unexpected"),
        ("POST", ADVICE, _answer(200, _advice_example()), "Cache-Control"),
        ("POST", ADVICE, _answer(400, {**NOT_FOUND, "status": 400, "errors": {"age": "bad"}},
                                 "application/problem+json"), "$.errors.age"),
        ("POST", ADVICE, _answer(400, {**NOT_FOUND, "status": 400, "trace": "File ..."},
                                 "application/problem+json"), "'trace' was unexpected"),
        ("GET", "/nowhere", _answer(404, NOT_FOUND), "application/json"),
        ("GET", "/nowhere", _answer(200, NOT_FOUND, "application/problem+json"), "200"),
        ("GET", "/nowhere", _answer(404, {**NOT_FOUND, "status": 400},
                                    "application/problem+json"), "$.status"),
        ("GET", ADVICE, _answer(405, {**NOT_FOUND, "status": 405},
                                "application/problem+json"), "Allow"),
        ("GET", "/healthz", Response('{"status": "ok"}', mimetype="application/json"),
         "X-Request-ID"),
    ],
    ids=["null", "extra-key", "cacheable", "nested-errors", "stack-trace", "plain-json-404",
         "undescribed-route", "wrong-status", "405-without-allow", "no-request-id"],
)
def test_the_check_rejects_what_the_spec_does_not_allow(method, path, response, complaint):
    with pytest.raises(AssertionError, match="does not match") as failure:
        assert_matches_spec(response, method, path)
    assert complaint in str(failure.value)
