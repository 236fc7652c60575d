"""The soak's request mix: about 85 % valid profiles of every shape, 15 % bad input of every kind,
and besides them one request in twenty a person's own words for ``POST /v1/intake/parse``.

Request ``i`` depends only on ``(seed, i)``: a run replays exactly, and a failing request can be
rebuilt from its index whatever order the concurrent connections took the requests in. Valid
profiles come from the contract's vocabulary (service/contract/vocabulary.py): every field
present or absent, every value in time, and red flags in about one profile in ten. Each bad
kind carries the status the contract promises for it. A free text is a few of
``FREE_TEXT_PHRASES`` in random order, up to the 1,000 characters the endpoint takes, so the
parser's memory is watched under load with new words and numbers in every text.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass

from tests.support.bad_input import BAD_KINDS, JSON
from tests.support.profiles import valid_profile

BAD_SHARE = 0.15
FREE_TEXT_SHARE = 0.05
FREE_TEXT = "free_text"
PARSE_PATH = "/v1/intake/parse"
ADVICE_PATH = "/v1/advice"
MAX_TEXT_CHARS = 1000
#: What people write, affirmed, denied, of others, imagined and past; "{n}" is a number.
FREE_TEXT_PHRASES = (
    "my left calf cramps most nights", "both thighs cramp after running", "no swelling",
    "im {n} and on water tablets", "it lasts about {n} minutes", "never smoked",
    "my mum had a blood clot", "if it swells I'll see the GP", "I broke my ankle years ago",
    "toes curl up in bed", "cramps {n} times a week", "a bit red and warm maybe",
    "I'm {n} weeks pregnant", "on atorvastatin", "feel dizzy sometimes", "Zyx{n} quorble",
    "it wakes me up at 3am", "not pregnant", "cola-coloured pee since yesterday",
)


@dataclass(frozen=True)
class MixedRequest:
    kind: str  # "valid" or the kind of bad input
    expected: int  # the status the contract promises
    body: bytes
    content_type: str | None
    profile: dict | None = None  # the profile of a valid request
    path: str = ADVICE_PATH
    text: str | None = None  # the text of a free-text request


def request_at(seed: int, index: int) -> MixedRequest:
    """Request number ``index`` of the mix of ``seed``: the same on every run."""
    rng = random.Random(f"{seed}:{index}")
    if rng.random() < FREE_TEXT_SHARE:
        text = free_text(rng)
        return MixedRequest(FREE_TEXT, 200, json.dumps({"text": text}).encode(), JSON,
                            path=PARSE_PATH, text=text)
    if rng.random() >= BAD_SHARE:
        profile = valid_profile(rng)
        return MixedRequest("valid", 200, json.dumps(profile).encode(), JSON, profile)
    kind = rng.choice(sorted(BAD_KINDS))
    expected, build = BAD_KINDS[kind]
    body, content_type = build(rng)
    return MixedRequest(kind, expected, body, content_type)


def free_text(rng: random.Random) -> str:
    """A person's description: random phrases with random numbers, at most 1,000 characters."""
    phrases = [rng.choice(FREE_TEXT_PHRASES).replace("{n}", str(rng.randint(1, 99)))
               for _ in range(rng.randint(1, 40))]
    return ", ".join(phrases)[:MAX_TEXT_CHARS]
