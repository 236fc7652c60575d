"""Every bad CDS client token is refused by the real gunicorn, over HTTP, as an EHR would send it.

One server trusts one client (keys inline). Its fresh token gets cards; none, garbage,
``alg: none``, HMAC, a token signed with another key under the client's kid, an unknown issuer,
the wrong audience, an expired token and a replayed one each get the 401 problem with
``WWW-Authenticate: Bearer``, naming what failed and never echoing the token.
"""

import json
import time

import jwt
import pytest

from tests.support.cds_tokens import CdsClient, clients_file, new_key
from tests.support.fhir_builders import SERVICE, cds_request
from tests.support.gunicorn import running_gunicorn

pytestmark = pytest.mark.server

EHR = CdsClient("https://ehr.example/tokens")
IMPOSTOR = CdsClient(EHR.iss, {"key-1": new_key()})  # the client's iss and kid, another key
STRANGER = CdsClient("https://stranger.example")
BODY = json.dumps(cds_request(prefetch={})).encode()  # not prefetched: a 412 past the door


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    directory = tmp_path_factory.mktemp("cds-tokens")
    clients = clients_file(directory / "clients.json", {"iss": EHR.iss, "jwks": EHR.jwks()})
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
    hour_ago = int(time.time()) - 3600
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


def test_a_fresh_token_gets_past_the_door_once_and_its_replay_is_refused(server):
    token = EHR.token(server.base_url + SERVICE)

    first, replayed = call(server, token), call(server, token)

    assert first.status == 412  # past the door: the call lacks the intake
    assert replayed.status == 401
    assert "jti" in json.loads(replayed.body)["detail"]
