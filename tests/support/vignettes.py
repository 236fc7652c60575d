"""The independent clinical vignettes (tests/clinical), run through the real app and judged.

Each vignette's profile goes to ``POST /v1/advice`` of ``service.create_app`` (a test client);
tests/support/vignette_judging.py judges the answer against what the vignette's writer
expected. The expected answers are the writer's and are never edited to match the service.
"""

import functools

from service import create_app
from tests.support.vignette_judging import SET, Verdict, judge, read

VIGNETTES: list[dict] = read("vignettes.yaml")
PASSAGES: str = (SET / "passages.md").read_text(encoding="utf-8")


def is_benign(vignette: dict) -> bool:
    """Only self-care or a routine visit accepted."""
    return set(vignette["expected"]["urgency"]) <= {"self_care", "routine"}


def is_emergency_or_urgent(vignette: dict) -> bool:
    """An ambulance expected, or care today accepted."""
    expected = vignette["expected"]
    return expected["call_emergency_services"] or "urgent" in expected["urgency"]


@functools.cache
def verdicts() -> tuple[Verdict, ...]:
    """Every vignette's verdict, from one app per process (answer cache off)."""
    app = create_app({"TESTING": True, "ANSWER_CACHE_SIZE": 0})
    client = app.test_client()
    found = []
    for vignette in VIGNETTES:
        response = client.post("/v1/advice", json=vignette["profile"])
        found.append(judge(vignette, response.status_code, response.get_json()))
    return tuple(found)
