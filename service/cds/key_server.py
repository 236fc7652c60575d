"""The keys at one key URL of a CDS client: cached, refreshed, fetched by one call at a time.

The CDS Hooks best practices ask a service to "maintain their own rotating cache of public
keys" for a client whose keys are "available at a remote endpoint and cycled on a regular basis"
(docs/best-practices.md of the cds-hooks/docs repository). Here the keys of a URL are kept for
``KEYS_MAX_AGE_S`` and then fetched again (a key the client dropped stops verifying); a ``kid``
not among them fetches them again at most every ``cooldown_s`` (a rotation).

One fetch at a time per URL in a worker, and the calls that waited for it take its outcome
instead of fetching again: with PyJWT's ``PyJWKClient`` (one lock, no memory of a failure) the
calls waiting behind a silent key server each fetched in turn, and of six such calls on two
workers four outlived the worker's deadline (a 408). A failed fetch is remembered until the
cooldown has passed, so a broken key server costs each call a 503 at once, not a wait.
"""

import logging
import math
import threading
import time

import jwt

from service.cds.jwks_fetch import FETCH_DEADLINE_S, KeyServerError, fetch_jwks

#: How long fetched keys are trusted before they are fetched again (PyJWKClient's default).
KEYS_MAX_AGE_S = 300.0
log = logging.getLogger(__name__)


class KeyServer:
    """The signing keys served at ``url``, for the calls of every thread or greenlet."""

    def __init__(self, url: str, cooldown_s: float, deadline_s: float = FETCH_DEADLINE_S):
        self.url = url
        self.cooldown_s = cooldown_s
        self.deadline_s = deadline_s
        self._keys: dict[str, jwt.PyJWK] = {}
        self._fetched_at = -math.inf  # monotonic time of the last fetch that succeeded
        self._tried_at = -math.inf  # of the last fetch, whatever its outcome
        self._failure: KeyServerError | None = None  # the last fetch's, if it failed
        self._fetches = 0  # fetches ended: a waiting call sees whether one ended meanwhile
        self._lock = threading.Lock()

    def key(self, kid: str) -> jwt.PyJWK | None:
        """The key named ``kid``; None if the key server has none; KeyServerError if it failed."""
        key = self._fresh_key(kid)
        if key is not None:
            return key
        fetches = self._fetches
        # A fetch ends within its deadline (jwks_fetch), so this wait does too.
        if not self._lock.acquire(timeout=self.deadline_s + 1.0):
            raise KeyServerError("it did not answer in time")
        try:
            if self._fetches == fetches and self._may_fetch():
                self._fetch()
        finally:
            self._lock.release()
        key = self._fresh_key(kid)
        if key is None and self._failure is not None:
            raise self._failure
        return key

    def _fresh_key(self, kid: str) -> jwt.PyJWK | None:
        if time.monotonic() - self._fetched_at < KEYS_MAX_AGE_S:
            return self._keys.get(kid)
        return None

    def _may_fetch(self) -> bool:
        """Whether to fetch now: the cooldown has passed since the last fetch, or the keys are
        out of date and the last fetch did not fail (a failure waits out the cooldown)."""
        now = time.monotonic()
        stale = now - self._fetched_at >= KEYS_MAX_AGE_S
        return now - self._tried_at >= self.cooldown_s or (stale and self._failure is None)

    def _fetch(self) -> None:
        started = time.monotonic()
        try:
            keys = fetch_jwks(self.url, self.deadline_s)
        except KeyServerError as error:
            self._failure = error
            log.warning("cds key server failed: %s (url=%s, %.0f ms)", error, self.url,
                        (time.monotonic() - started) * 1000)
        else:
            self._keys, self._fetched_at, self._failure = keys, time.monotonic(), None
        finally:
            self._tried_at = time.monotonic()
            self._fetches += 1
