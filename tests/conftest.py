"""Fixtures shared by every test seam."""

import pytest

from service import create_app


@pytest.fixture(scope="session")
def app():
    """One app per test session: building the engine is the expensive part."""
    return create_app({"TESTING": True})
