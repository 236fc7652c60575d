"""Fixtures shared by every test: the session app, its one ``client``, the intake Questionnaire,
reported figures.

Helpers (a real gunicorn, builders, raw HTTP, the spec check) live in ``tests/support``; test
modules import from there and never from each other.
"""

import os

import pytest
from hypothesis import settings

from service import create_app
from tests.support.fault_injection import UnhealthyEngine
from tests.support.fhir_builders import QUESTIONNAIRE_PATH
from tests.support.log_capture import all_output  # noqa: F401  (a fixture, for every package)
from tests.support.openapi_check import ConformanceClient


@pytest.fixture(scope="session")
def app():
    """One app per test session: building the engine is the expensive part.

    Its answer cache is off, so every request runs the advice logic a test means to test
    (and can break); tests/property/test_answer_cache.py proves the cache changes nothing.
    CDS Hooks client authentication is off here, as API keys are: tests of the cards call the
    CDS endpoints freely, and tests/integrations/test_cds_auth.py builds apps that trust clients.
    Its public URL is the test client's, so the absolute links it writes point back to it.
    """
    return create_app({"TESTING": True, "ANSWER_CACHE_SIZE": 0, "CDS_HOOKS_AUTH": "off",
                       "PUBLIC_BASE_URL": "http://localhost"})


@pytest.fixture(scope="session")
def unready_app():
    """An app whose engine reports itself unhealthy (tests/support/fault_injection.py)."""
    return create_app({"TESTING": True, "ENGINE_FACTORY": UnhealthyEngine})


@pytest.fixture
def client(app):
    """A test client of the session app that checks every response against openapi.yaml."""
    return ConformanceClient(app, app.response_class, use_cookies=True)


@pytest.fixture(scope="session")
def questionnaire(app) -> dict:
    """The intake Questionnaire, fetched from the service like any FHIR client would."""
    return app.test_client().get(QUESTIONNAIRE_PATH).get_json()


# Locally hypothesis explores new examples on every run; CI replays a fixed set, so a red CI
# always means a regression that the same command reproduces.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


_FIGURES = pytest.StashKey[list]()


@pytest.fixture(scope="session")
def report_figure(pytestconfig):
    """``report_figure("...")``: a line printed in the summary, never an assertion.

    The machine is shared and noisy: a figure that varies twofold between identical runs would
    make a flaky test, yet it is worth seeing in every ``make test``.
    """
    figures = pytestconfig.stash.setdefault(_FIGURES, [])
    return figures.append


def pytest_terminal_summary(terminalreporter, config):
    figures = config.stash.get(_FIGURES, [])
    if figures:
        terminalreporter.section("load figures (reported, not asserted)")
        for line in figures:
            terminalreporter.write_line(line)
