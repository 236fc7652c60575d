"""Optional API keys: off by default; when on, every /v1/ request needs one of them.

The keys come from ``SERVICE_API_KEYS`` (comma-separated). A refused request is a 401 problem
document with ``WWW-Authenticate: Bearer``, answered before the body is read; the probes and the
spec stay open so orchestrators need no key. The key is never written to any log.
"""

import logging

import pytest

from service import config
from service.web import auth
from tests.support.builders import API_KEYS, a_profile
from tests.support.openapi_check import load_spec

KEY, OTHER_KEY = API_KEYS


def test_keys_are_off_by_default_so_v1_answers_without_one(client, monkeypatch):
    monkeypatch.delenv("SERVICE_API_KEYS", raising=False)
    assert config.defaults()["API_KEYS"] == ()
    assert client.post("/v1/advice", json=a_profile()).status_code == 200


@pytest.mark.parametrize(("raw", "keys"), [
    ("", ()), (" , ,", ()), ("abc", ("abc",)), (" abc , def ,", ("abc", "def")),
])
def test_the_keys_are_read_from_a_comma_separated_environment_variable(monkeypatch, raw, keys):
    monkeypatch.setenv("SERVICE_API_KEYS", raw)
    assert config.defaults()["API_KEYS"] == keys


@pytest.mark.usefixtures("api_keys")
@pytest.mark.parametrize("headers", [
    {"Authorization": f"Bearer {KEY}"},
    {"Authorization": f"bearer   {OTHER_KEY}  "},
    {"X-API-Key": OTHER_KEY},
    {"Authorization": "Bearer wrong", "X-API-Key": KEY},
], ids=["bearer", "second-key-any-case", "x-api-key", "one-of-two-valid"])
def test_a_configured_key_as_bearer_token_or_x_api_key_is_accepted(client, headers):
    assert client.post("/v1/advice", json=a_profile(), headers=headers).status_code == 200
    assert client.get("/v1/knowledge-base", headers=headers).status_code == 200


@pytest.mark.usefixtures("api_keys")
@pytest.mark.parametrize("headers", [
    {},
    {"Authorization": "Bearer"},
    {"Authorization": "Bearer wrong-key"},
    {"Authorization": f"Basic {KEY}"},
    {"Authorization": KEY},
    {"Authorization": f"Bearer {KEY[:-1]}"},
    {"Authorization": f"Bearer {KEY}x"},
    {"X-API-Key": ""},
    {"X-API-Key": "ключ"},
    {"X-API-Key": f"{KEY},{OTHER_KEY}"},
], ids=["none", "empty-bearer", "wrong", "basic-scheme", "no-scheme", "prefix", "longer",
        "empty-x-api-key", "non-ascii", "the-whole-list"])
def test_a_missing_or_wrong_key_is_a_401_problem_with_a_bearer_challenge(client, headers):
    response = client.post("/v1/advice", json=a_profile(), headers=headers)
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"
    assert response.headers["WWW-Authenticate"] == "Bearer"
    problem = response.get_json()
    assert (problem["status"], problem["title"]) == (401, "Unauthorized")
    assert KEY not in response.get_data(as_text=True)


@pytest.mark.usefixtures("api_keys")
@pytest.mark.parametrize("path", ["/healthz", "/readyz", "/openapi.yaml"])
def test_probes_and_the_spec_stay_open_when_keys_are_on(client, path):
    assert client.get(path).status_code == 200


@pytest.mark.usefixtures("api_keys")
@pytest.mark.parametrize(("method", "path"), [
    ("GET", "/v1/advice"), ("GET", "/v1/no-such-thing"), ("DELETE", "/v1/knowledge-base"),
])
def test_without_a_key_v1_tells_nothing_not_even_which_paths_exist(app, method, path):
    # A plain client: the spec describes these paths' 404 and 405, which a key would reveal.
    response = app.test_client().open(path, method=method)
    assert response.status_code == 401


@pytest.mark.usefixtures("api_keys")
def test_the_key_is_checked_before_the_body_is_read(client, app, monkeypatch):
    def must_not_read(*args, **kwargs):
        raise AssertionError("the body was read before the key was checked")

    monkeypatch.setattr("service.api.routes.read_json_bytes", must_not_read)
    response = client.post("/v1/advice", data="{not json", content_type="application/json")
    assert response.status_code == 401


def test_every_configured_key_is_compared_even_after_a_match(monkeypatch):
    compared = []
    real = auth.hmac.compare_digest
    monkeypatch.setattr(auth.hmac, "compare_digest",
                        lambda a, b: compared.append(b) or real(a, b))
    keys = ("k1", "k2", "k3")
    assert auth.any_key_matches(["k1"], keys)
    assert len(compared) == len(keys)
    assert not auth.any_key_matches(["nope"], keys)


def test_keys_never_reach_the_logs(client, api_keys, caplog):
    caplog.set_level(logging.DEBUG)
    client.post("/v1/advice", json=a_profile(), headers={"Authorization": f"Bearer {KEY}"})
    client.post("/v1/advice", json=a_profile(), headers={"X-API-Key": "guessed-key-42"})
    assert '"status": 200' in caplog.text and '"status": 401' in caplog.text
    for secret in (*api_keys, "guessed-key-42"):
        assert secret not in caplog.text


def test_the_spec_makes_keys_optional_on_every_v1_operation_and_describes_its_401():
    spec = load_spec()
    optional_keys = [{}, {"bearer": []}, {"apiKey": []}]
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            label = f"{method.upper()} {path}"
            if method == "options":  # a preflight: browsers send no key on one
                assert operation.get("security") == [{}], label
                assert "401" not in operation["responses"], label
            # /metrics follows the keys too (service/probes): its counters are per rule.
            elif path.startswith(auth.PROTECTED_PREFIX) or path == "/metrics":
                assert operation.get("security") == optional_keys, label
                assert "401" in operation["responses"], label
            elif path.startswith("/cds-services"):  # CDS clients' own JWT: test_cds_auth.py
                assert operation.get("security") == [{"cdsClient": []}], label
                assert "401" in operation["responses"], label
            else:
                assert "security" not in operation and "401" not in operation["responses"], label


@pytest.mark.usefixtures("api_keys")
def test_readiness_needs_no_key_but_shows_its_counters_only_with_one(client):
    assert client.get("/readyz").get_json() == {"status": "ready"}
    with_key = client.get("/readyz", headers={"X-API-Key": KEY}).get_json()
    assert with_key["status"] == "ready" and set(with_key["engine"]) == {
        "evaluations", "open_sessions"}


@pytest.mark.usefixtures("api_keys")
def test_options_on_the_advice_resource_needs_no_key_but_other_v1_options_do(app):
    client = app.test_client()
    assert client.options("/v1/advice").status_code == 204
    assert client.options("/v1/knowledge-base").status_code == 401
    assert client.options("/v1/no-such-thing").status_code == 401
