"""Properties over all profiles: valid ones answer 200, invalid ones 4xx, never a 500."""

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from service.advice import Advisor
from service.contract.vocabulary import ARRAY_FIELDS, URGENCIES
from service.knowledge.checks import fold
from tests.support.strategies import invalid_profiles, valid_profiles

pytestmark = pytest.mark.slow

SETTINGS = settings(max_examples=150, deadline=None)


def advise(app, profile):
    return app.test_client().post("/v1/advice", json=profile)


@SETTINGS
@given(profile=valid_profiles())
def test_every_valid_profile_gets_advice_with_a_disclaimer(app, profile):
    response = advise(app, profile)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["disclaimer"] and body["urgency"] in URGENCIES


@SETTINGS
@given(profile=invalid_profiles())
def test_every_invalid_profile_gets_a_client_error_never_a_server_error(app, profile):
    response = advise(app, profile)
    assert response.status_code == 400, (profile, response.get_json())
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["errors"]


@SETTINGS
@given(profile=valid_profiles(), seed=st.integers(0, 2**32 - 1))
def test_the_answer_does_not_depend_on_the_order_of_list_values(app, profile, seed):
    shuffled = dict(profile)
    shuffler = random.Random(seed)
    for field in ARRAY_FIELDS:
        if field in shuffled:
            shuffled[field] = shuffler.sample(shuffled[field], len(shuffled[field]))
    assert advise(app, shuffled).get_json() == advise(app, profile).get_json()


@SETTINGS
@given(profile=valid_profiles())
def test_a_red_flag_symptom_never_lowers_urgency(app, profile):
    before = advise(app, profile).get_json()["urgency"]
    flagged = dict(profile)
    flagged["symptoms"] = sorted({*profile.get("symptoms", []), "swelling", "redness"})
    flagged["locations"] = sorted({*profile["locations"], "calf"})
    after = advise(app, flagged).get_json()["urgency"]
    assert URGENCIES.index(after) >= URGENCIES.index(before)
    assert after == "urgent"


def sourced_items(answer: dict):
    """Every item of an answer that carries a source."""
    for kind in ("emergency_steps", "cause_groups", "lifestyle_rules", "medication_info",
                 "warnings"):
        yield from answer[kind]


@SETTINGS
@given(profile=valid_profiles())
def test_every_quote_in_an_answer_is_verbatim_from_the_document(app, profile):
    document = fold(app.extensions[Advisor].kb.document)
    answer = advise(app, profile).get_json()
    for item in sourced_items(answer):
        source = item["source"]
        if source["section"] == "safety":
            assert source["basis"] and "quote" not in source
        else:
            assert fold(source["quote"]) in document, item["id"]
        assert item["rules"], item["id"]


@SETTINGS
@given(profile=valid_profiles(), data=st.data())
def test_reporting_one_more_value_never_lowers_urgency(app, profile, data):
    field = data.draw(st.sampled_from(sorted(ARRAY_FIELDS)))
    value = data.draw(st.sampled_from(ARRAY_FIELDS[field]))
    more = dict(profile)
    more[field] = sorted({*profile.get(field, []), value})
    before = advise(app, profile).get_json()["urgency"]
    after = advise(app, more).get_json()["urgency"]
    assert URGENCIES.index(after) >= URGENCIES.index(before)
