"""The rules a CDS client's token must follow, in-process: CDS Hooks 2.0's claims, and a 401 for
anything else a client can send.

2.0 tokens (``iss``, ``aud``, ``exp``, ``iat``, ``jti``, optional ``tenant``) get in with or
without ``sub``; a ``sub``, ``tenant`` or ``jti`` that is not a non-empty string, a time that is
not a JSON number, a lifetime (``exp - iat``) beyond the setting, or a key that cannot verify the
header's ``alg`` is refused; and no header or payload whatever gets anything but a 401. Key URLs
must be https, but on loopback. Real signatures throughout, from keys made here.
"""

import time

import jwt
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from service import create_app
from tests.support.cds_tokens import CdsClient, clients_file, new_key, unsigned_token
from tests.support.openapi_check import ConformanceClient

BASE = "http://localhost"
DISCOVERY = "/cds-services"
AUDIENCE = BASE + DISCOVERY
EC = CdsClient("https://ec.example")
RSA = CdsClient("https://rsa.example", {"rsa-1": new_key("RSA")})
SHORT = CdsClient("https://short.example", {"rsa-1024": new_key("RSA-1024")})
CLIENTS = (EC, RSA, SHORT)


def trusting(tmp_path, *clients: CdsClient, **config):
    path = clients_file(tmp_path / "clients.json",
                        *({"iss": client.iss, "jwks": client.jwks()} for client in clients))
    # The public base URL named, as the audience of every token here, not taken from the request.
    return create_app({"TESTING": True, "CDS_HOOKS_CLIENTS": path, "PUBLIC_BASE_URL": BASE,
                       **config})


@pytest.fixture(scope="module")
def cds(tmp_path_factory):
    app = trusting(tmp_path_factory.mktemp("cds-rules"), *CLIENTS)
    return ConformanceClient(app, app.response_class)


def discover(cds, token: str):
    return cds.get(DISCOVERY, headers={"Authorization": f"Bearer {token}"})


def assert_refused(response, reason: str):
    assert response.status_code == 401, response.get_data(as_text=True)
    assert reason in response.get_json()["detail"], response.get_json()["detail"]


@pytest.mark.parametrize("claims", [
    {}, {"tenant": "2ddd6c3a-8e9a-44c6-a305-52111ad302a2"}, {"sub": "sandbox-oauth-client-id"},
], ids=["2.0", "2.0 with tenant", "with the sub the sandbox sends"])
@pytest.mark.parametrize("client", [EC, RSA], ids=["ES256", "RS384"])
def test_a_cds_hooks_2_0_token_gets_in_with_or_without_sub(cds, client, claims):
    token = client.token(AUDIENCE, **claims)
    assert set(jwt.decode(token, options={"verify_signature": False})) == {
        "iss", "aud", "exp", "iat", "jti", *claims}

    assert discover(cds, token).status_code == 200


@pytest.mark.parametrize("claim, value", [
    ("sub", 5), ("sub", ""), ("tenant", ["org"]), ("tenant", ""), ("jti", 7), ("jti", ""),
])
def test_a_string_claim_that_is_not_a_non_empty_string_is_refused(cds, claim, value):
    assert_refused(discover(cds, EC.token(AUDIENCE, **{claim: value})),
                   f"{claim} must be a non-empty string")


@pytest.mark.parametrize("claims, reason", [
    (lambda now: {"exp": "4102444800"}, "exp must be a number"),
    (lambda now: {"exp": True}, "exp must be a number"),
    (lambda now: {"exp": float("nan")}, "exp must be a number"),
    (lambda now: {"iat": float("-inf")}, "iat must be a number"),
    (lambda now: {"nbf": "0"}, "nbf must be a number"),
    (lambda now: {"exp": 1e308}, "at most 300 s"),
    (lambda now: {"exp": now + 100 * 365 * 86400}, "at most 300 s"),
    (lambda now: {"exp": now + 301}, "at most 300 s"),
    (lambda now: {"exp": now}, "exp must be after iat"),
], ids=["exp a numeric string", "exp true", "exp NaN", "iat -Infinity", "nbf a string",
        "exp 1e308", "exp 100 years ahead", "a lifetime of 301 s", "exp equal to iat"])
def test_a_time_that_is_no_number_or_a_lifetime_over_five_minutes_is_refused(cds, claims,
                                                                             reason):
    now = int(time.time())
    assert_refused(discover(cds, EC.token(AUDIENCE, **{"iat": now, **claims(now)})), reason)


