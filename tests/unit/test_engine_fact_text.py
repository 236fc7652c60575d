"""Facts reach the C core as ``engine_json`` writes them, whether written anew or kept.

The adapter keeps the text of a fact of ``true`` and strings from one session to the next and
adds only the session id (service/engine.py, ``Core``). These tests read what the core is
sent: the durable-rules binding is wrapped, so every text passes through to the real core.
"""

import json

import pytest

from service import engine as engine_module
from service.engine import Core, EngineError, RuleEngine, engine_json

RULES = {
    "start": {"all": [{"m": {"f": "start"}}], "run": "start"},
    "one": {"all": [{"m": {"$and": [{"f": "count"}, {"v": 1}]}}], "run": "one"},
}


class Recording:
    """The durable-rules binding, recording the text of each assertion."""

    def __init__(self, binding):
        self._binding, self.texts = binding, []

    def __getattr__(self, name):
        return getattr(self._binding, name)

    def assert_facts(self, handle, text):
        self.texts.append(text)
        return self._binding.assert_facts(handle, text)

    def assert_fact(self, handle, text):
        self.texts.append(text)
        return self._binding.assert_fact(handle, text)


@pytest.fixture
def sent(monkeypatch):
    recording = Recording(engine_module.core)
    monkeypatch.setattr(engine_module, "core", recording)
    return recording.texts


def an_engine(fired: list, memo: int = Core.TEXT_MEMO) -> RuleEngine:
    core_class = type("SizedCore", (Core,), {"TEXT_MEMO": memo})
    engine_class = type("SizedEngine", (RuleEngine,), {"core_class": core_class})
    actions = {name: (lambda context, name=name: fired.append(name) or ()) for name in RULES}
    return engine_class("fact-text", RULES, actions)


def batches(texts: list[str]) -> list[list[dict]]:
    return [json.loads(text) for text in texts if text.startswith("[")]


@pytest.mark.parametrize("memo", [Core.TEXT_MEMO, 0])
def test_every_batch_is_the_text_engine_json_writes_for_its_facts_with_the_session(sent, memo):
    fired: list = []
    engine = an_engine(fired, memo)
    facts = [{"f": "start", "v": True}, {"f": "count", "v": 1}, {"f": "tiny", "v": 1e-05}]
    sent.clear()
    engine.evaluate(facts, None)
    engine.evaluate(facts, None)  # the second time from kept texts, where kept
    assert len(sent) == 2
    for text, batch in zip(sent, batches(sent), strict=True):
        assert text == engine_json(batch)
        sid = batch[0]["sid"]
        assert batch[1:] == [dict(fact, sid=sid) for fact in facts]
    assert batches(sent)[0][0]["sid"] != batches(sent)[1][0]["sid"]
    assert fired == ["start", "one"] * 2


def test_true_one_and_one_point_zero_are_each_written_as_they_are(sent):
    """Equal as keys of a dict (``True == 1 == 1.0``), different as JSON."""
    engine = an_engine([])
    for value in (True, 1, 1.0, True):
        engine.evaluate([{"f": "count", "v": value}], None)
    written = [batch[1]["v"] for batch in batches(sent)[-4:]]
    assert [type(value) for value in written] == [bool, int, float, bool]


def test_a_fact_that_names_a_session_itself_is_refused_and_leaves_no_session(sent):
    engine = an_engine([])
    with pytest.raises(EngineError):
        engine.evaluate([{"f": "start", "v": True, "sid": "someone-else"}], None)
    assert engine.open_sessions == 0


def test_an_empty_fact_is_refused_and_leaves_no_session(sent):
    engine = an_engine([])
    with pytest.raises(EngineError):
        engine.evaluate([{}], None)
    assert engine.open_sessions == 0
