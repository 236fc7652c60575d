"""Every response, whatever its route or status, carries the security headers.

The service serves JSON and YAML, never HTML of its own here, so the content security policy
allows nothing; ``Referrer-Policy`` and ``X-Frame-Options`` keep a browser from leaking the URL
or framing an answer. openapi.yaml declares these headers required on every response, so the
conformance ``client`` checks them too; these tests say so directly, status by status.
"""

import json

import pytest
from flask import Response

from service.advice import AdviceUnavailable, Advisor
from service.web import request_log
from tests.support.builders import ALLOWED_ORIGIN, a_profile
from tests.support.openapi_check import load_spec

EXPECTED = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
JSON = "application/json"


def assert_security_headers(response) -> None:
    for name, value in EXPECTED.items():
        assert response.headers.get(name) == value, f"{name} on a {response.status_code}"


@pytest.mark.parametrize(("method", "path", "body", "content_type", "status"), [
    ("GET", "/healthz", None, None, 200),
    ("HEAD", "/healthz", None, None, 200),
    ("GET", "/readyz", None, None, 200),
    ("GET", "/openapi.yaml", None, None, 200),
    ("GET", "/v1/knowledge-base", None, None, 200),
    ("POST", "/v1/advice", json.dumps(a_profile()), JSON, 200),
    ("POST", "/v1/advice", '{"locations": ["knee"]}', JSON, 400),
    ("POST", "/v1/advice", "{", JSON, 400),
    ("POST", "/v1/advice", "locations=calf", "text/plain", 415),
    ("POST", "/v1/advice", json.dumps(a_profile(pad=" " * 70_000)), JSON, 413),
    ("GET", "/v1/advice", None, None, 405),
    ("OPTIONS", "/v1/advice", None, None, 204),
    ("OPTIONS", "/healthz", None, None, 405),
    ("POST", "/v1/advice", None, None, 400),
    ("GET", "/no/such/path", None, None, 404),
])
def test_every_route_and_error_status_carries_the_security_headers(
    client, method, path, body, content_type, status
):
    response = client.open(path, method=method, data=body, content_type=content_type)
    assert response.status_code == status
    assert_security_headers(response)


def test_a_crash_answers_500_with_the_security_headers(client, app, monkeypatch):
    def crash(profile):
        raise RuntimeError("boom")

    monkeypatch.setattr(app.extensions[Advisor], "advise", crash)
    response = client.post("/v1/advice", json=a_profile())
    assert response.status_code == 500
    assert_security_headers(response)


def test_an_unavailable_engine_answers_503_with_the_security_headers(client, app, monkeypatch):
    def unavailable(profile):
        raise AdviceUnavailable("down")

    monkeypatch.setattr(app.extensions[Advisor], "advise", unavailable)
    response = client.post("/v1/advice", json=a_profile())
    assert response.status_code == 503
    assert_security_headers(response)


def test_a_refused_api_key_answers_401_with_the_security_headers(client, api_keys):
    response = client.post("/v1/advice", json=a_profile())
    assert response.status_code == 401
    assert_security_headers(response)


def test_a_granted_cors_preflight_answers_204_with_the_security_headers(client, cors_origins):
    response = client.options("/v1/advice", headers={"Origin": ALLOWED_ORIGIN})
    assert response.status_code == 204
    assert_security_headers(response)


def test_every_get_route_of_the_app_carries_the_headers_and_some_policy(app):
    """Also catches a route added later: its own policy may differ, but it must have one."""
    plain_client = app.test_client()
    rules = [rule for rule in app.url_map.iter_rules()
             if "GET" in rule.methods and not rule.arguments and rule.endpoint != "static"]
    assert len(rules) >= 5
    for rule in rules:
        response = plain_client.get(rule.rule)
        assert response.status_code < 500, rule.rule
        for name in ("X-Content-Type-Options", "Referrer-Policy", "X-Frame-Options"):
            assert response.headers[name] == EXPECTED[name], (rule.rule, name)
        assert response.headers.get("Content-Security-Policy"), rule.rule


def test_a_page_that_sets_its_own_content_security_policy_keeps_it(app):
    with app.test_request_context("/some/page"):
        response = Response("<p>hi</p>", mimetype="text/html",
                            headers={"Content-Security-Policy": "default-src 'self'"})
        request_log.finish_request(response)
    assert response.headers["Content-Security-Policy"] == "default-src 'self'"
    assert response.headers["X-Frame-Options"] == "DENY"


def _described_responses():
    """(operation, status, response object) of every response openapi.yaml describes."""
    spec = load_spec()
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if not isinstance(operation, dict):  # path-level parameters
                continue
            for status, response in operation.get("responses", {}).items():
                while "$ref" in response:
                    _, section, kind, name = response["$ref"].split("/")
                    response = spec[section][kind][name]
                yield f"{method.upper()} {path}", status, response


def test_the_spec_requires_the_security_headers_on_every_response_it_describes():
    """So the conformance checks see them: a new response must describe them too."""
    missing = [(operation, status, name)
               for operation, status, response in _described_responses()
               for name in EXPECTED if name not in response.get("headers", {})]
    assert missing == []
