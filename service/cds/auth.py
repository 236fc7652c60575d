"""Which CDS clients may call: CDS Hooks 2.0 "Trusting CDS Clients", with PyJWT.

Every call to ``/cds-services``, ``/cds-services/{id}`` and its ``/feedback`` carries
``Authorization: Bearer <JWT>``, signed by a configured client. It is accepted only when the
header's ``alg`` is asymmetric (ES, RS or PS, 256 to 512; never ``none`` or HMAC) and its
``kid`` names one of that client's keys; ``iss`` is a configured client; the signature verifies
with that key; ``aud`` is the URL of the endpoint called (``CDS_HOOKS_BASE_URL`` + path, or the
request's own URL root); ``exp`` is in the future and ``iat`` not beyond a small skew in it; and
``jti`` was not seen before within the token's lifetime, in this process. Anything else is a 401
naming what failed, never echoing the token.

Clients come from ``CDS_HOOKS_CLIENTS``, the path of a JSON file
``{"clients": [{"iss": ..., "jwks_url": ..., "jku": [...]} | {"iss": ..., "jwks": {...}}]}``.
Keys at a URL are fetched with a timeout, cached, and fetched again once for an unknown ``kid``
(key rotation; at most every ``CDS_HOOKS_KEY_COOLDOWN_S``); a token's ``jku`` header must be one
of its client's ``jku`` values, or it is refused and never fetched. A key server that does not
answer gives a 503, never a hang. ``CDS_HOOKS_AUTH=off`` accepts every call (local development).
"""

import json
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import jwt
from cachetools import TLRUCache
from werkzeug.exceptions import ServiceUnavailable, Unauthorized

from service.http.auth import bearer_unauthorized

ALGORITHMS = frozenset(f"{family}{bits}" for family in ("ES", "RS", "PS")
                       for bits in (256, 384, 512))
REQUIRED_CLAIMS = ("iss", "sub", "aud", "exp", "iat", "jti")
SKEW_S = 60
KEY_TIMEOUT_S = 5.0
#: Token ids remembered at once; each is forgotten when its token expires.
MAX_REMEMBERED = 100_000


def refuse(reason: str) -> Unauthorized:
    """The 401 of a refused call: what failed, and how to authenticate."""
    return bearer_unauthorized(f"CDS client not trusted: {reason}.")


@dataclass
class Client:
    """A CDS client the service trusts: its issuer and where its public keys are."""

    iss: str
    keys: jwt.PyJWKSet | None = None
    jwks_url: str | None = None
    jku: tuple[str, ...] = ()
    fetchers: dict[str, jwt.PyJWKClient] = field(default_factory=dict)


def load_clients(path: str | None) -> dict[str, Client]:
    """``{iss: Client}`` from the JSON file at ``path``; none without a path."""
    if not path:
        return {}
    clients = {}
    for entry in json.loads(Path(path).read_text(encoding="utf-8"))["clients"]:
        if ("jwks" in entry) == ("jwks_url" in entry):
            raise ValueError(f"CDS client {entry.get('iss')!r}: give jwks or jwks_url, not both")
        keys = jwt.PyJWKSet.from_dict(entry["jwks"]) if "jwks" in entry else None
        clients[entry["iss"]] = Client(entry["iss"], keys, entry.get("jwks_url"),
                                       tuple(entry.get("jku", ())))
    return clients


class ClientAuthentication:
    """Checks a call's bearer token against the configured clients (one per app)."""

    def __init__(self, clients: dict[str, Client], cooldown_s: float = 30.0):
        self.clients = clients
        self.cooldown_s = cooldown_s
        self._seen = TLRUCache(maxsize=MAX_REMEMBERED, ttu=lambda _key, expires, _now: expires,
                               timer=time.time)
        self._seen_lock = threading.Lock()  # cachetools' caches are not thread-safe (gthread)

    def check(self, authorization: str, audience: str) -> dict:
        """The claims of a trusted token, or the 401 (or 503) that refuses the call."""
        scheme, _, token = authorization.strip().partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise refuse("send 'Authorization: Bearer <JWT>' signed by a registered client")
        token = token.strip()
        try:
            header = jwt.get_unverified_header(token)
            issuer = jwt.decode(token, options={"verify_signature": False}).get("iss")
        except jwt.InvalidTokenError:
            raise refuse("the token is not a JWT") from None
        if header.get("alg") not in ALGORITHMS:
            raise refuse("alg must be one of " + ", ".join(sorted(ALGORITHMS)))
        client = self.clients.get(issuer) if isinstance(issuer, str) else None
        if client is None:
            raise refuse("iss is not a registered client")
        # The raw key, not the PyJWK: a JWK without "alg" gets one guessed by PyJWT (RS256 for
        # any RSA key), which would refuse RS384 and RS512. The header's alg, already one of
        # ALGORITHMS, decides, and a key of another family does not verify.
        key = self._key(client, header).key
        try:
            claims = jwt.decode(token, key, algorithms=[header["alg"]], audience=audience,
                                issuer=client.iss, leeway=SKEW_S,
                                options={"require": list(REQUIRED_CLAIMS)})
        except jwt.ExpiredSignatureError:
            raise refuse("the token has expired") from None
        except jwt.ImmatureSignatureError:
            raise refuse("iat is in the future") from None
        except jwt.InvalidAudienceError:
            raise refuse(f"aud must be {audience}") from None
        except jwt.MissingRequiredClaimError as error:
            raise refuse(f"the token has no {error.claim}") from None
        except jwt.InvalidSignatureError:
            raise refuse("the signature does not verify") from None
        except jwt.InvalidTokenError:
            raise refuse("the token is not valid") from None
        self._remember(client.iss, claims)
        return claims

    def _key(self, client: Client, header: dict) -> jwt.PyJWK:
        kid = header.get("kid")
        if not isinstance(kid, str):
            raise refuse("the header has no kid")
        jku = header.get("jku")
        if jku is not None and jku not in client.jku:
            raise refuse("jku is not one the client registered")
        if client.keys is not None:
            for key in client.keys.keys:
                if key.key_id == kid:
                    return key
            raise refuse("kid names no key of the client")
        url = jku or client.jwks_url
        fetcher = client.fetchers.get(url)
        if fetcher is None:
            fetcher = client.fetchers[url] = jwt.PyJWKClient(
                url, timeout=KEY_TIMEOUT_S, cooldown_duration=self.cooldown_s)
        try:
            return fetcher.get_signing_key(kid)
        except jwt.PyJWKClientConnectionError:
            raise ServiceUnavailable("The CDS client's keys could not be fetched; "
                                     "try again later.") from None
        except jwt.PyJWKClientError:
            raise refuse("kid names no key of the client") from None

    def _remember(self, iss: str, claims: dict) -> None:
        jti = claims["jti"]
        if not isinstance(jti, str) or not jti:
            raise refuse("jti must be a non-empty string")
        with self._seen_lock:
            seen = (iss, jti) in self._seen
            if not seen:
                self._seen[(iss, jti)] = float(claims["exp"]) + SKEW_S
        if seen:
            raise refuse("this token was used before (jti)")
