"""CDS Hooks 2.0 client authentication: only a registered client's fresh, signed token gets in.

Apps here trust clients from a ``CDS_HOOKS_CLIENTS`` file: one with its keys inline, one whose
keys a real HTTP server serves. Every bad token (none, ``alg: none``, HMAC, a wrong key, an
unknown issuer or kid, the wrong audience, expired, issued in the future, replayed, garbage) is a
401 problem with ``WWW-Authenticate: Bearer`` that never echoes the token; every response is
checked against openapi.yaml.
"""

import time

import jwt
import pytest

from service import create_app
from tests.support.cds_tokens import CdsClient, clients_file, new_key, serving_jwks
from tests.support.fhir_builders import SERVICE
from tests.support.openapi_check import ConformanceClient

BASE = "http://localhost"
DISCOVERY = "/cds-services"
INLINE = CdsClient("https://inline.example")
REMOTE = CdsClient("https://remote.example", {"remote-1": new_key("RSA")})


@pytest.fixture(scope="module")
def jwks_server():
    with serving_jwks(REMOTE.jwks()) as server:
        yield server


@pytest.fixture(scope="module")
def trusting_app(tmp_path_factory, jwks_server):
    path = clients_file(tmp_path_factory.mktemp("cds") / "clients.json",
                        {"iss": INLINE.iss, "jwks": INLINE.jwks()},
                        {"iss": REMOTE.iss, "jwks_url": jwks_server.url,
                         "jku": [jwks_server.url]})
    return create_app({"TESTING": True, "CDS_HOOKS_CLIENTS": path,
                       "CDS_HOOKS_KEY_COOLDOWN_S": 0, "PUBLIC_BASE_URL": BASE})


@pytest.fixture
def cds(trusting_app):
    return ConformanceClient(trusting_app, trusting_app.response_class)


def discover(cds, token=None, **headers):
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    return cds.get(DISCOVERY, headers=headers)


def assert_refused(response, reason: str, token: str = ""):
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    detail = response.get_json()["detail"]
    assert reason in detail, detail
    assert not token or token not in response.get_data(as_text=True)


@pytest.mark.parametrize("client", [INLINE, REMOTE], ids=["inline keys", "keys by URL"])
def test_a_registered_clients_fresh_token_gets_in_on_every_cds_endpoint(cds, client):
    assert discover(cds, client.token(BASE + DISCOVERY)).status_code == 200
    call = cds.post(SERVICE, json={}, headers={
        "Authorization": f"Bearer {client.token(BASE + SERVICE)}"})
    assert call.status_code == 400  # past the door: the body is what is wrong
    feedback = cds.post(SERVICE + "/feedback", json={"feedback": []}, headers={
        "Authorization": f"Bearer {client.token(BASE + SERVICE + '/feedback')}"})
    assert feedback.status_code == 400 and "feedback" in feedback.get_json()["errors"]


def test_without_a_token_the_call_is_refused_before_its_body_is_read(cds):
    assert_refused(cds.post(SERVICE, data="{not json", content_type="application/json"),
                   "Authorization: Bearer")


@pytest.mark.parametrize("token, reason", [
    ("garbage", "not a JWT"),
    (jwt.encode({"iss": INLINE.iss}, None, algorithm="none"), "alg must be"),
    (jwt.encode({"iss": INLINE.iss}, "a-shared-secret-of-32-bytes-long!", algorithm="HS256",
                headers={"kid": "key-1"}), "alg must be"),
], ids=["garbage", "alg none", "HMAC"])
def test_a_token_that_is_not_an_asymmetric_jwt_is_refused(cds, token, reason):
    assert_refused(discover(cds, token), reason, token)


def test_an_unknown_issuer_is_refused(cds):
    stranger = CdsClient("https://stranger.example")
    token = stranger.token(BASE + DISCOVERY)
    assert_refused(discover(cds, token), "iss is not a registered client", token)


def test_a_token_signed_with_another_key_under_the_clients_kid_is_refused(cds):
    forger = CdsClient(INLINE.iss, {"key-1": new_key()})
    token = forger.token(BASE + DISCOVERY)
    assert_refused(discover(cds, token), "signature does not verify", token)


def test_a_kid_the_client_does_not_have_is_refused(cds):
    other = CdsClient(INLINE.iss, {"key-9": new_key()})
    assert_refused(discover(cds, other.token(BASE + DISCOVERY)), "kid names no key")


