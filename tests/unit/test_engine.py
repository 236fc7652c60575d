"""The engine adapter survives durable-rules' traps: session table, raising actions, threads."""

import threading

import pytest

from service.engine import Core, EngineError, EngineUnavailable, RuleEngine, _rule_of

RULES = {
    "first": {"all": [{"m": {"f": "start"}}], "run": "first"},
    "second": {"all": [{"m": {"f": "middle"}}], "run": "second"},
    "third": {"all": [{"a": {"f": "middle"}}, {"b": {"f": "end"}}], "run": "third"},
    "boom": {"all": [{"m": {"f": "explode"}}], "run": "boom"},
}


def chain(log_name):
    def action(context):
        context.append(log_name)
        return {"first": [{"f": "middle", "v": True}], "second": [{"f": "end", "v": True}]}.get(
            log_name, []
        )

    return action


def explode(context):
    raise ValueError("an action failed")


@pytest.fixture
def engine():
    actions = {name: chain(name) for name in ("first", "second", "third")}
    return RuleEngine("test", RULES, {**actions, "boom": explode})


def test_facts_chain_through_three_levels_in_firing_order(engine):
    fired = []
    engine.evaluate([{"f": "start", "v": True}], fired)
    assert fired == ["first", "second", "third"]


def test_an_action_that_raises_raises_out_of_the_evaluation(engine):
    with pytest.raises(EngineError) as caught:
        engine.evaluate([{"f": "explode", "v": True}], [])
    assert isinstance(caught.value.__cause__, ValueError)


def test_facts_no_rule_matches_give_an_empty_evaluation(engine):
    fired = []
    engine.evaluate([{"f": "nothing", "v": True}], fired)
    assert fired == []
    assert engine.open_sessions == 0


def test_five_thousand_evaluations_with_failures_leave_no_session_behind(engine):
    failures = 0
    for index in range(5_000):
        if index % 10 == 0:
            with pytest.raises(EngineError):
                engine.evaluate([{"f": "explode", "v": True}], [])
            failures += 1
        elif index % 10 == 1:
            engine.evaluate([{"f": "nothing", "v": True}], [])
        else:
            engine.evaluate([{"f": "start", "v": True}], [])
    assert failures == 500
    assert engine.open_sessions == 0
    assert engine.healthy
    fired = []
    engine.evaluate([{"f": "start", "v": True}], fired)
    assert fired == ["first", "second", "third"]


def test_the_ruleset_given_is_not_mutated():
    rules = {"first": {"all": [{"m": {"f": "start"}}], "run": "first"}}
    RuleEngine("copy", rules, {"first": chain("first")})
    assert rules["first"]["run"] == "first"


def test_concurrent_evaluations_each_see_only_their_own_chain(engine):
    results, errors = [], []

    def worker():
        try:
            for _ in range(200):
                fired = []
                engine.evaluate([{"f": "start", "v": True}], fired)
                results.append(tuple(fired))
        except Exception as error:  # pragma: no cover - reported by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert set(results) == {("first", "second", "third")}
    assert len(results) == 1_600
    assert engine.open_sessions == 0


def test_no_timer_thread_of_durable_rules_is_started(engine):
    names = {type(thread).__name__ for thread in threading.enumerate()}
    assert "Timer" not in names


def test_a_hung_evaluation_makes_the_engine_unhealthy_and_turns_others_away(monkeypatch):
    monkeypatch.setattr("service.engine.LOCK_TIMEOUT_S", 0.05)
    started, release = threading.Event(), threading.Event()

    def hang(context):
        started.set()
        release.wait(5)
        return []

    engine = RuleEngine("test", RULES, {**{name: chain(name) for name in ("second", "third")},
                                        "first": hang, "boom": explode})
    worker = threading.Thread(target=engine.evaluate, args=([{"f": "start", "v": True}], []))
    worker.start()
    try:
        assert started.wait(5), "the hanging action never ran"
        monkeypatch.setattr("service.engine.STUCK_AFTER_S", 0.0)
        assert not engine.healthy
        with pytest.raises(EngineUnavailable):
            engine.evaluate([{"f": "start", "v": True}], [])
    finally:
        release.set()
        worker.join()
    assert engine.healthy and engine.open_sessions == 0


class FullTableCore(Core):
    """The C core as it behaves once its session table is full: after the engine's warm-up,
    asserting raises a bare ``MemoryError``; every delete is recorded (on that session one
    would segfault)."""

    deleted: list[str] = []

    def __init__(self, name: str, ruleset: dict):
        super().__init__(name, ruleset)
        self.assertions = 0

    def assert_facts(self, facts: list[dict], sid: str) -> int:
        self.assertions += 1
        if self.assertions > 1:  # the first is the engine's warm-up
            raise MemoryError
        return super().assert_facts(facts, sid)

    def delete(self, sid: str) -> None:
        self.deleted.append(sid)
        super().delete(sid)


class FullTableEngine(RuleEngine):
    core_class = FullTableCore


def test_a_full_session_table_marks_the_engine_unhealthy_without_touching_the_session():
    engine = FullTableEngine("test", RULES, {name: chain(name) for name in ("first", "second",
                                                                            "third", "boom")})
    FullTableCore.deleted.clear()  # the warm-up's session was deleted, as it should be
    with pytest.raises(EngineUnavailable):
        engine.evaluate([{"f": "start", "v": True}], [])
    assert FullTableCore.deleted == []  # delete_state on that session would segfault
    assert not engine.healthy
    with pytest.raises(EngineUnavailable):
        engine.evaluate([{"f": "start", "v": True}], [])


def test_a_fact_no_rule_matches_does_not_drop_the_matches_of_the_others(engine):
    fired = []
    engine.evaluate([{"f": "nothing", "v": True}, {"f": "start", "v": True}], fired)
    assert fired == ["first", "second", "third"]


def test_the_rule_of_a_pending_action_is_its_first_key_whether_read_fast_or_parsed():
    plain = '{"night_cramps#0":{"c0":{"f":"time_of_day.night","v":true,"sid":"e1"}}}'
    escaped = '{"odd\\"name":{"c0":{"f":"x","v":true}}}'
    spaced = '{ "night_cramps#0" : {}}'

    assert _rule_of(plain) == "night_cramps#0"
    assert _rule_of(escaped) == 'odd"name'
    assert _rule_of(spaced) == "night_cramps#0"
