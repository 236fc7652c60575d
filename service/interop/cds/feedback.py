"""Reading CDS Hooks 2.0 feedback: what a clinician did with a card (accepted, overridden).

The service keeps no state, so it cannot tell its own card uuids from others; it checks that the
feedback has the specification's shape, and counts outcomes in its log, without card ids or
comments (a user's comment may describe the patient); an override reason is counted by its
code when it is one of those the cards offer.
"""

import re
from datetime import datetime

from service.contract.documents import JSONObject
from service.contract.problems import InvalidInput, Problems
from service.interop.cds.hook_request import is_text
from service.interop.fhir.requests import OVERRIDE_REASONS, OVERRIDE_REASONS_SYSTEM

OUTCOMES = ("accepted", "overridden")
_DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})")


def read_feedback(body: object) -> list[JSONObject]:
    """The feedback entries of a feedback call, each checked against the specification."""
    entries = body.get("feedback") if isinstance(body, dict) else None
    if not isinstance(body, dict) or not isinstance(entries, list) or not entries:
        raise InvalidInput({"feedback": ["Required: a non-empty array of feedback entries."]})
    problems = Problems()
    for key in sorted(body.keys() - {"feedback", "extension"}):
        problems.add(key, "Not a field of a CDS Hooks feedback request.")
    problems.check(isinstance(body.get("extension", {}), dict), "extension", "Must be an object.")
    for index, entry in enumerate(entries):
        if problems.full:
            problems.unchecked(len(entries) - index, "feedback entries")
            break
        path = f"feedback.{index}"
        if not isinstance(entry, dict):
            problems.add(path, "Must be an object.")
            continue
        problems.check(is_text(entry.get("card")), f"{path}.card", "Required: the card's uuid.")
        outcome = entry.get("outcome")
        problems.check(outcome in OUTCOMES, f"{path}.outcome", f"Must be {' or '.join(OUTCOMES)}.")
        problems.check(_timestamp(entry.get("outcomeTimestamp")), f"{path}.outcomeTimestamp",
                       "Required: when the user acted, as an ISO 8601 timestamp.")
        problems.check(outcome != "accepted" or "acceptedSuggestions" in entry,
                       f"{path}.acceptedSuggestions", "Required for an accepted outcome.")
        accepted = entry.get("acceptedSuggestions", [{"id": "-"}])
        problems.check(isinstance(accepted, list) and accepted != [] and all(
            isinstance(s, dict) and is_text(s.get("id")) for s in accepted
        ), f"{path}.acceptedSuggestions", "A non-empty array of objects, each with an id.")
        override = entry.get("overrideReason", {})
        problems.check(isinstance(override, dict), f"{path}.overrideReason", "Must be an object.")
        if isinstance(override, dict):
            problems.check(isinstance(override.get("reason", {}), dict),
                           f"{path}.overrideReason.reason", "Must be a Coding (an object).")
            problems.check(isinstance(override.get("userComment", ""), str),
                           f"{path}.overrideReason.userComment", "Must be a string.")
    problems.raise_any("The CDS Hooks feedback is malformed; see errors.")
    return entries


def override_reason(entry: JSONObject) -> str:
    """The code of an entry's override reason, if it is one the cards offer; else ``other``
    (a code of another system is the client's own, and is never logged)."""
    reason = entry["overrideReason"].get("reason")
    if (isinstance(reason, dict) and reason.get("system") == OVERRIDE_REASONS_SYSTEM
            and reason.get("code") in OVERRIDE_REASONS):
        code: str = reason["code"]  # one of OVERRIDE_REASONS
        return code
    return "other"


def _timestamp(value: object) -> bool:
    """An RFC 3339 date-time (JSON Schema's ``date-time``): date, time and offset."""
    if not isinstance(value, str) or _DATE_TIME.fullmatch(value) is None:
        return False
    if value[17:19] == "60":  # a leap second, which RFC 3339 allows and datetime does not
        value = f"{value[:17]}59{value[19:]}"
    try:
        datetime.fromisoformat(value.upper().replace("Z", "+00:00"))
    except ValueError:  # e.g. month 13
        return False
    return True
