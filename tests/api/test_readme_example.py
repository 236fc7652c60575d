"""The README's curl example, sent to a real gunicorn, answers exactly the output shown."""

import json

import pytest

from tests.support.example_answer import README, curl_request, example_blocks
from tests.support.gunicorn import running_gunicorn

pytestmark = pytest.mark.server


def test_the_readme_example_shows_the_real_output_of_its_curl_command(tmp_path):
    blocks = example_blocks(README.read_text(encoding="utf-8"))
    method, path, headers, body = curl_request(blocks["command"])
    assert (method, path) == ("POST", "/v1/advice")
    with running_gunicorn(tmp_path / "gunicorn.log", workers=1) as server:
        response = server.request(method, path, body, headers)
    assert response.status == 200
    shown = json.loads(blocks["output"])
    assert json.loads(response.body) == shown, (
        "README example is stale: run `.venv/bin/python -m tests.support.example_answer`"
    )
