"""A fake free-text parser for the HTTP tests of ``POST /v1/intake/parse``: a handful of
phrases, found by plain search, and "no " just before one makes it absent.

It stands for the real parser (service/free_text) where a test checks the endpoint and not the
reading: its answers are predictable to the character. ``FakeTextParser.texts`` records every
text it was asked to read, so a test can tell whether the endpoint called it at all.
"""

from __future__ import annotations

from pathlib import Path

from service.contract.free_text import Draft, Finding, Unmapped

#: phrase -> (field, value); arrays of the profile are the fields named in ARRAYS.
PHRASES = {
    "calf": ("locations", "calf"),
    "left": ("side", "one_leg"),
    "most nights": ("frequency", "daily"),
    "swelling": ("symptoms", "swelling"),
    "water tablets": ("treatments", "diuretics"),
    "smoked": ("smoker", True),
}
ARRAYS = {"locations", "symptoms", "treatments"}
BOOLEANS = {"smoker"}
#: A phrase the fake cannot place, reported as unmapped.
UNPLACED = "tingly"


class FakeTextParser:
    def __init__(self, lexicon_dir: Path | None = None) -> None:
        self.lexicon_dir = lexicon_dir
        self.texts: list[str] = []

    def parse(self, text: str) -> Draft:
        self.texts.append(text)
        lower = text.lower()
        profile: dict[str, object] = {}
        findings, absent, unmapped = [], [], []
        for phrase, (field, value) in PHRASES.items():
            start = lower.find(phrase)
            if start < 0:
                continue
            end = start + len(phrase)
            denied = lower[max(0, start - 3):start] in ("no ", "er ")  # "no", "never"
            assertion = "absent" if denied else "present"
            findings.append(Finding(field, value, assertion, (start, end), text[start:end]))
            if field in BOOLEANS:
                profile[field] = not denied
            elif denied:
                absent.append((field, value))
            elif field in ARRAYS:
                profile.setdefault(field, [])
                profile[field].append(value)  # type: ignore[attr-defined]
            else:
                profile[field] = value
        start = lower.find(UNPLACED)
        if start >= 0:
            unmapped.append(Unmapped((start, start + len(UNPLACED)),
                                     text[start:start + len(UNPLACED)]))
        return Draft(profile, tuple(findings), tuple(absent), tuple(unmapped))


def fake_parser_factory(lexicon_dir: Path) -> FakeTextParser:
    return FakeTextParser(lexicon_dir)
