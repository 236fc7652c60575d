"""A failure inside a rule action or inside the engine call, through the real gunicorn.

The test-only app ``tests.support.faulty_wsgi`` lets one request arm the fault. One worker, so
that the readiness check and the next request are answered by the worker that failed: it must
answer one bare 500 problem, log the exception's class but no profile value, keep no engine
session open, and answer the next request exactly as a healthy app does.
"""

import json
import uuid

import pytest

from tests.support.faults import (
    FAULTY_APP,
    assert_bare_500,
    assert_says_nothing_of_the_failure,
    post_advice,
)
from tests.support.gunicorn import access_lines, log_entries, logged_id, running_gunicorn

pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    log_path = tmp_path_factory.mktemp("faults") / "gunicorn.log"
    with running_gunicorn(log_path, app=FAULTY_APP, workers=1) as running:
        yield running


def evaluations(server) -> dict:
    response = server.request("GET", "/readyz")
    assert response.status == 200
    return json.loads(response.body)["engine"]


@pytest.mark.parametrize("fault", ["action", "engine"])
def test_a_failure_answers_one_bare_500_and_the_worker_then_answers_correctly(
    server, healthy_answer, fault
):
    before = evaluations(server)
    request_id = uuid.uuid4().hex

    assert_bare_500(post_advice(server, fault, request_id))

    assert evaluations(server) == {"evaluations": before["evaluations"] + 1, "open_sessions": 0}
    after = post_advice(server)
    assert after.status == 200 and json.loads(after.body) == healthy_answer


@pytest.mark.parametrize("fault", ["action", "engine"])
def test_the_log_names_the_failure_and_its_class_but_no_profile_value(server, fault):
    request_id = uuid.uuid4().hex

    assert post_advice(server, fault, request_id).status == 500

    output = server.wait_for_output(logged_id(request_id))
    crashes = [entry["message"] for entry in log_entries(output)
               if (entry["level"], entry["logger"]) == ("ERROR", "service.web.problems")
               and f"request_id={request_id}" in entry["message"]]
    assert [crash.splitlines()[0] for crash in crashes] == [
        f"unhandled EngineError request_id={request_id} method=POST path=/v1/advice"]
    assert 'fault_injection.py", line' in crashes[0]  # the frames of the injected fault
    assert [line["status"] for line in access_lines(output)
            if line["request_id"] == request_id] == [500], "no access line"
    assert_says_nothing_of_the_failure(output)  # the frames are there, the values are not
