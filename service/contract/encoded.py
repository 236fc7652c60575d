"""JSON text written as ``json.dumps(value, separators=(",", ":"))`` writes it (compact, ASCII,
keys in their order), in pieces an answer's parts are made of once (service/advice/prepared.py)
and joined (service/contract/answer.py), instead of encoding every text of every answer.

Property tests prove ``encode`` equal to ``json.dumps`` over any JSON value, and every text an
answer's part carries the JSON of its plain form.
"""

import json
from collections.abc import Iterable
from json.encoder import encode_basestring_ascii as string
from typing import Any

__all__ = ["encode", "members", "string", "strings"]

_OTHER = json.JSONEncoder(separators=(",", ":")).encode  # floats, and dicts with non-str keys


def encode(value: Any) -> str:  # anything json.dumps takes; its exact class decides
    """``value`` as compact ASCII JSON text, exactly as ``json.dumps`` with ``(",", ":")``
    separators writes it."""
    kind = value.__class__
    if kind is str:
        return string(value)
    if kind is list:
        return "[" + ",".join([encode(item) for item in value]) + "]"
    if kind is dict and all(key.__class__ is str for key in value):
        return "{" + members(value) + "}"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return "null"
    if kind is int:
        return int.__repr__(value)
    return _OTHER(value)


def members(fields: dict[str, Any]) -> str:
    """The members of an object's text, ``"a":1,"b":2``, to be joined with others."""
    return ",".join([string(k) + ":" + encode(v) for k, v in fields.items()])


def strings(values: Iterable[str]) -> str:
    """A list of strings as JSON text."""
    return "[" + ",".join(map(string, values)) + "]"
