"""Fixtures shared by every test seam."""

import os

import pytest
from hypothesis import settings

from service import create_app


@pytest.fixture(scope="session")
def app():
    """One app per test session: building the engine is the expensive part."""
    return create_app({"TESTING": True})


# Locally hypothesis explores new examples on every run; CI replays a fixed set, so a red CI
# always means a regression that the same command reproduces.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")
