"""An evaluation is answered only when it is proven complete; otherwise a 503 and a log line.

The proof compares what the engine fired with an independent forward chaining of the same
rules. These tests inject engines that misbehave as durable-rules once did (a fact dropped, a
chain cut short) or as a broken one might (a rule fired without cause), and check that no such
evaluation ever becomes advice.
"""

import json
import logging

import pytest

from service import create_app
from service import engine as engine_module
from service.advice import AdviceUnavailable, Advisor
from service.advice.completeness import Entailment
from service.config import defaults
from service.engine import RuleEngine
from service.knowledge import load_knowledge
from service.knowledge.signals import profile_facts
from tests.support.builders import a_profile
from tests.support.fhir_builders import QUESTIONNAIRE_PATH, SERVICE, cds_request, response_to

RED_FLAG = a_profile(symptoms=["swelling", "redness"], duration_minutes=0.00001)


class DroppingEngine(RuleEngine):
    """Loses the last fact of every evaluation, as the C core's batch once lost facts."""

    def evaluate(self, facts, context):
        super().evaluate(facts[:-1], context)


class ShortChainEngine(RuleEngine):
    """Runs the first action only: the chain stops there, as after a swallowed error."""

    def evaluate(self, facts, context):
        fire, calls = context.fire, []
        context.fire = lambda rule, branch: (fire(rule, branch)
                                             if not calls.append(rule) and len(calls) == 1
                                             else [])
        super().evaluate(facts, context)


def eager_engine(kb):
    """An engine that fires one rule more than the facts entail."""

    class EagerEngine(RuleEngine):
        def evaluate(self, facts, context):
            super().evaluate(facts, context)
            rule = next(rule for rule in kb.rules if rule.id not in context.fired)
            context.fire(rule, rule.branches()[0])

    return EagerEngine


@pytest.fixture(scope="module")
def kb():
    return load_knowledge(defaults()["RULES_DIR"])


@pytest.mark.parametrize("engine", [lambda kb: DroppingEngine, lambda kb: ShortChainEngine,
                                    eager_engine], ids=["dropped", "short", "eager"])
def test_an_engine_that_fires_other_rules_than_the_facts_entail_gives_no_advice(kb, engine):
    advisor = Advisor(kb, engine(kb))
    with pytest.raises(AdviceUnavailable, match="rule branches where the facts entail"):
        advisor.advise(RED_FLAG)


def test_the_real_engine_fires_exactly_what_the_facts_entail(kb):
    advisor = Advisor(kb)
    answer = advisor.advise(RED_FLAG)
    assert answer.urgency == "urgent"
    entailed = Entailment(kb.rules).firings(dict(profile_facts(RED_FLAG)))
    assert {rule for rule, _ in entailed} == {step.rule for step in answer.trace}


def test_entailment_follows_chains_and_compares_numbers(kb):
    entailment = Entailment(kb.rules)
    long = {rule for rule, _ in entailment.firings(dict(profile_facts(
        a_profile(duration_minutes=11, frequency="weekly"))))}
    short = {rule for rule, _ in entailment.firings(dict(profile_facts(
        a_profile(duration_minutes=10, frequency="weekly"))))}
    assert "leg_cramps_reported" in long and "leg_cramps_reported" in short
    assert long - short  # a rule on "duration_minutes > 10" fires for 11, not for 10
    assert "therapist_first" in long  # reached through regular_cramps -> diagnosis_needed


def test_an_unprovable_evaluation_is_a_503_problem_and_a_log_line_without_the_profile(caplog):
    app = create_app({"TESTING": True, "ANSWER_CACHE_SIZE": 0,
                      "ENGINE_FACTORY": DroppingEngine})
    client = app.test_client()
    with caplog.at_level(logging.ERROR):
        response = client.post("/v1/advice", json=RED_FLAG,
                               headers={"X-Request-ID": "unprovable-1"})
    assert response.status_code == 503
    assert response.mimetype == "application/problem+json"
    assert "urgency" not in response.get_json()
    lines = [r.getMessage() for r in caplog.records if "advice withheld" in r.getMessage()]
    assert len(lines) == 1 and "request_id=unprovable-1" in lines[0]
    assert "swelling" not in lines[0] and "redness" not in lines[0]


def test_cds_hooks_withholds_its_cards_too():
    app = create_app({"TESTING": True, "ENGINE_FACTORY": DroppingEngine,
                      "CDS_HOOKS_AUTH": "off"})  # its client authentication: test_cds_auth.py
    client = app.test_client()
    questionnaire = client.get(QUESTIONNAIRE_PATH).get_json()
    response = client.post(SERVICE, json=cds_request(response_to(questionnaire, RED_FLAG)))
    assert response.status_code == 503
    assert "cards" not in response.get_json()


def test_a_fact_the_core_misreads_gives_a_503_not_an_answer(monkeypatch):
    """Were facts ever written in a form the core misreads again (Python's own JSON, as before
    the fix: the tiny duration stops the batch and drops the red flag after it), the rules the
    dropped facts would have fired are missing, and the answer is withheld."""
    app = create_app({"TESTING": True, "ANSWER_CACHE_SIZE": 0})
    monkeypatch.setattr(engine_module, "engine_json", json.dumps)
    response = app.test_client().post("/v1/advice", json=RED_FLAG)
    assert response.status_code == 503
