"""The request and the JSON answer of ``POST /v1/intake/parse`` (contract 1.2).

The request is ``{"text": "..."}``: a string of at most :data:`MAX_TEXT_CHARS` characters
(characters, not bytes: a person writing in Greek gets as many as one writing in English), and
no other field. The answer is a parser's :class:`Draft` as JSON, spans as two-element arrays and
``draft: true`` always, since a person must confirm it before asking for advice.

Neither the loader nor its problems repeat the text: a ``400`` says how long it was, never what
it said.
"""

from typing import Any

from service.contract.free_text import MAX_TEXT_CHARS, Draft
from service.contract.problems import InvalidInput, Problems

#: The one field of the request.
TEXT = "text"


def load_intake_text(body: object) -> str:
    """The text of a parse request, or an ``InvalidInput`` naming each offending field."""
    if not isinstance(body, dict):
        raise InvalidInput({"_schema": ["The request body must be a JSON object."]})
    problems = Problems()
    text = body.get(TEXT)
    if TEXT not in body:
        problems.add(TEXT, "Missing data for required field.")
    elif not isinstance(text, str):
        problems.add(TEXT, "Not a valid string.")
    elif len(text) > MAX_TEXT_CHARS:
        problems.add(TEXT, f"At most {MAX_TEXT_CHARS:,} characters; this text has "
                           f"{len(text):,}.")
    for key in body:
        if key != TEXT:
            problems.add(key, "Unknown field.")
    problems.raise_any()
    return str(text)  # a str already: every other case raised above


def draft_json(draft: Draft) -> dict[str, Any]:
    """The answer of ``POST /v1/intake/parse``: the draft in the contract's order of fields."""
    return {
        "profile": draft.profile,
        "findings": [{"field": finding.field, "value": finding.value,
                      "assertion": finding.assertion, "span": list(finding.span),
                      "text": finding.text} for finding in draft.findings],
        "reported_absent": [{"field": field, "value": value}
                            for field, value in draft.reported_absent],
        "unmapped": [{"span": list(item.span), "text": item.text} for item in draft.unmapped],
        "draft": True,
    }
