"""The parts ``create_app`` wires into an app, kept under their own class and read back typed.

``provide(app, Advisor, advisor)`` once; ``get(Advisor)`` in any request. No string keys, and the
type checker knows what each lookup answers. svcs (hynek/svcs) does the same with more: a
container per request, closed by a teardown, which cost 6-8 µs a request measured here beside a
plain lookup; nothing here needs its per-request lifecycle, so the plain lookup stays.
"""

from typing import TypeVar

from flask import Flask, current_app

T = TypeVar("T")


def provide(app: Flask, kind: type[T], value: T) -> None:
    """Make ``value`` the app's ``kind``."""
    app.extensions[kind] = value


def get(kind: type[T]) -> T:
    """The current app's ``kind``, as ``provide`` set it."""
    value: T = current_app.extensions[kind]
    return value
