"""The answer of ``POST /v1/intake/parse`` (contract 1.2): a draft profile from a person's own
words, never advice.

A parser (``TextParser``) reads the text and answers a :class:`Draft`: every value of the
vocabulary it found, with the characters it came from and whether the text affirmed it, denied
it, said it of another person, only imagined it, or placed it in the past. Only what is
``present`` goes into the draft profile (and a boolean field stated as absent, as ``false``);
the person confirms the draft before asking for advice.
"""

from dataclasses import dataclass
from typing import Protocol

#: The longest text a person may send, in characters (not bytes): longer is a ``400``.
MAX_TEXT_CHARS = 1000
#: How the text holds a finding, as ConText (Harkema 2009) classifies it.
ASSERTIONS = ("present", "absent", "other_person", "hypothetical", "historical")
#: A finding's value: a vocabulary value, a number (minutes, years, trimester) or a boolean.
Value = str | int | float | bool


@dataclass(frozen=True)
class Finding:
    """One value of the vocabulary found in the text; ``text == source[span[0]:span[1]]``."""

    field: str
    value: Value
    assertion: str
    span: tuple[int, int]
    text: str


@dataclass(frozen=True)
class Unmapped:
    """A phrase that looks like a finding but matches no value of the vocabulary."""

    span: tuple[int, int]
    text: str


@dataclass(frozen=True)
class Draft:
    """What the parser made of one text; ``profile`` is a valid request of ``/v1/advice``
    except that it may lack ``locations`` when the text names none."""

    profile: dict[str, object]
    findings: tuple[Finding, ...]
    reported_absent: tuple[tuple[str, Value], ...]
    unmapped: tuple[Unmapped, ...]


class TextParser(Protocol):
    """Reads a person's description of their cramps; built once per worker, safe to share
    between the requests of one worker (gevent greenlets), and never logs the text."""

    def parse(self, text: str) -> Draft: ...
