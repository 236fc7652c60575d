"""The parts ``create_app`` wires into an app, kept under their own class and read back typed.

``provide(app, Advisor, advisor)`` once; ``get(Advisor)`` in any request. No string keys, and the
type checker knows what each lookup answers. svcs (hynek/svcs) does the same with more: a
container per request, closed by a teardown, which cost 6-8 µs a request measured here beside a
plain lookup; nothing here needs its per-request lifecycle, so the plain lookup stays.
"""

from typing import Any, TypeVar, cast

from flask import Flask, current_app

T = TypeVar("T")


def provide(app: Flask, kind: type[T], value: T) -> None:
    """Make ``value`` the app's ``kind``."""
    _parts(app)[kind] = value


def get(kind: type[T]) -> T:
    """The current app's ``kind``, as ``provide`` set it."""
    value: T = _parts(current_app)[kind]
    return value


def of(app: Flask, kind: type[T]) -> T:
    """``app``'s ``kind``, as ``provide`` set it, outside a request (``init_app``)."""
    value: T = _parts(app)[kind]
    return value


def _parts(app: Flask) -> dict[type, Any]:
    # Flask annotates extensions dict[str, Any]: a plain dict, which takes the classes as keys.
    return cast("dict[type, Any]", app.extensions)
