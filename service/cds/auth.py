"""Which CDS clients may call: CDS Hooks 2.0 "Trusting CDS Clients", with PyJWT.

Every call to ``/cds-services``, ``/cds-services/{id}`` and its ``/feedback`` carries
``Authorization: Bearer <JWT>``, signed by a configured client. It is accepted only when the
header names an allowed ``alg`` and a ``kid`` of the client's keys that fits it (claims.py),
``iss`` is a configured client, the signature verifies with that key, ``aud`` is the URL of the
endpoint called (``CDS_HOOKS_BASE_URL`` + path, or the request's own URL root), ``exp``, ``iat``
and ``nbf`` are numbers and the token is valid now (within ``SKEW_S``), its lifetime is short
enough, and ``jti`` was not seen before within the token's lifetime, in this process. Whatever
else a client sends is a 401 naming what failed, never echoing the token; the order of the
checks lets no token reach a step that could fail with anything but a 401.

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

from service.cds import claims as rules
from service.http.auth import bearer_unauthorized

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

    def __init__(self, clients: dict[str, Client], max_lifetime_s: float = 300.0,
                 cooldown_s: float = 30.0):
        self.clients = clients
        self.max_lifetime_s = max_lifetime_s
        self.cooldown_s = cooldown_s
        self._seen = TLRUCache(maxsize=MAX_REMEMBERED, ttu=lambda _key, expires, _now: expires,
                               timer=time.time)
        self._seen_lock = threading.Lock()  # cachetools' caches are not thread-safe (gthread)

    @classmethod
    def from_config(cls, config) -> "ClientAuthentication":
        """The clients of ``CDS_HOOKS_CLIENTS``, with the settings that bound their tokens."""
        lifetime_s = float(config["CDS_HOOKS_MAX_TOKEN_LIFETIME_S"])
        if not 0 < lifetime_s <= 3600:
            raise ValueError("CDS_HOOKS_MAX_TOKEN_LIFETIME_S must be more than 0 and at most 3600")
        return cls(load_clients(config.get("CDS_HOOKS_CLIENTS")), lifetime_s,
                   float(config["CDS_HOOKS_KEY_COOLDOWN_S"]))

    def check(self, authorization: str, audience: str) -> dict:
        """The claims of a trusted token, or the 401 (or 503) that refuses the call."""
        scheme, _, token = authorization.strip().partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise refuse("send 'Authorization: Bearer <JWT>' signed by a registered client")
        token = token.strip()
        try:
            header = jwt.get_unverified_header(token)
            unverified = jwt.decode(token, options={"verify_signature": False})
        except jwt.PyJWTError:
            raise refuse("the token is not a JWT") from None
        try:
            alg = rules.algorithm(header)
            rules.check_times_are_numbers(unverified)
            issuer = unverified.get("iss")
            client = self.clients.get(issuer) if isinstance(issuer, str) else None
            if client is None:
                raise rules.Untrusted("iss is not a registered client")
            key = self._key(client, header)
            rules.check_key_fits(alg, key)
            claims = rules.decode(token, key, alg, audience, client.iss, unverified)
            rules.check_claims(claims, self.max_lifetime_s)
        except rules.Untrusted as error:
            raise refuse(str(error)) from None
        self._remember(client.iss, claims)
        return claims

    def _key(self, client: Client, header: dict):
        """The public key (a ``cryptography`` object) the header's ``kid`` names."""
        kid, jku = header.get("kid"), header.get("jku")
        if not isinstance(kid, str) or not kid:
            raise rules.Untrusted("the header has no kid")
        if jku is not None and (not isinstance(jku, str) or jku not in client.jku):
            raise rules.Untrusted("jku is not one the client registered")
        if client.keys is not None:
            for key in client.keys.keys:
                if key.key_id == kid:
                    return key.key
            raise rules.Untrusted("kid names no key of the client")
        url = jku or client.jwks_url
        fetcher = client.fetchers.get(url)
        if fetcher is None:
            fetcher = client.fetchers[url] = jwt.PyJWKClient(
                url, timeout=KEY_TIMEOUT_S, cooldown_duration=self.cooldown_s)
        try:
            key = fetcher.get_signing_key(kid)
        except jwt.PyJWKClientConnectionError:
            raise ServiceUnavailable("The CDS client's keys could not be fetched; "
                                     "try again later.") from None
        except jwt.PyJWKClientError:
            raise rules.Untrusted("kid names no key of the client") from None
        # The raw key, not the PyJWK: a JWK without "alg" gets one guessed by PyJWT (RS256 for
        # any RSA key), which would refuse RS384 and RS512; the header's alg decides.
        return key.key

    def _remember(self, iss: str, claims: dict) -> None:
        with self._seen_lock:
            seen = (iss, claims["jti"]) in self._seen
            if not seen:
                self._seen[(iss, claims["jti"])] = float(claims["exp"]) + rules.SKEW_S
        if seen:
            raise refuse("this token was used before (jti)")
