"""The CDS clients the service trusts, read at start from the file ``CDS_HOOKS_CLIENTS`` names.

``{"clients": [{"iss": ..., "jwks_url": ..., "jku": [...]} | {"iss": ..., "jwks": {...}}]}``:
each client's issuer, its public keys inline or the URL of its JWK Set, and the ``jku`` URLs its
tokens may name. CDS Hooks 2.0 ("Trusting CDS Clients"): "CDS Services SHOULD limit the CDS
Clients they trust by maintaining an allowlist of ``iss`` and ``jku`` urls", and a JWK Set is
fetched from no other URL.

A key URL must be ``https``: keys fetched in the clear can be swapped on the way, and every token
signed with the swapped key would then verify. ``http`` is allowed only to a loopback address
(127.0.0.0/8, ::1, localhost), whose traffic never leaves the machine: the tests' key servers.
A file that breaks a rule stops the start, naming the client.
"""

import ipaddress
import json
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import jwt

from service.cds.jwks_fetch import KeyServerError, read_jwks
from service.cds.key_server import KeyServer
from service.config import ConfigurationError
from service.contract.documents import JSONObject


@dataclass
class Client:
    """A CDS client the service trusts: its issuer and where its public keys are."""

    iss: str
    keys: dict[str, jwt.PyJWK] | None = None  # inline, by kid
    jwks_url: str | None = None
    jku: tuple[str, ...] = ()
    servers: dict[str, KeyServer] = field(default_factory=dict)  # by URL: jwks_url, each jku


def _entries(path: str) -> list[JSONObject]:
    """The file's client entries, or the ConfigurationError saying why it cannot be read."""
    try:
        entries = json.loads(Path(path).read_text(encoding="utf-8"))["clients"]
    except OSError as error:
        raise ConfigurationError(f"CDS_HOOKS_CLIENTS {path}: cannot read the file "
                                 f"({error.strerror})") from None
    except (ValueError, TypeError, KeyError):
        entries = None
    if not isinstance(entries, list) or not all(isinstance(each, dict) for each in entries):
        raise ConfigurationError(f'CDS_HOOKS_CLIENTS {path}: must be JSON {{"clients": '
                                 '[{"iss": ..., "jwks_url" or "jwks": ...}, ...]}')
    return entries


def load_clients(path: str | None, cooldown_s: float = 30.0) -> dict[str, Client]:
    """``{iss: Client}`` from the JSON file at ``path``; none without a path."""
    if not path:
        return {}
    clients = {}
    for entry in _entries(path):
        iss = entry.get("iss")
        if not isinstance(iss, str) or not iss:
            raise ConfigurationError("CDS client without an iss: each entry names its issuer")
        if ("jwks" in entry) == ("jwks_url" in entry):
            raise ConfigurationError(f"CDS client {iss!r}: give jwks or jwks_url, not both")
        jku = tuple(entry.get("jku", ()))
        urls = [entry["jwks_url"]] if "jwks_url" in entry else []
        for url in (*urls, *jku):
            check_key_url(url, iss)
        try:
            keys = read_jwks(entry["jwks"]) if "jwks" in entry else None
        except KeyServerError as error:
            raise ConfigurationError(f"CDS client {iss!r}: its jwks: {error}") from None
        clients[iss] = Client(iss, keys, entry.get("jwks_url"), jku,
                              {url: KeyServer(url, cooldown_s) for url in (*urls, *jku)})
    return clients


def check_key_url(url: object, iss: str) -> None:
    """Refuse a key URL that is not ``https`` (``http`` to a loopback address aside)."""
    try:
        parts = urlsplit(url) if isinstance(url, str) else None
        _ = parts and parts.port  # raises ValueError for a port that is not a number
    except ValueError:
        parts = None
    if parts is None or parts.scheme not in ("https", "http") or not parts.hostname:
        raise ConfigurationError(f"CDS client {iss!r}: {url!r} is not an http(s) URL")
    if parts.scheme == "http" and not _loopback(parts.hostname):
        raise ConfigurationError(f"CDS client {iss!r}: key URL {url!r} must be https "
                         "(http only to a loopback address)")


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
