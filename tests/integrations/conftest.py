"""Fixtures of the integration tests: the conformance-checking ``client`` of tests/api, and the
intake Questionnaire as a FHIR client would fetch it."""

import pytest

from tests.api.conftest import client  # noqa: F401  (the fixture, shared with tests/api)


@pytest.fixture(scope="session")
def questionnaire(app) -> dict:
    """The intake Questionnaire, fetched from the service like any FHIR client would."""
    return app.test_client().get("/v1/fhir/Questionnaire").get_json()
