"""CORS only for the exact origins of ``CORS_ALLOWED_ORIGINS``; off by default.

An allowed origin gets its own origin back (never ``*``) and a granted 204 preflight for
``POST /v1/advice``; any other origin gets no CORS header at all, its OPTIONS only the plain 204
with ``Allow``, so its browser blocks the call. The preflight needs no API key, because browsers
never send one on a preflight.
"""

import pytest

from service import config
from tests.support.builders import ALLOWED_ORIGIN, a_profile

PREFLIGHT_HEADERS = {
    "Origin": ALLOWED_ORIGIN,
    "Access-Control-Request-Method": "POST",
    "Access-Control-Request-Headers": "content-type, authorization",
}


def cors_headers(response) -> dict:
    return {name: value for name, value in response.headers.items()
            if name.lower().startswith("access-control-")}


def test_cors_is_off_by_default_no_response_carries_a_cors_header(client, monkeypatch):
    monkeypatch.delenv("CORS_ALLOWED_ORIGINS", raising=False)
    assert config.defaults()["CORS_ALLOWED_ORIGINS"] == ()
    response = client.post("/v1/advice", json=a_profile(), headers={"Origin": ALLOWED_ORIGIN})
    assert response.status_code == 200
    assert cors_headers(response) == {} and "Origin" not in response.headers.get("Vary", "")
    preflight = client.options("/v1/advice", headers=PREFLIGHT_HEADERS)
    assert preflight.status_code == 204 and cors_headers(preflight) == {}
    assert preflight.headers["Allow"] == "OPTIONS, POST"


def test_the_origins_are_read_from_a_comma_separated_environment_variable(monkeypatch):
    monkeypatch.setenv("CORS_ALLOWED_ORIGINS", "https://a.example, http://localhost:3000,")
    assert config.defaults()["CORS_ALLOWED_ORIGINS"] == (
        "https://a.example", "http://localhost:3000"
    )


@pytest.mark.usefixtures("cors_origins")
def test_an_allowed_origin_gets_its_own_origin_back_and_vary_origin(client):
    response = client.post("/v1/advice", json=a_profile(), headers={"Origin": ALLOWED_ORIGIN})
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == ALLOWED_ORIGIN
    assert response.headers["Access-Control-Expose-Headers"] == "X-Request-ID"
    assert "Origin" in response.vary
    assert "Access-Control-Allow-Credentials" not in response.headers


@pytest.mark.usefixtures("cors_origins")
def test_an_allowed_origin_can_read_errors_too(client):
    response = client.post("/v1/advice", json={"locations": ["knee"]},
                           headers={"Origin": ALLOWED_ORIGIN})
    assert response.status_code == 400
    assert response.headers["Access-Control-Allow-Origin"] == ALLOWED_ORIGIN


@pytest.mark.usefixtures("cors_origins")
def test_the_preflight_of_an_allowed_origin_answers_204_with_method_headers_and_max_age(client):
    response = client.options("/v1/advice", headers=PREFLIGHT_HEADERS)
    assert response.status_code == 204 and response.get_data() == b""
    assert cors_headers(response) == {
        "Access-Control-Allow-Origin": ALLOWED_ORIGIN,
        "Access-Control-Allow-Methods": "POST",
        "Access-Control-Allow-Headers": "Content-Type, Authorization, X-API-Key, X-Request-ID",
        "Access-Control-Max-Age": "600",
        "Access-Control-Expose-Headers": "X-Request-ID",
    }
    assert "Origin" in response.vary


@pytest.mark.usefixtures("cors_origins", "api_keys")
def test_the_preflight_needs_no_api_key_but_the_request_after_it_does(client):
    assert client.options("/v1/advice", headers=PREFLIGHT_HEADERS).status_code == 204
    refused = client.post("/v1/advice", json=a_profile(), headers={"Origin": ALLOWED_ORIGIN})
    assert refused.status_code == 401
    assert refused.headers["Access-Control-Allow-Origin"] == ALLOWED_ORIGIN  # JS can read why


@pytest.mark.usefixtures("cors_origins")
@pytest.mark.parametrize("origin", [
    "https://evil.example", "https://intake.example.evil.example", "http://intake.example",
    "https://INTAKE.example", "https://intake.example/", "null", "*", "",
])
def test_any_other_origin_gets_no_cors_header_not_even_on_its_preflight(client, origin):
    headers = {**PREFLIGHT_HEADERS, "Origin": origin}
    preflight = client.options("/v1/advice", headers=headers)
    assert preflight.status_code == 204 and cors_headers(preflight) == {}
    response = client.post("/v1/advice", json=a_profile(), headers={"Origin": origin})
    assert response.status_code == 200 and cors_headers(response) == {}
    assert "Origin" in response.vary  # a cache must not hand this answer to an allowed origin


@pytest.mark.usefixtures("cors_origins")
@pytest.mark.parametrize("path, method", [
    ("/cds-services", "GET"),
    ("/cds-services/leg-cramps-advice", "POST"),
    ("/cds-services/leg-cramps-advice/feedback", "POST"),
])
def test_a_browser_based_cds_client_may_preflight_every_cds_path(client, path, method):
    """The CDS Hooks sandbox calls from a browser: its preflight gets in with no token, and
    may send Authorization and Content-Type next."""
    response = client.options(path, headers={**PREFLIGHT_HEADERS,
                                             "Access-Control-Request-Method": method})
    assert response.status_code == 204
    assert response.headers["Allow"] == f"OPTIONS, {method}"
    granted = cors_headers(response)
    assert granted["Access-Control-Allow-Origin"] == ALLOWED_ORIGIN
    assert granted["Access-Control-Allow-Methods"] == method
    assert {"Authorization", "Content-Type"} <= set(
        granted["Access-Control-Allow-Headers"].split(", "))


@pytest.mark.usefixtures("cors_origins")
@pytest.mark.parametrize("path", ["/healthz", "/v1/knowledge-base"])
def test_only_the_advice_and_cds_endpoints_have_a_preflight(client, path):
    assert client.options(path, headers=PREFLIGHT_HEADERS).status_code == 405


@pytest.mark.usefixtures("cors_origins")
def test_a_request_without_origin_gets_no_cors_header(client):
    response = client.get("/v1/knowledge-base")
    assert response.status_code == 200 and cors_headers(response) == {}
