"""The soak's request mix: about 85 % valid profiles of every shape, 15 % bad input of every kind.

Request ``i`` depends only on ``(seed, i)``: a run replays exactly, and a failing request can be
rebuilt from its index whatever order the concurrent connections took the requests in. Valid
profiles come from the contract's vocabulary (service/contract/vocabulary.py): every field
present or absent, every value in time, and red flags in about one profile in ten. Each bad
kind carries the status the contract promises for it.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass

from tests.support.bad_input import BAD_KINDS, JSON
from tests.support.profiles import valid_profile

BAD_SHARE = 0.15


@dataclass(frozen=True)
class MixedRequest:
    kind: str  # "valid" or the kind of bad input
    expected: int  # the status the contract promises
    body: bytes
    content_type: str | None
    profile: dict | None = None  # the profile of a valid request


def request_at(seed: int, index: int) -> MixedRequest:
    """Request number ``index`` of the mix of ``seed``: the same on every run."""
    rng = random.Random(f"{seed}:{index}")
    if rng.random() >= BAD_SHARE:
        profile = valid_profile(rng)
        return MixedRequest("valid", 200, json.dumps(profile).encode(), JSON, profile)
    kind = rng.choice(sorted(BAD_KINDS))
    expected, build = BAD_KINDS[kind]
    body, content_type = build(rng)
    return MixedRequest(kind, expected, body, content_type)
