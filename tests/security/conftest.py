"""Fixtures of the security tests: switches for keys and CORS, and a real gunicorn.

Keys and CORS are off by default; ``api_keys`` and ``cors_origins`` turn them on for one test by
changing the session app's config, which the hooks read on every request (monkeypatch restores
it afterwards).
"""

import pytest

from tests.support.builders import ALLOWED_ORIGIN, API_KEYS
from tests.support.gunicorn import running_gunicorn


@pytest.fixture
def api_keys(app, monkeypatch):
    monkeypatch.setitem(app.config, "API_KEYS", API_KEYS)
    return API_KEYS


@pytest.fixture
def cors_origins(app, monkeypatch):
    origins = (ALLOWED_ORIGIN, "http://localhost:3000")
    monkeypatch.setitem(app.config, "CORS_ALLOWED_ORIGINS", origins)
    return origins


@pytest.fixture(scope="session")
def gunicorn(tmp_path_factory):
    """The real server with the production gunicorn.conf.py, shared by the socket-level tests."""
    log_path = tmp_path_factory.mktemp("security-gunicorn") / "gunicorn.log"
    with running_gunicorn(log_path, workers=2) as server:
        yield server
