"""Fixtures of the security tests: switches for keys and CORS, and a real gunicorn.

Keys and CORS are off by default; ``api_keys`` and ``cors_origins`` turn them on for one test by
changing the session app's config, which the hooks read on every request (monkeypatch restores
it afterwards).
"""

import pytest

from tests.support.builders import ALLOWED_ORIGIN, API_KEYS
from tests.support.cds_tokens import CDS_BASE_URL, TRUSTED, clients_file
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
    """The real server with the production gunicorn.conf.py, shared by the socket-level tests;
    it trusts one CDS client (``TRUSTED``, its keys inline) and, as behind a proxy, names its
    public base URL ``CDS_BASE_URL`` (the audience of that client's tokens)."""
    directory = tmp_path_factory.mktemp("security-gunicorn")
    clients = clients_file(directory / "clients.json", {"iss": TRUSTED.iss, "jwks": TRUSTED.jwks()})
    with running_gunicorn(directory / "gunicorn.log", workers=2,
                          extra_env={"CDS_HOOKS_CLIENTS": clients,
                                     "PUBLIC_BASE_URL": CDS_BASE_URL}) as server:
        yield server
