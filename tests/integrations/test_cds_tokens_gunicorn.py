"""Every bad CDS client token is refused by the real gunicorn, over HTTP, as an EHR would send it.

One server trusts two clients (keys inline: EC P-256 and RSA). A fresh CDS Hooks 2.0 token
(``iss``, ``aud``, ``exp``, ``iat``, ``jti``, ``tenant``: no ``sub``) gets cards; none, garbage,
``alg: none``, HMAC, a token signed with another key under the client's kid, an unknown issuer,
the wrong audience, an expired token and a replayed one each get the 401 problem with
``WWW-Authenticate: Bearer``, naming what failed and never echoing the token. So do the
unsigned tokens that used to get a 500 and a traceback in the log (an ``alg`` of another key
family or curve than the key its ``kid`` names, an ``alg`` that is a list or an object), and
those that used to get in with any lifetime (``exp`` 100 years ahead, ``1e308``, a numeric
string).
"""

import json
import time

import jwt
import pytest

from tests.support.cds_tokens import CdsClient, clients_file, new_key, unsigned_token
from tests.support.fhir_builders import SERVICE, cds_request
from tests.support.gunicorn import running_gunicorn

pytestmark = pytest.mark.server

EHR = CdsClient("https://ehr.example/tokens")
EHR_RSA = CdsClient("https://rsa-ehr.example/tokens", {"rsa-1": new_key("RSA")})
IMPOSTOR = CdsClient(EHR.iss, {"key-1": new_key()})  # the client's iss and kid, another key
STRANGER = CdsClient("https://stranger.example")
BODY = json.dumps(cds_request(prefetch={})).encode()  # not prefetched: a 412 past the door


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    directory = tmp_path_factory.mktemp("cds-tokens")
    clients = clients_file(directory / "clients.json", {"iss": EHR.iss, "jwks": EHR.jwks()},
                           {"iss": EHR_RSA.iss, "jwks": EHR_RSA.jwks()})
    with running_gunicorn(directory / "gunicorn.log", workers=1,
                          extra_env={"CDS_HOOKS_CLIENTS": clients}) as server:
        yield server


def call(server, token: str | None):
    headers = {"Content-Type": "application/json"}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    return server.request("POST", SERVICE, BODY, headers)


def bad_tokens(audience: str) -> dict[str, tuple[str | None, str]]:
    """Each bad token for ``audience``, with what the refusal must name."""
    now = int(time.time())
    hour_ago = now - 3600

    def unsigned(alg, client: CdsClient = EHR, kid: str | None = None) -> str:
        claims = {"iss": client.iss, "aud": audience, "iat": now, "exp": now + 300, "jti": "x"}
        return unsigned_token({"alg": alg, "kid": kid or next(iter(client.keys))}, claims)

    return {
        "none": (None, "Authorization: Bearer"),
        "garbage": ("garbage", "not a JWT"),
        "alg none": (jwt.encode({"iss": EHR.iss, "aud": audience}, None, algorithm="none"),
                     "alg must be"),
        "HMAC": (jwt.encode({"iss": EHR.iss, "aud": audience},
                            "a-shared-secret-of-32-bytes-long!", algorithm="HS256",
                            headers={"kid": "key-1"}), "alg must be"),
        "wrong key": (IMPOSTOR.token(audience), "signature"),
        "unknown issuer": (STRANGER.token(audience), "iss is not a registered client"),
        "wrong audience": (EHR.token("https://elsewhere.example" + SERVICE), "aud"),
        "expired": (EHR.token(audience, iat=hour_ago, exp=hour_ago + 300), "expired"),
        "ES256 naming an RSA key": (unsigned("ES256", EHR_RSA), "cannot verify ES256"),
        "RS256 naming an EC key": (unsigned("RS256"), "cannot verify RS256"),
        "PS384 naming an EC key": (unsigned("PS384"), "cannot verify PS384"),
        "ES384 naming a P-256 key": (unsigned("ES384"), "cannot verify ES384"),
        "ES512 naming a P-256 key": (unsigned("ES512"), "cannot verify ES512"),
        "alg a list": (unsigned(["ES256"]), "alg must be"),
        "alg an object": (unsigned({"name": "ES256"}), "alg must be"),
        "exp 100 years ahead": (EHR.token(audience, exp=now + 100 * 365 * 86400),
                                "at most 300 s"),
        "exp 1e308": (EHR.token(audience, exp=1e308), "at most 300 s"),
        "exp a numeric string": (EHR.token(audience, exp=str(now + 300)), "exp must be a number"),
        "nbf in the future": (EHR.token(audience, nbf=now + 3600), "nbf is in the future"),
    }


@pytest.mark.parametrize("case", list(bad_tokens("http://x")))
def test_each_bad_token_is_a_401_naming_what_failed(server, case):
    token, reason = bad_tokens(server.base_url + SERVICE)[case]

    response = call(server, token)

    assert response.status == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    detail = json.loads(response.body)["detail"]
    assert reason in detail, detail
    assert token is None or token.encode() not in response.body


def test_no_bad_token_makes_the_server_fail_or_log_a_traceback(server):
    for token, _ in bad_tokens(server.base_url + SERVICE).values():
        assert call(server, token).status == 401

    assert "Traceback" not in server.output() and "unhandled" not in server.output()


@pytest.mark.parametrize("client", [EHR, EHR_RSA], ids=["ES256", "RS384"])
def test_a_cds_hooks_2_0_token_without_sub_gets_past_the_door_once(server, client):
    token = client.token(server.base_url + SERVICE, tenant="2ddd6c3a-8e9a-44c6-a305-52111ad302a2")
    assert "sub" not in jwt.decode(token, options={"verify_signature": False})

    first, replayed = call(server, token), call(server, token)

    assert first.status == 412  # past the door: the call lacks the intake
    assert replayed.status == 401
    assert "jti" in json.loads(replayed.body)["detail"]


def test_a_fresh_token_gets_past_the_door_once_and_its_replay_is_refused(server):
    token = EHR.token(server.base_url + SERVICE)

    first, replayed = call(server, token), call(server, token)

    assert first.status == 412  # past the door: the call lacks the intake
    assert replayed.status == 401
    assert "jti" in json.loads(replayed.body)["detail"]
