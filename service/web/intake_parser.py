"""This worker's free-text parser (``POST /v1/intake/parse``), built once by ``create_app``.

Kept under a concrete class, since :mod:`service.web.wiring` keys its parts by class and the
parser's type is a protocol (service/contract/free_text.py). ``/readyz`` asks :func:`built`:
a worker is not ready before its parser is.
"""

from dataclasses import dataclass

from flask import Flask
from werkzeug.exceptions import ServiceUnavailable

from service.contract.free_text import TextParser
from service.web import wiring


@dataclass(frozen=True)
class IntakeParser:
    """The parser of this process: shared by its requests, which it never changes."""

    parser: TextParser | None


def provide(app: Flask, parser: TextParser | None) -> None:
    """Make ``parser`` the one ``app`` reads texts with (None: none is built)."""
    wiring.provide(app, IntakeParser, IntakeParser(parser))


def built() -> bool:
    """Whether the current app has its parser."""
    return wiring.get(IntakeParser).parser is not None


def parser() -> TextParser:
    """The current app's parser, or a 503 problem when it has none."""
    current = wiring.get(IntakeParser).parser
    if current is None:
        raise ServiceUnavailable("The free-text parser is not built yet; try again later.")
    return current
