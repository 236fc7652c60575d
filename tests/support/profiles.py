"""Valid profiles of every shape, from the contract's vocabulary (service/contract/vocabulary.py).

Every optional field is present or absent at random, every value turns up in time, and about one
profile in ten carries a red flag (the safety layer's urgent findings). ``vocabulary_values`` and
``values_of`` let a run check that it really sent every value.
"""

from __future__ import annotations

import random

from service.contract.vocabulary import ARRAY_FIELDS, BOOLEAN_FIELDS, ENUM_FIELDS, REQUEST_FIELDS

RED_FLAGS = ({"symptoms": ["swelling", "redness"]}, {"symptoms": ["swelling", "warmth"]},
             {"conditions": ["heavy_bleeding"]})


def valid_profile(rng: random.Random) -> dict:
    """A profile the contract accepts: each optional field present or absent, at random."""
    profile = {"locations": rng.sample(ARRAY_FIELDS["locations"], rng.randint(1, 4))}
    for field in REQUEST_FIELDS:
        if field in ("locations", "pregnancy_trimester") or rng.random() < 0.5:
            continue
        if field in ARRAY_FIELDS:
            values = ARRAY_FIELDS[field]
            profile[field] = rng.sample(values, rng.randint(0, len(values)))
        elif field in ENUM_FIELDS:
            profile[field] = rng.choice(ENUM_FIELDS[field])
        elif field in BOOLEAN_FIELDS:
            profile[field] = rng.random() < 0.5
        elif field == "age":
            profile[field] = rng.randint(0, 120)
        else:  # duration_minutes: > 0 and <= 240, integers and fractions
            profile[field] = rng.choice([rng.randint(1, 240), round(rng.uniform(0.01, 240), 2),
                                         240])
    if profile.get("pregnant") and rng.random() < 0.75:
        profile["pregnancy_trimester"] = rng.randint(1, 3)
    if rng.random() < 0.1:
        for field, values in rng.choice(RED_FLAGS).items():
            profile[field] = sorted(set(profile.get(field, [])) | set(values))
    return profile


def intake_profile(rng: random.Random) -> dict:
    """A profile as a person fills in the intake: one or two places, when, how often and how
    long, a few values of each list, often an age and a sex. Every value of the vocabulary can
    come up, but a profile carries a few, not half of them (make bench's diverse traffic)."""
    profile = {"locations": rng.sample(ARRAY_FIELDS["locations"], rng.randint(1, 2))}
    for field, values in ENUM_FIELDS.items():
        if rng.random() < 0.7:
            profile[field] = rng.choice(values)
    for field, values in ARRAY_FIELDS.items():
        if field != "locations" and rng.random() < 0.4:
            profile[field] = rng.sample(values, rng.randint(1, min(3, len(values))))
    if rng.random() < 0.7:
        profile["duration_minutes"] = rng.choice([rng.randint(1, 15), round(rng.uniform(0.5, 30),
                                                                             1)])
    if rng.random() < 0.8:
        profile["age"] = rng.randint(0, 100)
    for field in BOOLEAN_FIELDS:
        if rng.random() < 0.4:
            profile[field] = rng.random() < 0.3
    if profile.get("pregnant") and rng.random() < 0.75:
        profile["pregnancy_trimester"] = rng.randint(1, 3)
    return profile


def vocabulary_values() -> set[str]:
    """Every ``field=value`` a valid profile can carry, plus ``field=absent`` for each option."""
    values = {f"{f}={v}" for f, vs in {**ARRAY_FIELDS, **ENUM_FIELDS}.items() for v in vs}
    values |= {f"{f}={b}" for f in BOOLEAN_FIELDS for b in (True, False)}
    values |= {f"pregnancy_trimester={t}" for t in (1, 2, 3)}
    return values | {f"{f}=absent" for f in REQUEST_FIELDS if f != "locations"}


def values_of(profile: dict) -> set[str]:
    """The ``field=value`` entries of ``vocabulary_values()`` that ``profile`` shows."""
    seen = {f"{f}=absent" for f in REQUEST_FIELDS if f not in profile}
    for field, value in profile.items():
        seen |= {f"{field}={v}" for v in (value if isinstance(value, list) else [value])}
    return seen
