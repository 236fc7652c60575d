"""The profile generators of the soak and the bench: valid, and covering the whole vocabulary.

``valid_profile`` (every shape, the soak's mix) and ``intake_profile`` (a few values of each
field, as people fill in the intake: make bench's diverse traffic) must only make profiles the
contract accepts, and between them, in a few thousand draws, send every value of the v1.1
vocabulary, so a figure measured with them covers every rule the vocabulary can reach.
"""

import random

import pytest

from service.contract.request import load_profile
from tests.support.profiles import intake_profile, valid_profile, values_of, vocabulary_values

GENERATORS = {"valid_profile": valid_profile, "intake_profile": intake_profile}


@pytest.mark.parametrize("name", GENERATORS)
def test_every_generated_profile_is_valid_and_every_value_comes_up(app, name):
    rng = random.Random(f"generators:{name}")
    profiles = [GENERATORS[name](rng) for _ in range(3000)]

    with app.test_request_context():
        for profile in profiles:
            load_profile(profile)  # raises on a profile the contract refuses
    assert vocabulary_values() - set().union(*map(values_of, profiles)) == set()


def test_an_intake_profile_carries_a_few_values_of_each_list_not_half_of_them():
    rng = random.Random("generators:few")
    largest = max(len(values) for _ in range(3000) for values in intake_profile(rng).values()
                  if isinstance(values, list))

    assert largest == 3
