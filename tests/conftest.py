"""Fixtures shared by every test seam."""

import os

import pytest
from hypothesis import settings

from service import create_app


@pytest.fixture(scope="session")
def app():
    """One app per test session: building the engine is the expensive part.

    Its answer cache is off, so every request runs the advice logic a test means to test
    (and can break); tests/property/test_answer_cache.py proves the cache changes nothing.
    """
    return create_app({"TESTING": True, "ANSWER_CACHE_SIZE": 0})


# Locally hypothesis explores new examples on every run; CI replays a fixed set, so a red CI
# always means a regression that the same command reproduces.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")
