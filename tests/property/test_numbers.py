"""A number changes the answer only through the rules' own thresholds, however it is written.

``duration_minutes: 0.00001`` once answered self-care to a swollen red calf: Python wrote the
number as ``1e-05``, which durable-rules' C core could not read, and the evaluation silently
lost every fact. Here numbers are drawn across the whole float range (subnormal, tiny, huge)
and sent written every way JSON allows (exponents, capital E, trailing zeros); each answer must
be exactly the answer of a plain representative of the same region between thresholds, and a
number outside the contract must be a 400.
"""

import json

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from service.advice import Advisor
from service.contract.vocabulary import NUMBER_FIELDS
from tests.support.builders import a_profile
from tests.support.fhir_builders import QUESTIONNAIRE_PATH, SERVICE, cds_request, response_to
from tests.support.strategies import valid_profiles

pytestmark = pytest.mark.slow

TINY = 0.00001
RED_FLAG = a_profile(symptoms=["swelling", "redness"])
WRITINGS = {
    "repr": repr,
    "exponent": lambda x: f"{x:e}",
    "capital exponent": lambda x: f"{x:.17E}",
    "general": lambda x: f"{x:.17g}",
    "fixed": lambda x: f"{x:.330f}".rstrip("0") + "0",
}


def thresholds(app) -> dict[str, list[float]]:
    """Every number a rule compares each numeric field with."""
    found: dict[str, set] = {field: set() for field in NUMBER_FIELDS}
    for rule in app.extensions[Advisor].kb.rules:
        for term in (*rule.all, *rule.any):
            if term.op is not None:
                found[term.fact].add(term.value)
    return {field: sorted(values) for field, values in found.items()}


def representative(value: float, cuts: list[float], low: float, high: float) -> float:
    """A plain value on the same side of every threshold as ``value`` (or equal to it)."""
    if value in cuts:
        return value
    below = max((cut for cut in cuts if cut < value), default=low)
    above = min((cut for cut in cuts if cut > value), default=high)
    return (below + above) / 2


def post_text(client, body: str):
    return client.post("/v1/advice", data=body, content_type="application/json")


def with_number(profile: dict, field: str, text: str) -> str:
    """The profile as JSON text with ``field`` written exactly as ``text``."""
    body = json.dumps({**profile, field: "__NUMBER__"})
    return body.replace('"__NUMBER__"', text)


@settings(max_examples=200, deadline=None)
@given(profile=valid_profiles(),
       value=st.floats(allow_nan=False, allow_infinity=False, allow_subnormal=True),
       writing=st.sampled_from(sorted(WRITINGS)))
@example(profile=RED_FLAG, value=TINY, writing="repr")
@example(profile=RED_FLAG, value=5e-324, writing="repr")
@example(profile=RED_FLAG, value=240.0, writing="capital exponent")
@example(profile=RED_FLAG, value=10.000000000000002, writing="repr")
def test_a_duration_changes_the_answer_only_across_a_threshold(app, profile, value, writing):
    client = app.test_client()
    text = WRITINGS[writing](value)
    sent = float(text)  # what the service reads from that text
    response = post_text(client, with_number(profile, "duration_minutes", text))
    low, high = NUMBER_FIELDS["duration_minutes"]
    if not low < sent <= high:
        assert response.status_code == 400
        assert "duration_minutes" in response.get_json()["errors"]
        return
    plain = representative(sent, thresholds(app)["duration_minutes"], low, high)
    reference = client.post("/v1/advice", json={**profile, "duration_minutes": plain})
    assert response.status_code == 200, response.get_json()
    assert response.get_json() == reference.get_json()


@settings(max_examples=100, deadline=None)
@given(profile=valid_profiles(), value=st.integers(-(2**70), 2**70) | st.integers(0, 120))
def test_an_age_changes_the_answer_only_across_a_threshold(app, profile, value):
    client = app.test_client()
    response = client.post("/v1/advice", json={**profile, "age": value})
    low, high = NUMBER_FIELDS["age"]
    if not low <= value <= high:
        assert response.status_code == 400
        return
    cuts = thresholds(app)["age"]
    same_side = [age for age in range(low, high + 1)
                 if all((age < cut) == (value < cut) and (age == cut) == (value == cut)
                        for cut in cuts)]
    reference = client.post("/v1/advice", json={**profile, "age": same_side[0]})
    assert response.get_json() == reference.get_json()


@pytest.mark.parametrize("text", ["0.00001", "1e-05", "1E-5", "5e-324", "0.1e-3"])
def test_a_tiny_duration_keeps_the_red_flag_as_json(app, text):
    answer = post_text(app.test_client(), with_number(RED_FLAG, "duration_minutes", text))
    assert answer.get_json()["urgency"] == "urgent"
    assert answer.get_json()["trace"]


def test_a_tiny_duration_keeps_the_red_flag_as_a_fhir_value_decimal(app):
    client = app.test_client()
    questionnaire = client.get(QUESTIONNAIRE_PATH).get_json()
    resource = response_to(questionnaire, {**RED_FLAG, "duration_minutes": TINY})
    response = client.post("/v1/advice", data=json.dumps(resource),
                           content_type="application/fhir+json")
    assert response.get_json()["urgency"] == "urgent"


def test_a_tiny_duration_keeps_the_critical_cds_card(app):
    client = app.test_client()
    questionnaire = client.get(QUESTIONNAIRE_PATH).get_json()
    intake = response_to(questionnaire, {**RED_FLAG, "duration_minutes": TINY})
    cards = client.post(SERVICE, json=cds_request(intake)).get_json()["cards"]
    assert cards and cards[0]["indicator"] == "critical"
