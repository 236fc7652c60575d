"""The worst bodies a client can send within the 64 KiB limit, for every operation with a body.

Each is built to make validation or the error answer as costly as it can: as many bad,
repeated or unknown values as fit, the longest names, the deepest nesting. ``WORST`` maps a
name to ``(path, content type, body)``. tests/security/test_worst_bodies.py checks that each
answers a small 4xx; ``make bench`` (bench/perf.py) times each against a normal request.
"""

from __future__ import annotations

import json

MAX_BODY = 64 * 1024
ADVICE = "/v1/advice"
CDS = "/cds-services/leg-cramps-advice"
FEEDBACK = f"{CDS}/feedback"
JSON = "application/json"
FHIR = "application/fhir+json"
QUESTIONNAIRE = "https://leg-cramps-advice.example/fhir/Questionnaire/leg-cramps-intake"


def compact(value) -> bytes:
    return json.dumps(value, separators=(",", ":")).encode()


def fill(make, unit) -> bytes:
    """``compact(make(n))`` for the largest ``n`` that keeps it within the limit."""
    low, high = 1, MAX_BODY
    while low < high:
        middle = (low + high + 1) // 2
        if len(compact(make(middle, unit))) <= MAX_BODY:
            low = middle
        else:
            high = middle - 1
    return compact(make(low, unit))


def _profile_with(field: str):
    return lambda n, unit: {"locations": ["calf"], field: [unit] * n}


def _unknown_fields(n, unit):
    return {"locations": ["calf"], **{f"{unit}{i}": 0 for i in range(n)}}


def _intake(items: list) -> dict:
    return {"resourceType": "QuestionnaireResponse", "status": "completed",
            "questionnaire": QUESTIONNAIRE, "item": items}


def _fhir_unknown_items(n, unit):
    return _intake([{"linkId": f"{unit}{i}"} for i in range(n)])


def _fhir_many_answers(n, unit):
    return _intake([{"linkId": "conditions", "answer": [{"valueCoding": {"code": unit}}] * n}])


def _cds_call(intake: dict) -> dict:
    return {"hook": "patient-view", "hookInstance": "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea",
            "context": {"userId": "Practitioner/1", "patientId": "1"},
            "prefetch": {"intake": intake}}


def _cds_unknown_fields(n, unit):
    return {**_cds_call(_intake([])), **{f"{unit}{i}": 0 for i in range(n)}}


def _cds_bad_intake(n, unit):
    return _cds_call(_intake([{"linkId": "conditions",
                               "answer": [{"valueCoding": {"code": unit}}] * n}]))


def _feedback(n, unit):
    return {"feedback": [unit] * n}


def _nested(depth: int) -> bytes:
    return b'{"locations":' + b"[" * depth + b"]" * depth + b"}"


WORST: dict[str, tuple[str, str, bytes]] = {
    "repeated location": (ADVICE, JSON, fill(_profile_with("locations"), "calf")),
    "unknown conditions": (ADVICE, JSON, fill(_profile_with("conditions"), "x")),
    "repeated valid conditions": (ADVICE, JSON, fill(_profile_with("conditions"), "diabetes")),
    "non-string symptoms": (ADVICE, JSON, fill(_profile_with("symptoms"), {})),
    "unknown fields": (ADVICE, JSON, fill(_unknown_fields, "k")),
    "one 64 KiB field name": (ADVICE, JSON, compact({"locations": ["calf"],
                                                      "k" * (MAX_BODY - 40): 0})),
    "one 64 KiB value": (ADVICE, JSON, compact({"locations": ["x" * (MAX_BODY - 40)]})),
    "deep nesting": (ADVICE, JSON, _nested((MAX_BODY - 20) // 2)),
    "a 60,000-digit number": (ADVICE, JSON, b'{"locations":["calf"],"age":'
                              + b"9" * 60_000 + b"}"),
    "FHIR unknown items": (ADVICE, FHIR, fill(_fhir_unknown_items, "i")),
    "FHIR many bad answers": (ADVICE, FHIR, fill(_fhir_many_answers, "x")),
    "CDS unknown fields": (CDS, JSON, fill(_cds_unknown_fields, "k")),
    "CDS intake of bad answers": (CDS, JSON, fill(_cds_bad_intake, "x")),
    "CDS feedback of empty entries": (FEEDBACK, JSON, fill(_feedback, {})),
    "CDS feedback of bad timestamps": (FEEDBACK, JSON, fill(_feedback, {
        "card": "c", "outcome": "overridden", "outcomeTimestamp": "2025-01-15T10:00:00.0Z!"})),
}
