"""A CDS client's key server, from the service's side: what a JWK Set may hold, and how often the
service asks for one. Key servers here are real HTTP servers on loopback (tests/support).

Whatever a key server answers, reading it ends in keys or in a KeyServerError (a 503 upstream),
never another exception; a failed fetch is remembered for the cooldown, so a broken key server
is asked once, not once per call; a key that is not known is fetched again at most once per
cooldown.
"""

import json

import jwt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from service.cds.jwks_fetch import KeyServerError, fetch_jwks, read_jwks
from service.cds.key_server import KeyServer
from tests.support.cds_tokens import CdsClient, new_key, serving_jwks
from tests.support.key_servers import serving_keys

CLIENT = CdsClient("https://keys.example", {"ec-1": new_key(), "rsa-1": new_key("RSA")})
JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
                    lambda inner: st.lists(inner, max_size=4)
                    | st.dictionaries(st.text(max_size=6), inner, max_size=4), max_leaves=12)
JWK_MEMBERS = {name: JSON | st.sampled_from(values) for name, values in {
    "kty": ["EC", "RSA", "OKP", "oct"], "crv": ["P-256", "P-384", "Ed25519", "secp256k1"],
    "alg": ["ES256", "RS256", "HS256", "none"], "kid": ["k"], "use": ["sig", "enc"],
    "x": ["AAAA", "!!"], "y": ["AAAA"], "n": ["AQAB"], "e": ["AQAB"], "k": ["AAAA"],
}.items()}


@settings(max_examples=300, deadline=None)
@given(document=st.fixed_dictionaries({}, optional={"keys": st.lists(
    st.fixed_dictionaries({}, optional=JWK_MEMBERS) | JSON, max_size=4)}) | JSON)
def test_whatever_a_key_server_answers_gives_keys_or_a_key_server_error(document):
    for body in (document, json.dumps(document).encode()):
        try:
            keys = read_jwks(body)
        except KeyServerError:
            continue
        assert keys and all(isinstance(key, jwt.PyJWK) for key in keys.values())


def test_a_jwk_set_keeps_the_signing_keys_it_can_read_by_kid():
    jwks = CLIENT.jwks()
    jwks["keys"] += [{"kty": "EC", "kid": "broken", "crv": "P-256", "x": "!!", "y": "!!"},
                     {**jwks["keys"][0], "kid": "for-encryption", "use": "enc"},
                     {**jwks["keys"][0], "kid": None}]

    assert sorted(read_jwks(jwks)) == ["ec-1", "rsa-1"]


def test_a_fetch_reads_the_keys_the_client_serves():
    with serving_jwks(CLIENT.jwks()) as server:
        assert sorted(fetch_jwks(server.url)) == ["ec-1", "rsa-1"]


def test_a_failed_fetch_is_remembered_for_the_cooldown_not_repeated_per_call():
    with serving_keys("html") as server:
        keys = KeyServer(server.url, cooldown_s=30)
        for _ in range(5):
            with pytest.raises(KeyServerError, match="not JSON"):
                keys.key("ec-1")

        assert server.fetches == 1


def test_an_unknown_kid_fetches_again_at_most_once_per_cooldown():
    with serving_jwks(CLIENT.jwks()) as server:
        keys = KeyServer(server.url, cooldown_s=30)
        assert keys.key("ec-1") is not None
        for _ in range(5):
            assert keys.key("rotated-in-later") is None

        assert server.fetches == 1
        assert KeyServer(server.url, cooldown_s=0).key("rotated-in-later") is None
        assert server.fetches == 2
