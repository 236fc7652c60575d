"""Which CDS clients may call: CDS Hooks 2.0 "Trusting CDS Clients", with PyJWT.

Every call to ``/cds-services``, ``/cds-services/{id}`` and its ``/feedback`` carries
``Authorization: Bearer <JWT>``. It is accepted only when the token's header names an allowed
``alg`` and a ``kid`` of a registered client's keys that fits it (clients.py, claims.py),
``iss`` is that client, the signature verifies with that key, ``aud`` is the URL of the endpoint
called, ``exp``, ``iat`` and ``nbf`` are numbers and the token is valid now (within
``SKEW_S``), its lifetime is short enough, and its ``jti`` has not been used before, by any
worker of the server (replay.py) or, with Redis, any replica. Whatever else a client sends is
a 401 naming what failed, never echoing the token; the order of the checks lets no token
reach a step that could fail with anything but a 401.

A call that cannot be checked is refused with a 503 that says why: the client's key server
failed (key_server.py), or the store of used tokens did not answer. ``CDS_HOOKS_AUTH=off``
accepts every call (local development only; see ``service.cds``).
"""

import hashlib
import logging
import math
import os
import shutil
import tempfile
import weakref
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import jwt
from werkzeug.exceptions import ServiceUnavailable, Unauthorized

from service.cds import claims as rules
from service.cds.clients import Client, load_clients
from service.cds.jwks_fetch import KeyServerError
from service.cds.replay import EmbeddedReplayStore, ReplayStore, ReplayStoreError
from service.config import ConfigurationError
from service.web.auth import bearer_unauthorized

# A private directory is made inside it, never a file of its own.
_RAM = "/dev/shm"  # noqa: S108  # nosec B108
log = logging.getLogger(__name__)
#: Where an app keeps its ClientAuthentication, or None with CDS_HOOKS_AUTH=off.


def refuse(reason: str) -> Unauthorized:
    """The 401 of a refused call: what failed, and how to authenticate."""
    return bearer_unauthorized(f"CDS client not trusted: {reason}.")


def unavailable(what: str, reason: str, retry_after: float) -> ServiceUnavailable:
    """The 503 of a call that could not be checked: not accepted, and worth sending again."""
    return ServiceUnavailable(f"{what} failed: {reason}. The call was not accepted; try again "
                              "later.", retry_after=max(1, math.ceil(retry_after)))


@dataclass(frozen=True)
class Trust:
    """Who may call the CDS services: the registered clients' authentication, or None when
    ``CDS_HOOKS_AUTH=off`` lets anyone in (local development only)."""

    authentication: "ClientAuthentication | None"


class ClientAuthentication:
    """Checks a call's bearer token against the registered clients (one per app)."""

    def __init__(self, clients: dict[str, Client], replay: ReplayStore | None,
                 max_lifetime_s: float = 300.0, cooldown_s: float = 30.0):
        self.clients = clients
        self.replay = replay
        self.max_lifetime_s = max_lifetime_s
        self.cooldown_s = cooldown_s

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> "ClientAuthentication":
        """The clients of ``CDS_HOOKS_CLIENTS`` and the replay store the settings name, once
        :func:`checked_clients` has accepted the settings."""
        clients = checked_clients(config)
        return cls(clients, open_replay_store(config) if clients else None,
                   float(config["CDS_HOOKS_MAX_TOKEN_LIFETIME_S"]),
                   float(config["CDS_HOOKS_KEY_COOLDOWN_S"]))

    def check(self, authorization: str, audience: str) -> dict[str, Any]:
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

    def _key(self, client: Client, header: dict[str, Any]) -> object:
        """The public key (a ``cryptography`` object) the header's ``kid`` names."""
        kid, jku = header.get("kid"), header.get("jku")
        if not isinstance(kid, str) or not kid:
            raise rules.Untrusted("the header has no kid")
        if jku is not None and (not isinstance(jku, str) or jku not in client.jku):
            raise rules.Untrusted("jku is not one the client registered")
        if client.keys is not None:
            key = client.keys.get(kid)
        else:
            try:
                # A client without inline keys has a jwks_url (clients.load_clients).
                key = client.servers[jku or client.jwks_url].key(kid)  # type: ignore[index]
            except KeyServerError as error:
                raise unavailable("The CDS client's key server", str(error),
                                  self.cooldown_s) from None
        if key is None:
            raise rules.Untrusted("kid names no key of the client")
        # The raw key, not the PyJWK: a JWK without "alg" gets one guessed by PyJWT (RS256 for
        # any RSA key), which would refuse RS384 and RS512; the header's alg decides.
        return key.key

    def _remember(self, iss: str, claims: dict[str, Any]) -> None:
        key = hashlib.sha256(f"{iss}\n{claims['jti']}".encode("utf-8", "surrogatepass")).digest()
        try:
            # Only an app that trusts clients checks tokens, and it has a replay store.
            first = self.replay.first_use(key, float(claims["exp"]) + rules.SKEW_S)  # type: ignore[union-attr]
        except ReplayStoreError as error:
            raise unavailable("The store of used tokens", str(error), 1) from None
        if not first:
            raise refuse("this token was used before (jti)")