@pytest.mark.parametrize("audience", [BASE + SERVICE, "https://elsewhere.example/cds-services"])
def test_a_token_for_another_endpoint_is_refused(cds, audience):
    assert_refused(discover(cds, INLINE.token(audience)), "aud must be")


def test_an_expired_token_is_refused(cds):
    past = int(time.time()) - 3600
    token = INLINE.token(BASE + DISCOVERY, iat=past, exp=past + 300)
    assert_refused(discover(cds, token), "expired")


def test_a_token_issued_in_the_future_is_refused(cds):
    future = int(time.time()) + 3600
    assert_refused(discover(cds, INLINE.token(BASE + DISCOVERY, iat=future, exp=future + 300)),
                   "iat is in the future")


# CDS Hooks 2.0's required claims; sub is not one (test_cds_token_rules.py lets 2.0 tokens in).
@pytest.mark.parametrize("claim", ["jti", "exp", "iat", "aud"])
def test_a_token_without_a_required_claim_is_refused(cds, claim):
    assert_refused(discover(cds, INLINE.token(BASE + DISCOVERY, **{claim: None})),
                   f"no {claim}")


def test_a_replayed_token_is_refused(cds):
    token = INLINE.token(BASE + DISCOVERY)
    assert discover(cds, token).status_code == 200
    assert_refused(discover(cds, token), "used before", token)


def test_a_jku_the_client_did_not_register_is_refused_and_never_fetched(cds, jwks_server):
    fetches = jwks_server.fetches
    token = REMOTE.token(BASE + DISCOVERY, headers={"jku": "http://127.0.0.1:9/evil.json"})
    assert_refused(discover(cds, token), "jku is not one the client registered")
    assert jwks_server.fetches == fetches


def test_a_rotated_key_is_fetched_again_once(cds, jwks_server):
    REMOTE.keys["remote-2"] = new_key()
    jwks_server.jwks = REMOTE.jwks()
    fetches = jwks_server.fetches
    assert discover(cds, REMOTE.token(BASE + DISCOVERY, kid="remote-2")).status_code == 200
    assert jwks_server.fetches == fetches + 1
    assert discover(cds, REMOTE.token(BASE + DISCOVERY, kid="remote-2")).status_code == 200
    assert jwks_server.fetches == fetches + 1  # cached now


def test_an_unreachable_key_server_is_a_503_not_a_hang(tmp_path):
    with serving_jwks(REMOTE.jwks()) as server:
        url = server.url
    path = clients_file(tmp_path / "clients.json", {"iss": REMOTE.iss, "jwks_url": url})
    app = create_app({"TESTING": True, "CDS_HOOKS_CLIENTS": path, "PUBLIC_BASE_URL": BASE})
    response = ConformanceClient(app, app.response_class).get(
        DISCOVERY, headers={"Authorization": f"Bearer {REMOTE.token(BASE + DISCOVERY)}"})
    assert response.status_code == 503


def test_with_no_client_configured_every_call_is_refused_saying_how_to_configure(tmp_path):
    app = create_app({"TESTING": True})
    response = ConformanceClient(app, app.response_class).get(DISCOVERY)
    assert_refused(response, "set CDS_HOOKS_CLIENTS")


def test_the_base_url_behind_a_proxy_is_the_audience(tmp_path):
    path = clients_file(tmp_path / "clients.json", {"iss": INLINE.iss, "jwks": INLINE.jwks()})
    app = create_app({"TESTING": True, "CDS_HOOKS_CLIENTS": path,
                      "PUBLIC_BASE_URL": "https://cds.example/base/"})
    cds = ConformanceClient(app, app.response_class)
    public = "https://cds.example/base" + DISCOVERY
    assert discover(cds, INLINE.token(public)).status_code == 200
    assert_refused(discover(cds, INLINE.token(BASE + DISCOVERY)), "aud must be")


def test_auth_off_lets_any_caller_in_and_says_so_at_start(caplog):
    app = create_app({"TESTING": True, "CDS_HOOKS_AUTH": "off"})
    assert app.test_client().get(DISCOVERY).status_code == 200
    assert any("CDS_HOOKS_AUTH=off" in record.getMessage() for record in caplog.records)
