"""Which intake a CDS call's ``prefetch.intake`` holds, and what the cards must say of it.

The prefetch template asks the EHR for the patient's latest finished intake
(``_sort=-authored&_count=1``), but a FHIR server may ignore ``_sort`` and ``_count``, and an
older calf-only intake first in the Bundle must never hide a newer one that reports chest pain.
So the service picks the newest itself, by ``authored``:

* only finished responses (``completed``, ``amended``) are reports; ``in-progress``,
  ``stopped`` and ``entered-in-error`` ones in a Bundle are passed over (a response sent alone,
  not in a Bundle, is read as the EHR's intake and must be finished, or it is a 400);
* ``authored`` may be partial (``2026-12``) and so stands for a period; an intake is a candidate
  for the newest when its period ends after the latest start of any intake's period, and one
  without ``authored`` could be the newest, so it always is;
* when one candidate remains it is read; when several do (same or overlapping dates, or dates
  missing), each is answered and the cards follow the most urgent answer, saying so: choosing
  the wrong one must never hide an emergency.

A call whose prefetch holds no intake at all (``null``, or a Bundle without a finished response)
has nothing to advise on: no cards. One that lacks the key, or whose prefetch failed
(``OperationOutcome``), is the 412 of ``hook_request``: the service does not fetch data itself.
"""

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from service.contract.documents import JSONObject
from service.contract.problems import InvalidInput
from service.interop.fhir.questionnaire_response import STATUSES

_DATE_TIME = re.compile(
    r"(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2})(?:T(?P<hour>\d{2}):(?P<minute>\d{2})"
    r":(?P<second>\d{2})(?:\.(?P<fraction>\d+))?(?P<zone>Z|(?P<sign>[+-])(?P<zone_hours>\d{2})"
    r":(?P<zone_minutes>\d{2})))?)?)?")
#: R4's QuestionnaireResponse statuses; only STATUSES (completed, amended) are reports.
FHIR_STATUSES = ("in-progress", "completed", "amended", "entered-in-error", "stopped")
_EARLIEST, _LATEST = datetime.min.replace(tzinfo=timezone.utc), \
    datetime.max.replace(tzinfo=timezone.utc)


@dataclass(frozen=True)
class Intake:
    """A finished QuestionnaireResponse of the prefetch, where it is, and when it was authored."""

    resource: JSONObject
    path: str
    start: datetime = _EARLIEST
    end: datetime = _LATEST

    def described(self) -> str:
        """Which intake this is and when it was authored, in the card's words."""
        name = (f"QuestionnaireResponse/{self.resource['id']}"
                if isinstance(self.resource.get("id"), str) else f"the response at {self.path}")
        authored = self.resource.get("authored")
        return f"{name}, {f'authored {authored}' if authored else 'with no authored date'}"


def newest(resources: list[tuple[str, JSONObject]]) -> list[Intake]:
    """Every finished intake of ``(path, QuestionnaireResponse)`` pairs that could be the newest,
    in the order given; none when none is finished. A status FHIR does not define is a 400."""
    for path, resource in resources:
        if resource.get("status") not in FHIR_STATUSES:
            raise InvalidInput({f"{path}.status": [
                f"Must be a QuestionnaireResponse status: {', '.join(FHIR_STATUSES)}."]})
    finished = [dated(path, resource) for path, resource in resources
                if resource.get("status") in STATUSES]
    if not finished:
        return []
    latest_start = max(intake.start for intake in finished)
    return [intake for intake in finished if intake.end > latest_start]


def dated(path: str, resource: JSONObject) -> Intake:
    """The intake with the period its ``authored`` stands for; a malformed one is a 400."""
    authored = resource.get("authored")
    if authored is None:
        return Intake(resource, path)
    match = _DATE_TIME.fullmatch(authored) if isinstance(authored, str) else None
    try:
        start, end = _period(match)
    except (TypeError, ValueError):  # no match, or a day or time that does not exist
        raise InvalidInput({f"{path}.authored": [
            "Must be a FHIR dateTime: YYYY, YYYY-MM, YYYY-MM-DD or a time with its zone."]}) \
            from None
    return Intake(resource, path, start, end)


def _period(match: re.Match[str] | None) -> tuple[datetime, datetime]:
    """The instants ``authored`` may stand for: from the start, up to (not including) the end."""
    if match is None:
        raise ValueError("not a FHIR dateTime")
    year, month, day = int(match["year"]), match["month"], match["day"]
    if match["hour"]:
        offset = timedelta(hours=int(match["zone_hours"] or 0),
                           minutes=int(match["zone_minutes"] or 0))
        local = datetime(year, int(month), int(day), int(match["hour"]), int(match["minute"]),
                         int(match["second"]), int((match["fraction"] or "").ljust(6, "0")[:6]),
                         tzinfo=timezone(-offset if match["sign"] == "-" else offset))
        return local, local + timedelta(microseconds=1)
    if day:
        start = datetime(year, int(month), int(day), tzinfo=timezone.utc)
        # A date without a zone: any of the day's hours in any zone, so a day either side.
        return start - timedelta(days=1), start + timedelta(days=2)
    if month:
        start = datetime(year, int(month), 1, tzinfo=timezone.utc)
        following = datetime(year + (month == "12"), int(month) % 12 + 1, 1, tzinfo=timezone.utc)
        return start - timedelta(days=1), following + timedelta(days=1)
    return (datetime(year, 1, 1, tzinfo=timezone.utc) - timedelta(days=1),
            datetime(year + 1, 1, 1, tzinfo=timezone.utc) + timedelta(days=1))
