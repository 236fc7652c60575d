"""Strict marshmallow fields: a value of the wrong JSON type is an error, never coerced.

marshmallow's own fields are lenient on purpose (``"5"`` loads as an Integer, ``1`` and
``"yes"`` as a Boolean, and ``True`` passes ``isinstance(value, int)``). A health form that
sends the wrong type has a bug its developers should hear about, so these fields accept only
the JSON type the contract names.
"""

import math
from collections import Counter
from collections.abc import Mapping
from typing import Any

from marshmallow import ValidationError, fields

from service.contract.problems import cut

#: How much of a client's value an error message repeats.
SHOWN_VALUE = 40


class StrictBoolean(fields.Boolean):
    """A JSON ``true`` or ``false`` and nothing else."""

    def _deserialize(self, value: Any, attr: str | None, data: Mapping[str, Any] | None,
                     **kwargs: Any) -> bool:
        if value is True or value is False:
            return value
        raise self.make_error("invalid")


class StrictInteger(fields.Integer):
    """A JSON integer: no boolean, no string, no ``2.0``."""

    def _deserialize(self, value: Any, attr: str | None, data: Mapping[str, Any] | None,
                     **kwargs: Any) -> int:
        if type(value) is int:  # not isinstance: bool is a subclass of int
            return value
        raise self.make_error("invalid")


class StrictNumber(fields.Float):
    """A finite JSON number, integer or not, returned as the client sent it."""

    def _deserialize(self, value: Any, attr: str | None, data: Mapping[str, Any] | None,
                     **kwargs: Any) -> float:
        if type(value) is int:  # checked first: math.isfinite overflows on huge ints
            return value
        if type(value) is not float:
            raise self.make_error("invalid")
        if not math.isfinite(value):  # "1e999" parses as inf without parse_constant seeing it
            raise self.make_error("special")
        return value


class EnumSet(fields.Field[list[str]]):
    """A JSON array of distinct values of a vocabulary, checked in one linear pass.

    Written by hand because marshmallow's ``List(String(validate=OneOf(...)))`` repeats every
    allowed value in each bad item's message, and its validators only run after every item:
    a 64 KiB body of 21,832 unknown values got a 7.3 MB answer, and a duplicate check by
    ``list.count`` took 0.7 s for 9,360 repeats. Here an array longer than the vocabulary can
    be (its values are distinct) is refused unread, and the allowed values are said once.
    """

    def __init__(self, choices: tuple[str, ...], min_items: int = 0,
                 max_items: int | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.choices = frozenset(choices)
        self.listed = ", ".join(choices)
        self.min_items = min_items
        self.max_items = len(choices) if max_items is None else max_items

    def _deserialize(self, value: Any, attr: str | None, data: Mapping[str, Any] | None,
                     **kwargs: Any) -> list[str]:
        if not isinstance(value, list):
            raise ValidationError("Not a valid list.")
        if not self.min_items <= len(value) <= self.max_items:
            raise ValidationError(
                f"Must hold {self.min_items} to {self.max_items} distinct values; "
                f"got {len(value):,}.")
        problems = [f"Item {index}: {_problem(item, self.choices)}"
                    for index, item in enumerate(value)
                    if not isinstance(item, str) or item not in self.choices]
        if problems:
            raise ValidationError([f"Must be one of: {self.listed}.", *problems])
        repeated = sorted(item for item, count in Counter(value).items() if count > 1)
        if repeated:
            raise ValidationError(f"Values must be distinct; repeated: {', '.join(repeated)}.")
        return value


def _problem(item: object, choices: frozenset[str]) -> str:
    if not isinstance(item, str):
        return "Not a valid string."
    return f"{cut(item, SHOWN_VALUE)!r} is not an allowed value."
