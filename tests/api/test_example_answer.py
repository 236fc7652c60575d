"""The README's curl example, sent to a real gunicorn, answers exactly what the docs show: the
two fields in the README, the whole answer in docs/example-answer.json."""

import json

import pytest

from tests.support.example_answer import (
    ANSWER_FILE,
    README,
    curl_request,
    example_blocks,
    jq_fields,
    shown,
)
from tests.support.gunicorn import running_gunicorn

pytestmark = pytest.mark.server
STALE = "the example is stale: run `.venv/bin/python -m tests.support.example_answer`"


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    blocks = example_blocks(README.read_text(encoding="utf-8"))
    method, path, headers, body = curl_request(blocks["command"])
    fields = jq_fields(blocks["command"])
    assert (method, path, fields) == ("POST", "/v1/advice", ["urgency", "summary"])
    log = tmp_path_factory.mktemp("example") / "gunicorn.log"
    with running_gunicorn(log, workers=1) as server:
        response = server.request(method, path, body, headers)
    assert response.status == 200
    return json.loads(response.body), fields, json.loads(blocks["output"])


def test_the_readme_shows_the_fields_its_jq_filter_keeps_of_the_real_answer(example):
    answer, fields, output = example
    assert output == shown(answer, fields), STALE


def test_docs_example_answer_json_is_the_whole_real_answer(example):
    answer, _, _ = example
    assert json.loads(ANSWER_FILE.read_text(encoding="utf-8")) == answer, STALE
