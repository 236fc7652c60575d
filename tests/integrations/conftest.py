"""Fixtures of the integration tests: the intake Questionnaire as a FHIR client would fetch it."""

import pytest


@pytest.fixture(scope="session")
def questionnaire(app) -> dict:
    """The intake Questionnaire, fetched from the service like any FHIR client would."""
    return app.test_client().get("/v1/fhir/Questionnaire").get_json()
