"""Bad input of every kind the contract names, each with the status it promises (BAD_KINDS).

Each builder takes a seeded ``random.Random`` and returns ``(body, content type)``: a valid
profile broken in one way, or a body that is not a profile at all.
"""

from __future__ import annotations

import json

from service.contract.vocabulary import ARRAY_FIELDS, BOOLEAN_FIELDS, ENUM_FIELDS, REQUEST_FIELDS
from tests.support.profiles import valid_profile

MAX_BODY = 64 * 1024
JSON = "application/json"
_WRONG_TYPES = {"array": ["calf", 3, {"calf": True}, None, [1]],
                "enum": [["night"], 1, True, None], "boolean": ["true", 1, 0, None, "yes"],
                "number": ["30", True, [5], None, {}]}


def _json(value) -> tuple[bytes, str]:
    return json.dumps(value).encode(), JSON


def _unknown_enum(rng):
    profile, field = valid_profile(rng), rng.choice([*ARRAY_FIELDS, *ENUM_FIELDS])
    typo = rng.choice(["diabetis", "nite", "calff", "Calf", "weekly ", ""])
    profile[field] = [*profile.get(field, []), typo] if field in ARRAY_FIELDS else typo
    return _json(profile)


def _wrong_type(rng):
    profile, field = valid_profile(rng), rng.choice(REQUEST_FIELDS)
    kind = ("array" if field in ARRAY_FIELDS else "enum" if field in ENUM_FIELDS
            else "boolean" if field in BOOLEAN_FIELDS else "number")
    profile[field] = rng.choice(_WRONG_TYPES[kind] + ([2.5] if field != "duration_minutes" else []))
    return _json(profile)


def _unknown_field(rng):
    name = rng.choice(["diabetes", "colour", "Locations", "time-of-day", "symptom", "notes"])
    return _json({**valid_profile(rng), name: rng.choice([True, 1, "x", None, [], {}])})


def _duplicate_value(rng):
    profile, field = valid_profile(rng), rng.choice(list(ARRAY_FIELDS))
    profile[field] = [rng.choice(ARRAY_FIELDS[field])] * 2
    return _json(profile)


def _duplicate_key(rng):
    profile = valid_profile(rng)
    key = rng.choice(list(profile))
    text = json.dumps(profile)
    return f"{text[:-1]}, {json.dumps(key)}: {json.dumps(profile[key])}}}".encode(), JSON


def _nan_literal(rng):
    profile = valid_profile(rng)
    profile[rng.choice(["duration_minutes", "age"])] = rng.choice(["NaN", "Infinity", "-Infinity"])
    return json.dumps(profile).replace('"NaN"', "NaN").replace('"Infinity"', "Infinity") \
        .replace('"-Infinity"', "-Infinity").encode(), JSON


def _malformed_json(rng):
    text = json.dumps(valid_profile(rng))
    broken = rng.choice([text[:rng.randrange(len(text))], text.replace('"', "'"),
                         text[:-1] + ",}", text.replace('"', "", 2), "{locations: [calf]}"])
    return broken.encode(), JSON


def _not_json(rng):
    content_type = rng.choice(["text/plain", "application/x-www-form-urlencoded", None,
                               "application/json; charset=latin-1", "application/xml"])
    return json.dumps(valid_profile(rng)).encode(), content_type


def _too_large(rng):
    text = json.dumps(valid_profile(rng))
    return (text[:-1] + " " * (MAX_BODY - len(text) + rng.randint(1, 4096)) + "}").encode(), JSON


def _non_object(rng):
    return rng.choice([b"[]", b'["calf"]', b'"calf"', b"42", b"null", b"true",
                       b'[{"locations": ["calf"]}]']), JSON


def _trimester_without_pregnancy(rng):
    profile = {k: v for k, v in valid_profile(rng).items() if k != "pregnant"}
    if rng.random() < 0.5:
        profile["pregnant"] = False
    return _json({**profile, "pregnancy_trimester": rng.randint(1, 3)})


def _deeply_nested(rng):
    depth = rng.choice([50, 1_000, 5_000, 10_000])  # 10,000 objects: 60 KB, under the limit
    opening, closing = rng.choice([("[", "]"), ('{"a":', "}")])
    return f'{{"locations": {opening * depth}1{closing * depth}}}'.encode(), JSON


def _out_of_range(rng):
    field, value = rng.choice([("age", 121), ("age", -1), ("duration_minutes", 0),
                               ("duration_minutes", 240.5), ("pregnancy_trimester", 4)])
    extra = {"pregnant": True} if field == "pregnancy_trimester" else {}
    return _json({**valid_profile(rng), **extra, field: value})


def _no_locations(rng):
    profile = valid_profile(rng)
    return _json({**profile, "locations": []} if rng.random() < 0.5
                 else {k: v for k, v in profile.items() if k != "locations"})


BAD_KINDS = {
    "unknown_enum": (400, _unknown_enum), "wrong_type": (400, _wrong_type),
    "unknown_field": (400, _unknown_field), "duplicate_value": (400, _duplicate_value),
    "duplicate_key": (400, _duplicate_key), "nan_literal": (400, _nan_literal),
    "malformed_json": (400, _malformed_json), "not_json_content_type": (415, _not_json),
    "body_over_64_kib": (413, _too_large), "non_object_body": (400, _non_object),
    "trimester_without_pregnancy": (400, _trimester_without_pregnancy),
    "deeply_nested": (400, _deeply_nested), "out_of_range": (400, _out_of_range),
    "no_locations": (400, _no_locations),
}
