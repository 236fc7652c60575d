"""A bounded cache of rendered answers, keyed by the canonical form of the profile.

An answer is a pure function of the canonical profile within one knowledge-base version (one
process), so a repeated profile can be answered with the bytes rendered the first time:
no engine run, no schema dump, no JSON encoding. The route also keeps each answer under the
exact request that asked for it (media type and a SHA-256 of the body): the same bytes always
make the same profile, so a body sent again is answered before it is even parsed. The cache is
per process and bounded (cachetools' least-recently-used policy) in entries, an answer taking
one or two; ``ANSWER_CACHE_SIZE = 0`` turns it off.
"""

import threading
from collections.abc import Hashable
from typing import NamedTuple

from cachetools import LRUCache


class Rendered(NamedTuple):
    """What a request needs of an answer: its body, and what operators may count."""

    body: bytes
    urgency: str
    rules: tuple[str, ...]


class AnswerCache:
    """A thread-safe least-recently-used mapping with at most ``size`` entries."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._entries: LRUCache[Hashable, Rendered] = LRUCache(maxsize=max(size, 1))
        self._lock = threading.Lock()  # cachetools' caches are not thread-safe themselves

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: Hashable | None) -> Rendered | None:
        if key is None:
            return None
        with self._lock:
            return self._entries.get(key)

    def put(self, key: Hashable | None, rendered: Rendered) -> None:
        if self.size <= 0 or key is None:
            return
        with self._lock:
            self._entries[key] = rendered
