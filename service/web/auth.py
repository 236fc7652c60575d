"""Optional API keys: when ``SERVICE_API_KEYS`` names any, every ``/v1/`` request needs one.

Off by default (no keys configured): the service then trusts its network, as before. When on, a
client sends ``Authorization: Bearer <key>`` or ``X-API-Key: <key>``; anything else under
``/v1/``, an unknown path or method included, is a 401 problem with ``WWW-Authenticate: Bearer``,
decided before the body is read. The probes and ``/openapi.yaml`` stay open for orchestrators;
``/readyz`` then shows its engine counters only to a request with a valid key.

Every presented key is compared with every configured key, without an early exit, through
``hmac.compare_digest`` of SHA-256 digests, so neither the position of the first differing byte
nor a key's length shows in the time taken. Keys are never logged: the request's log line names
its id, method, path and status only.
"""

import hashlib
import hmac

from flask import Flask, current_app, request
from werkzeug.datastructures import WWWAuthenticate
from werkzeug.exceptions import Unauthorized

PROTECTED_PREFIX = "/v1/"
API_KEY_HEADER = "X-API-Key"


def presented_keys() -> list[str]:
    """The keys the request carries: a bearer token and an ``X-API-Key``, either or both."""
    keys = []
    scheme, _, token = request.headers.get("Authorization", "").strip().partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        keys.append(token.strip())
    api_key = request.headers.get(API_KEY_HEADER, "").strip()
    if api_key:
        keys.append(api_key)
    return keys


def _digest(key: str) -> bytes:
    # Header values are Latin-1 decoded text; surrogatepass keeps any str encodable.
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).digest()


def any_key_matches(presented: list[str], configured: tuple[str, ...]) -> bool:
    """Whether a presented key is a configured one, comparing every pair in constant time."""
    matched = False
    for candidate in map(_digest, presented):
        for key in configured:
            matched |= hmac.compare_digest(candidate, _digest(key))
    return matched


def key_presented_or_not_needed() -> bool:
    """Whether no keys are configured, or the request carries a valid one."""
    configured = current_app.config.get("API_KEYS") or ()
    return not configured or any_key_matches(presented_keys(), tuple(configured))


def bearer_unauthorized(detail: str) -> Unauthorized:
    """A 401 that asks for a bearer credential: an API key here, a CDS client's JWT in
    service/cds/auth.py."""
    return Unauthorized(detail, www_authenticate=WWWAuthenticate("Bearer"))


def require_api_key() -> None:
    """The one 401 of the API keys: raised unless the request may go on without one."""
    if not key_presented_or_not_needed():
        raise bearer_unauthorized(
            f"Send a valid API key as 'Authorization: Bearer <key>' or '{API_KEY_HEADER}: <key>'.")


def _require_api_key_under_v1() -> None:
    if request.path.startswith(PROTECTED_PREFIX):
        require_api_key()


def register(app: Flask) -> None:
    """Check the key before any other work on a ``/v1/`` request (after a CORS preflight)."""
    app.before_request(_require_api_key_under_v1)
