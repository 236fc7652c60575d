"""Capturing everything the service logs, and the values a person sent that must not be in it."""

import io
import logging
import re
from itertools import zip_longest

import pytest

from service.contract.vocabulary import ARRAY_FIELDS, ENUM_FIELDS
from tests.support.builders import a_profile

LOGGERS = ("service", "werkzeug", "durable", "flask.app")
UNUSUAL_AGE, UNUSUAL_DURATION = 87, 13.75  # two decimals: never a duration_ms=%.1f
INVALID = [
    {"locations": ["calfs"], "conditions": ["diabetis"], "sex": "femme"},
    {"locations": ["calf"], "age": 187, "duration_minutes": -13.75, "smoker": "yes"},
    {"locations": ["foot", "foot"], "pregnancy_trimester": 2, "colour": "crimson"},
]
INVALID_VALUES = ["calfs", "diabetis", "femme", "187", "crimson", "colour"]


def valid_profiles() -> list[dict]:
    """Profiles that send every value of every vocabulary at least once."""
    arrays = {field: list(values) for field, values in ARRAY_FIELDS.items()}
    enums = zip_longest(*ENUM_FIELDS.values())
    return [
        a_profile(**arrays, **{field: value for field, value in zip(ENUM_FIELDS, combo, strict=True)
                               if value is not None},
                  age=UNUSUAL_AGE, duration_minutes=UNUSUAL_DURATION, active_now=True)
        for combo in enums
    ]


def sent_values() -> set[str]:
    values = {value for values in (*ARRAY_FIELDS.values(), *ENUM_FIELDS.values())
              for value in values}
    return values | {str(UNUSUAL_AGE), str(UNUSUAL_DURATION), *INVALID_VALUES}


def appears(value: str, text: str) -> bool:
    """As a word of its own: "male" is not in "female", 87 is not in a request id's hex."""
    return re.search(rf"(?<![\w.]){re.escape(value)}(?![\w])", text) is not None


@pytest.fixture
def all_output(caplog, capfd):
    """Capture everything, then hand back a function that returns it as one text.

    The service's own handlers (JSON lines to stdout, the rest to stderr) keep the streams they
    were built with, so for the test they write to a buffer: what they write is checked too,
    not only the records.
    """
    caplog.set_level(logging.DEBUG)
    for name in LOGGERS:
        caplog.set_level(logging.DEBUG, logger=name)
    handlers = [handler for handler in logging.getLogger("service").handlers
                if type(handler) is logging.StreamHandler]
    streams = [handler.stream for handler in handlers]
    buffer = io.StringIO()
    for handler in handlers:
        handler.setStream(buffer)

    def text() -> str:
        out, err = capfd.readouterr()
        records = [f"{record.name} {record.getMessage()} {record.exc_text or ''}"
                   for record in caplog.records]
        return "\n".join([*records, buffer.getvalue(), out, err])

    yield text
    for handler, stream in zip(handlers, streams, strict=True):
        handler.setStream(stream)
