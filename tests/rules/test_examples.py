"""Every example inside the rules files, run through the real API: profile in, advice out."""

import pytest

from service.advice import Advisor
from tests.support.knowledge import project_knowledge

EXAMPLES = project_knowledge().examples


def answer_ids(answer: dict, kind: str, kb) -> set[str]:
    """The ids of one kind of item in an answer (tell_the_doctor is answered as texts)."""
    if kind in ("specialists", "tests"):
        return {entry["id"] for entry in answer["referral"][kind]}
    if kind == "tell_the_doctor":
        texts = set(answer["referral"]["tell_the_doctor"])
        return {i for i, item in kb.items[kind].items() if item.attrs["text"] in texts}
    return {entry["id"] for entry in answer[kind]}


def mismatches(example, answer: dict, kb) -> list[str]:
    """What differs between the example's expectation and the answer, in words."""
    expect, found = example.expect, []
    if "urgency" in expect and answer["urgency"] != expect["urgency"]:
        found.append(f"urgency {answer['urgency']} != {expect['urgency']}")
    emergency = expect.get("call_emergency_services")
    if emergency is not None and answer["call_emergency_services"] is not emergency:
        found.append(f"call_emergency_services is {answer['call_emergency_services']}")
    if "referral_needed" in expect and answer["referral"]["needed"] != expect["referral_needed"]:
        found.append(f"referral needed is {answer['referral']['needed']}")
    for kind, ids in expect.get("includes", {}).items():
        missing = set(ids) - answer_ids(answer, kind, kb)
        found += [f"{kind} lacks {sorted(missing)}"] if missing else []
    for kind, ids in expect.get("excludes", {}).items():
        extra = set(ids) & answer_ids(answer, kind, kb)
        found += [f"{kind} has {sorted(extra)}"] if extra else []
    fired = {step["rule"] for step in answer["trace"]}
    if set(expect.get("fired", ())) - fired:
        found.append(f"did not fire {sorted(set(expect['fired']) - fired)}")
    if set(expect.get("not_fired", ())) & fired:
        found.append(f"fired {sorted(set(expect['not_fired']) & fired)}")
    asked = {question["field"] for question in answer["follow_up_questions"]}
    if set(expect.get("follow_up", ())) - asked:
        found.append(f"did not ask about {sorted(set(expect['follow_up']) - asked)}")
    return found


@pytest.mark.parametrize("example", EXAMPLES, ids=[f"{e.file}: {e.name}" for e in EXAMPLES])
def test_every_example_of_the_rules_files_gets_its_expected_advice(example, app):
    response = app.test_client().post("/v1/advice", json=example.profile)
    assert response.status_code == 200, response.get_json()
    kb = app.extensions[Advisor].kb
    assert mismatches(example, response.get_json(), kb) == []


SAFETY_RULES = [rule.id for rule in project_knowledge().rules
                if rule.source["section"] == "safety"]


@pytest.fixture(scope="module")
def fired_by_examples(app) -> set[str]:
    client = app.test_client()
    return {step["rule"] for example in EXAMPLES
            for step in client.post("/v1/advice", json=example.profile).get_json()["trace"]}


@pytest.mark.parametrize("rule_id", SAFETY_RULES)
def test_every_safety_rule_fires_in_an_example_of_the_rules_files(rule_id, fired_by_examples):
    """Each rule of the safety layer is shown working by at least one example: reviewers read
    the examples to see what a rule does to a whole answer."""
    assert rule_id in fired_by_examples, f"no example of the rules files fires {rule_id}"
