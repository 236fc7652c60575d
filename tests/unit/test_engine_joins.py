"""Joins fire exactly when every fact they need is present, whatever order the facts come in.

The service's build of durable-rules sets up a join's state in a session only when the first
fact reaches it (third_party/durable-rules/lazy-session-state.patch). A join can be reached from
either side first, in the opening batch or from an action later in the chain, and a session
reuses memory another one freed: every such order must fire the same rules as a join whose state
was cleared at the start.
"""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from service.engine import RuleEngine

FACTS = ("a", "b", "c", "d")
#: Joins of two to four facts, one pattern each (``join_rules`` adds one that tests a value too).
JOINS = {
    "ab": ("a", "b"),
    "ba": ("b", "a"),
    "abc": ("a", "b", "c"),
    "cd": ("c", "d"),
    "dcba": ("d", "c", "b", "a"),
}


def join_rules() -> dict:
    rules = {name: {"all": [{f"p{i}": {"f": fact}} for i, fact in enumerate(needs)], "run": name}
             for name, needs in JOINS.items()}
    rules["big_d"] = {"all": [{"p0": {"f": "a"}},
                              {"p1": {"$and": [{"f": "d"}, {"$gt": {"v": 5}}]}}], "run": "big_d"}
    # A trigger fact makes its action assert the fact later, from inside the chain.
    for fact in FACTS:
        rules[f"late_{fact}"] = {"all": [{"t": {"f": f"late_{fact}"}}], "run": f"late_{fact}"}
    return rules


def record(name):
    return lambda fired: fired.append(name) or ()


def assert_later(fact, value):
    return lambda fired: [{"f": fact, "v": value}]


@pytest.fixture(scope="module")
def engine():
    actions = {name: record(name) for name in (*JOINS, "big_d")}
    actions.update({f"late_{fact}": assert_later(fact, 9) for fact in FACTS})
    return RuleEngine("joins", join_rules(), actions)


arrivals = st.fixed_dictionaries({fact: st.sampled_from(["absent", "batch", "late"])
                                  for fact in FACTS})


@settings(max_examples=300)
@given(arrivals=arrivals, order=st.permutations(FACTS), d_value=st.integers(0, 9))
def test_a_join_fires_once_exactly_when_all_its_facts_arrive_in_any_order(
        engine, arrivals, order, d_value):
    batch = []
    for fact in order:
        if arrivals[fact] == "batch":
            batch.append({"f": fact, "v": d_value if fact == "d" else 1})
        elif arrivals[fact] == "late":
            batch.append({"f": f"late_{fact}", "v": True})
    present = {fact: value for fact, value in
               ((f, d_value if arrivals[f] == "batch" else 9) for f in FACTS)
               if arrivals[fact] != "absent"}
    fired = []

    engine.evaluate(batch, fired)

    expected = [name for name, needs in JOINS.items() if all(fact in present for fact in needs)]
    if "a" in present and present.get("d", 0) > 5:
        expected.append("big_d")
    assert sorted(fired) == sorted(expected)
    assert engine.open_sessions == 0
