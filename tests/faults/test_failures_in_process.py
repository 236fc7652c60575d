"""A failure inside a rule action or inside the engine call, in-process through the test client.

Each must answer exactly one bare 500 problem document and log one error line that names the
exception class and nothing the person sent, leave no engine session open, and leave the app
answering the next request exactly as a healthy app does. The module builds its own app and
gives it ``FaultyEngine``, the real engine armed with a fault for one request at a time, so no
other test meets the fault.
"""

import logging

import pytest

from service import create_app
from service.advice import Advisor
from tests.support.fault_injection import FaultyEngine, armed
from tests.support.faults import PROBLEM_MEMBERS, PROFILE, assert_says_nothing_of_the_failure
from tests.support.openapi_check import ConformanceClient


@pytest.fixture(scope="module")
def fresh_app():
    # No answer cache: a cached answer would never reach the faulty engine.
    return create_app({"TESTING": True, "ANSWER_CACHE_SIZE": 0, "ENGINE_FACTORY": FaultyEngine})


@pytest.fixture
def engine(fresh_app):
    return fresh_app.extensions[Advisor].engine


@pytest.fixture
def faulty_client(fresh_app):
    """A client of this module's app that checks every response, the 500 included."""
    return ConformanceClient(fresh_app, fresh_app.response_class)


#: Where the fault strikes: the first rule action raises, or the engine call itself does.
FAULTS = {"in a rule action": "action", "in the engine call": "engine"}
each_fault = pytest.mark.parametrize("fault", FAULTS.values(), ids=FAULTS.keys())


@each_fault
def test_a_failure_answers_one_bare_500_problem_and_logs_its_class_without_values(
    faulty_client, caplog, fault
):
    caplog.set_level(logging.INFO, logger="service")
    with armed(fault):
        response = faulty_client.post("/v1/advice", json=PROFILE,
                                      headers={"X-Request-ID": "fault-1"})

    assert response.status_code == 500
    assert response.mimetype == "application/problem+json"
    assert set(response.get_json()) == PROBLEM_MEMBERS
    assert_says_nothing_of_the_failure(response.get_data(as_text=True))
    errors = [record.getMessage() for record in caplog.records if record.levelno >= logging.ERROR]
    assert len(errors) == 1
    assert errors[0].startswith("unhandled EngineError request_id=fault-1 method=POST")
    assert_says_nothing_of_the_failure("\n".join(r.getMessage() for r in caplog.records))


@each_fault
def test_after_a_failure_no_session_is_open_and_the_next_answer_is_the_healthy_one(
    faulty_client, engine, healthy_answer, fault
):
    evaluations = engine.evaluations
    with armed(fault):
        assert faulty_client.post("/v1/advice", json=PROFILE).status_code == 500

    assert engine.open_sessions == 0
    assert faulty_client.get("/readyz").get_json() == {
        "status": "ready", "engine": {"evaluations": evaluations + 1, "open_sessions": 0},
    }
    assert faulty_client.post("/v1/advice", json=PROFILE).get_json() == healthy_answer


def test_failures_interleaved_with_healthy_requests_never_leak_into_their_answers(
    faulty_client, engine, healthy_answer
):
    for _ in range(5):
        for fault in FAULTS.values():
            with armed(fault):
                assert faulty_client.post("/v1/advice", json=PROFILE).status_code == 500
            assert faulty_client.post("/v1/advice", json=PROFILE).get_json() == healthy_answer
    assert engine.open_sessions == 0 and engine.healthy


def test_a_worker_exit_raised_in_a_rule_action_propagates_instead_of_partial_advice(
    faulty_client, engine, healthy_answer
):
    """gunicorn aborts a timed-out sync worker by raising SystemExit wherever it is running.

    durable-rules stores such an exception in the session and carries on without that action;
    before the engine re-raised it, the request answered 200 with advice missing every emergency
    step. Now the exception leaves the app (gunicorn answers its own 500, the worker exits).
    """
    with armed("exit"), pytest.raises(SystemExit):
        faulty_client.post("/v1/advice", json=PROFILE)

    assert engine.open_sessions == 0
    assert faulty_client.post("/v1/advice", json=PROFILE).get_json() == healthy_answer
