"""JSON text of an answer from pieces encoded once, instead of encoding every text each time.

Most of an answer's bytes are the knowledge base's own texts, the same in every answer that
shows an item. So the parts of an answer that are fixed per item, per rule or per question are
encoded once, at start, and each answer's views are :class:`Encoded`: dicts like any other,
that also carry their JSON text, made from the same values when the view is made. :func:`encode`
writes a value as ``json.dumps(value, separators=(",", ":"))`` does (compact, ASCII, keys in
their order), taking an ``Encoded``'s text as it is.

tests/unit/test_encoded.py proves ``encode`` equal to ``json.dumps`` over any JSON value, and
tests/property/test_answer_encoding.py that a served answer is byte for byte the schema's dump.
"""

import json
from json.encoder import encode_basestring_ascii as string

__all__ = ["Encoded", "encode", "members", "string", "strings"]

_OTHER = json.JSONEncoder(separators=(",", ":")).encode  # floats, and dicts with non-str keys


class Encoded(dict):
    """A dict that carries its own JSON text (``json``), made with it from the same values.

    Never changed after it is made: its text would no longer say what it holds.
    """

    __slots__ = ("json",)


def encode(value: object) -> str:
    """``value`` as compact ASCII JSON text, exactly as ``json.dumps`` with ``(",", ":")``
    separators writes it."""
    kind = value.__class__
    if kind is Encoded:
        return value.json
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


def members(fields: dict) -> str:
    """The members of an object's text, ``"a":1,"b":2``, to be joined with others."""
    return ",".join([string(k) + ":" + encode(v) for k, v in fields.items()])


def strings(values) -> str:
    """A list of strings as JSON text."""
    return "[" + ",".join(map(string, values)) + "]"
