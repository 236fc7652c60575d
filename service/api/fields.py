"""Strict marshmallow fields: a value of the wrong JSON type is an error, never coerced.

marshmallow's own fields are lenient on purpose (``"5"`` loads as an Integer, ``1`` and
``"yes"`` as a Boolean, and ``True`` passes ``isinstance(value, int)``). A health form that
sends the wrong type has a bug its developers should hear about, so these fields accept only
the JSON type the contract names.
"""

import math

from marshmallow import fields


class StrictBoolean(fields.Boolean):
    """A JSON ``true`` or ``false`` and nothing else."""

    def _deserialize(self, value, attr, data, **kwargs):
        if value is True or value is False:
            return value
        raise self.make_error("invalid")


class StrictInteger(fields.Integer):
    """A JSON integer: no boolean, no string, no ``2.0``."""

    def _deserialize(self, value, attr, data, **kwargs):
        if type(value) is int:  # not isinstance: bool is a subclass of int
            return value
        raise self.make_error("invalid")


class StrictNumber(fields.Float):
    """A finite JSON number, integer or not, returned as the client sent it."""

    def _deserialize(self, value, attr, data, **kwargs):
        if type(value) is int:  # checked first: math.isfinite overflows on huge ints
            return value
        if type(value) is not float:
            raise self.make_error("invalid")
        if not math.isfinite(value):  # "1e999" parses as inf without parse_constant seeing it
            raise self.make_error("special")
        return value
