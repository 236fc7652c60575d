"""Fixtures of the integration tests: the intake Questionnaire as a FHIR client would fetch it."""

import pytest

from tests.support.fhir_builders import QUESTIONNAIRE_PATH


@pytest.fixture(scope="session")
def questionnaire(app) -> dict:
    """The intake Questionnaire, fetched from the service like any FHIR client would."""
    return app.test_client().get(QUESTIONNAIRE_PATH).get_json()
