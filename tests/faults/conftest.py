"""Fixtures of the fault tests: the answer a healthy app gives, to compare recoveries with."""

import pytest

from tests.support.faults import PROFILE


@pytest.fixture(scope="session")
def healthy_answer(app) -> dict:
    """What the session's untouched app answers to PROFILE: every recovery must match it."""
    response = app.test_client().post("/v1/advice", json=PROFILE)
    assert response.status_code == 200
    return response.get_json()
