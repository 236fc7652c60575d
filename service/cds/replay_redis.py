"""The records of used CDS client tokens in Redis, shared by every replica of the service.

``CDS_HOOKS_REPLAY_STORE=redis://host:6379/0`` (``rediss://`` for TLS, ``unix://`` for a
socket; a password goes in the URL). Each token is one key, written with ``SET key 1 NX PX
<remaining lifetime>``: Redis writes it only when it is absent and drops it when the token has
expired, in one step, so two replicas given the same token at once cannot both accept it.

Redis answers a local ``SET`` in well under a millisecond; a second's timeout for connecting and
for each answer is a generous ceiling that still leaves the call far inside the worker's
request deadline. redis-py's default retries (three, with back-off) could outlast it: a command
is retried once, and only when the connection failed (a pooled connection Redis closed when it
restarted). Anything else is a :class:`ReplayStoreError`, so the call is refused, never accepted.
"""

import math
import time

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from service.cds.replay import ReplayStoreError

TIMEOUT_S = 1.0
PREFIX = b"leg-cramps-advice:cds-jti:"


class RedisReplayStore:
    """Token records as Redis keys that expire with their tokens."""

    def __init__(self, url: str):
        self._redis = redis.Redis.from_url(
            url, socket_connect_timeout=TIMEOUT_S, socket_timeout=TIMEOUT_S,
            retry=Retry(NoBackoff(), 1, supported_errors=(redis.ConnectionError,)))
        kwargs = self._redis.get_connection_kwargs()
        #: Where, for the start-up log: never the password the URL may hold.
        self.where = kwargs.get("path") or f"{kwargs.get('host')}:{kwargs.get('port')}"

    def first_use(self, key: bytes, expires_at: float) -> bool:
        ttl_ms = max(1, math.ceil((expires_at - time.time()) * 1000))
        try:
            return bool(self._redis.set(PREFIX + key.hex().encode(), b"1", nx=True, px=ttl_ms))
        except redis.RedisError as error:
            raise ReplayStoreError(f"Redis did not answer ({type(error).__name__})") from None
