"""What the service takes from a client's headers: never its Host for a URL, never a forwarded
scheme from anyone but a configured proxy.

Werkzeug merged ``//`` into ``/`` with a 308 whose ``Location`` was built from the request's
``Host`` (``/intake//intake.js`` pointed at any host the client named), and gunicorn trusted
``X-Forwarded-Proto`` from any local address.
"""

import os
import subprocess

import pytest

from tests.support.gunicorn import GUNICORN, REPO_ROOT

pytestmark = pytest.mark.server

PATHS = ["/intake//intake.js", "/docs//swagger-ui.css", "/v1//knowledge-base", "/healthz/"]


@pytest.mark.parametrize("path", PATHS)
def test_no_answer_redirects_to_the_host_a_client_names(gunicorn, path):
    response = gunicorn.request("GET", path, headers={"Host": "evil.example"})
    assert response.status == 404
    assert "Location" not in response.headers
    assert b"evil.example" not in response.body


def resolved_config(**env) -> str:
    """gunicorn's own view of gunicorn.conf.py (``--print-config``) in environment ``env``."""
    clean = {key: value for key, value in os.environ.items()
             if key not in ("FORWARDED_ALLOW_IPS", "GUNICORN_CMD_ARGS")}
    return subprocess.run(
        [str(GUNICORN), "--config", "gunicorn.conf.py", "--print-config", "service.wsgi:app"],
        cwd=REPO_ROOT, env={**clean, **env}, capture_output=True, text=True, check=True,
    ).stdout


def test_forwarded_headers_are_trusted_from_no_address_by_default():
    assert "forwarded_allow_ips                = []" in resolved_config()


def test_forwarded_headers_are_trusted_from_the_configured_proxies_only():
    printed = resolved_config(FORWARDED_ALLOW_IPS="10.0.0.0/8,192.168.1.5")
    assert "forwarded_allow_ips                = ['10.0.0.0/8', '192.168.1.5']" in printed
