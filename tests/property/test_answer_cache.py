"""The answer cache changes nothing but speed: cached and uncached answers are identical."""

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from service import create_app
from service.advice.canonical import canonical_key
from service.api.answer_cache import AnswerCache
from service.contract.vocabulary import ARRAY_FIELDS
from tests.support.strategies import valid_profiles

pytestmark = pytest.mark.slow

UNCACHED = create_app({"ANSWER_CACHE_SIZE": 0})
CACHED = create_app({"ANSWER_CACHE_SIZE": 64})


def answer(app, profile):
    response = app.test_client().post("/v1/advice", json=profile)
    assert response.status_code == 200
    return response.get_data()


@settings(max_examples=200, deadline=None)
@given(profile=valid_profiles(), seed=st.integers(0, 2**32 - 1))
def test_a_cached_answer_is_byte_for_byte_the_uncached_one(profile, seed):
    shuffled = dict(profile)
    for field in ARRAY_FIELDS:
        if field in shuffled:
            shuffled[field] = random.Random(seed).sample(shuffled[field], len(shuffled[field]))
    first, again = answer(CACHED, profile), answer(CACHED, shuffled)
    assert first == again == answer(UNCACHED, profile)


def test_the_cache_never_holds_more_than_its_bound():
    app = create_app({"ANSWER_CACHE_SIZE": 5})
    for age in range(20, 40):
        answer(app, {"locations": ["calf"], "age": age})
    assert len(app.extensions[AnswerCache]) == 5


def test_an_empty_list_and_an_absent_field_are_different_keys():
    assert canonical_key({"locations": ["calf"], "conditions": []}) != canonical_key(
        {"locations": ["calf"]}
    )


def test_the_order_of_list_values_and_the_type_of_a_number_do_not_change_the_key():
    assert canonical_key({"locations": ["calf", "foot"], "duration_minutes": 4}) == (
        canonical_key({"locations": ["foot", "calf"], "duration_minutes": 4.0})
    )