def checked_clients(config: Mapping[str, Any]) -> dict[str, Client]:
    """The registered clients, once every CDS setting is one the service can start with, or the
    :class:`ConfigurationError` that names the setting. Opens nothing, so gunicorn's master
    checks the settings with it before forking a worker (gunicorn.conf.py)."""
    clients = load_clients(config.get("CDS_HOOKS_CLIENTS"),
                           float(config["CDS_HOOKS_KEY_COOLDOWN_S"]))
    if not 0 < float(config["CDS_HOOKS_MAX_TOKEN_LIFETIME_S"]) <= 3600:
        raise ConfigurationError(
            "CDS_HOOKS_MAX_TOKEN_LIFETIME_S must be more than 0 and at most 3600")
    _replay_url(config)
    if clients and not config.get("PUBLIC_BASE_URL"):
        raise ConfigurationError(
            "CDS_HOOKS_CLIENTS trusts CDS clients, whose tokens' aud must be this service's "
            "public URL: set PUBLIC_BASE_URL to it, such as https://advice.example.org")
    return clients


def _replay_url(config: Mapping[str, Any]) -> str:
    """``CDS_HOOKS_REPLAY_STORE``: empty, or a redis://, rediss:// or unix:// URL."""
    url = str(config.get("CDS_HOOKS_REPLAY_STORE") or "").strip()
    if url and url.partition("://")[0] not in ("redis", "rediss", "unix"):
        raise ConfigurationError(
            "CDS_HOOKS_REPLAY_STORE must be a redis://, rediss:// or unix:// URL")
    return url


def open_replay_store(config: Mapping[str, Any]) -> ReplayStore:
    """Redis for a ``redis://``, ``rediss://`` or ``unix://`` URL in ``CDS_HOOKS_REPLAY_STORE``;
    else the embedded store in ``CDS_HOOKS_REPLAY_DIR``, which gunicorn.conf.py sets. Outside
    gunicorn (tests, scripts) an app gets a private directory of its own, removed with it."""
    url = _replay_url(config)
    if url:
        # Imported only when named: redis-py adds about 8 MB to every worker that imports it.
        from service.cds.replay_redis import RedisReplayStore

        store = RedisReplayStore(url)
        log.info("CDS replay store: Redis at %s", store.where)
        return store
    directory = str(config.get("CDS_HOOKS_REPLAY_DIR") or "").strip()
    private = not directory
    if private:
        directory = tempfile.mkdtemp(prefix="leg-cramps-replay-",
                                     dir=_RAM if os.access(_RAM, os.W_OK) else None)
    embedded = EmbeddedReplayStore(directory)
    if private:
        weakref.finalize(embedded, shutil.rmtree, directory, True)
    log.info("CDS replay store: embedded, in %s", directory)
    return embedded