def test_the_longest_lifetime_is_a_setting_within_an_hour(tmp_path):
    app = trusting(tmp_path, EC, CDS_HOOKS_MAX_TOKEN_LIFETIME_S=600)
    cds = ConformanceClient(app, app.response_class)
    now = int(time.time())
    assert discover(cds, EC.token(AUDIENCE, iat=now, exp=now + 600)).status_code == 200
    assert_refused(discover(cds, EC.token(AUDIENCE, iat=now, exp=now + 601)), "at most 600 s")
    for wrong in (0, 7200):
        with pytest.raises(ValueError, match="CDS_HOOKS_MAX_TOKEN_LIFETIME_S"):
            trusting(tmp_path, EC, CDS_HOOKS_MAX_TOKEN_LIFETIME_S=wrong)


def test_nbf_in_the_future_is_named_as_nbf_and_iat_as_iat(cds):
    future = int(time.time()) + 3600
    assert_refused(discover(cds, EC.token(AUDIENCE, nbf=future)), "nbf is in the future")
    assert_refused(discover(cds, EC.token(AUDIENCE, iat=future, exp=future + 300)),
                   "iat is in the future")


@pytest.mark.parametrize("alg, client", [
    ("ES256", RSA), ("RS256", EC), ("PS512", EC), ("ES384", EC), ("ES512", EC), ("RS256", SHORT),
], ids=["ES256 RSA key", "RS256 EC key", "PS512 EC key", "ES384 P-256 key", "ES512 P-256 key",
        "RS256 RSA 1024-bit key"])
def test_an_unsigned_token_naming_a_key_that_cannot_verify_its_alg_is_a_401(cds, alg, client):
    now = int(time.time())
    token = unsigned_token({"alg": alg, "kid": next(iter(client.keys))},
                           {"iss": client.iss, "aud": AUDIENCE, "iat": now, "exp": now + 60,
                            "jti": "j"})
    assert_refused(discover(cds, token), f"kid names a key that cannot verify {alg}")


JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
                    lambda inner: st.lists(inner, max_size=3)
                    | st.dictionaries(st.text(max_size=5), inner, max_size=3), max_leaves=6)
ANY_OF = {"alg": st.sampled_from(["ES256", "ES384", "ES512", "RS256", "PS384", "HS256", "none",
                                  "EdDSA"]) | JSON,
          "kid": st.sampled_from(["key-1", "rsa-1", "rsa-1024", "nope"]) | JSON,
          "jku": JSON, "typ": JSON, "crit": JSON}
CLAIMS = {"iss": st.sampled_from([client.iss for client in CLIENTS]) | JSON,
          "aud": st.just(AUDIENCE) | JSON, "exp": JSON, "iat": JSON, "nbf": JSON, "jti": JSON,
          "sub": JSON, "tenant": JSON}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(header=st.fixed_dictionaries({}, optional=ANY_OF),
       payload=st.fixed_dictionaries({}, optional=CLAIMS) | JSON)
def test_any_token_a_client_can_send_without_a_key_gets_a_401(cds, header, payload):
    response = discover(cds, unsigned_token(header, payload))
    assert response.status_code == 401, response.get_data(as_text=True)


@pytest.mark.parametrize("url, fine", [
    ("https://keys.example/jwks.json", True), ("http://127.0.0.1:9/jwks.json", True),
    ("http://[::1]:9/jwks.json", True), ("http://localhost:9/jwks.json", True),
    ("http://keys.example/jwks.json", False), ("http://10.0.0.1/jwks.json", False),
    ("ftp://keys.example/jwks.json", False), ("https://keys.example:port/", False),
])
def test_a_key_url_must_be_https_unless_it_is_on_loopback(tmp_path, url, fine):
    for entry in ({"iss": EC.iss, "jwks_url": url},
                  {"iss": EC.iss, "jwks": EC.jwks(), "jku": [url]}):
        path = clients_file(tmp_path / "clients.json", entry)
        config = {"TESTING": True, "CDS_HOOKS_CLIENTS": path, "PUBLIC_BASE_URL": BASE}
        if fine:
            assert create_app(config)
        else:
            with pytest.raises(ValueError, match="CDS client 'https://ec.example'"):
                create_app(config)
