"""``POST /v1/intake/parse`` with the real parser (service/free_text), as every worker builds it
in ``create_app``: realistic texts through the endpoint, each answer checked against
openapi.yaml by the ``client``. The parser's accuracy is measured on the gold set in
tests/free_text; here, that the endpoint hands the parser's draft on whole and as the contract
says, and that a draft's profile gets advice once the person adds what it lacks.
"""

import pytest

from service.contract.request import load_profile
from tests.support.openapi_check import load_spec

PARSE = "/v1/intake/parse"


def _draft(client, text: str) -> dict:
    response = client.post(PARSE, json={"text": text})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"
    draft = response.get_json()
    chars = list(text)
    for item in [*draft["findings"], *draft["unmapped"]]:
        start, end = item["span"]
        assert "".join(chars[start:end]) == item["text"]
    return draft


def test_the_spec_example_is_what_the_parser_answers_to_the_request_example(client):
    operation = load_spec()["paths"][PARSE]["post"]
    request = operation["requestBody"]["content"]["application/json"]["example"]
    example = load_spec()["components"]["examples"]["IntakeDraft"]["value"]
    assert _draft(client, request["text"]) == example


@pytest.mark.parametrize(("text", "profile", "absent"), [
    ("my left calf cramps most nights for about 5 minutes, no swelling, I'm 72 and on water "
     "tablets",
     {"locations": ["calf"], "side": "one_leg", "frequency": "daily", "duration_minutes": 5,
      "age": 72, "treatments": ["diuretics"]},
     [{"field": "symptoms", "value": "swelling"}]),
    ("Both my thighs cramp twice a week, usually after exercise. I've never smoked.",
     {"locations": ["thigh"], "side": "both_legs", "frequency": "weekly", "smoker": False},
     []),
    ("im 34 weeks pregnant and get foot cramps at night lasting half an hour",
     {"pregnant": True, "pregnancy_trimester": 3, "locations": ["foot"], "time_of_day": "night",
      "duration_minutes": 30},
     []),
])
def test_realistic_texts_become_the_drafts_a_person_would_confirm(client, text, profile, absent):
    draft = _draft(client, text)
    assert draft["draft"] is True
    assert {key: draft["profile"].get(key) for key in profile} == profile
    for item in absent:
        assert item in draft["reported_absent"]
    load_profile({"locations": ["calf"], **draft["profile"]})  # a valid request


def test_what_another_person_has_or_might_happen_is_never_in_the_profile(client):
    draft = _draft(client, "my mum had a blood clot. if my calf swells I'll see the GP. "
                           "my calf cramps at night")
    assert draft["profile"].get("locations") == ["calf"]
    assert "risk_factors" not in draft["profile"]
    assert "symptoms" not in draft["profile"]
    assertions = {(finding["field"], finding["assertion"]) for finding in draft["findings"]}
    assert ("risk_factors", "other_person") in assertions
    assert ("symptoms", "hypothetical") in assertions


def test_a_draft_with_locations_gets_advice_as_it_stands(client):
    draft = _draft(client, "calf cramps every night for ten minutes, I'm 45")
    response = client.post("/v1/advice", json=draft["profile"])
    assert response.status_code == 200
    assert "urgency" in response.get_json()


def test_the_readiness_probe_waits_for_the_parser_and_then_says_ready(client):
    assert client.get("/readyz").status_code == 200
