"""Proof that an evaluation is complete: the engine fired exactly the branches the facts entail.

The engine adapter checks what it can see: every fact was read and handled. It cannot see
whether the rules that fired are all the rules that should have, which is what matters when a
red flag is at stake. So the outcome is checked against an independent forward chaining of the
same rules in plain Python. The knowledge base's rules are monotone (a branch fires once all its
terms hold, and what it derives only adds facts), so the branches that must fire are a fixed
point that a worklist finds in one pass over the facts. Any difference, a fact the engine
dropped, a comparison it read wrong, a chain it cut short or a rule it fired without cause,
makes the evaluation unprovable, and it is never answered.
"""

import operator
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from service.advice.evaluation import Branch, Evaluation
from service.knowledge.model import Rule

COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    ">": operator.gt, ">=": operator.ge, "<": operator.lt, "<=": operator.le, "==": operator.eq}


class IncompleteEvaluation(RuntimeError):
    """What the engine fired differs from what the facts entail; the message has counts only."""


class Entailment:
    """Which rule branches a set of input facts entails, for one knowledge base's rules."""

    def __init__(self, rules: tuple[Rule, ...]) -> None:
        self._branches: list[tuple[Rule, Branch]] = []
        self._needs: list[int] = []
        self._waiting: dict[str, list[int]] = defaultdict(list)
        for rule in rules:
            for branch in rule.branches():
                facts = {term.fact for term in branch if term.op is None}
                for fact in facts:
                    self._waiting[fact].append(len(self._branches))
                self._needs.append(len(facts))
                self._branches.append((rule, branch))

    def firings(self, inputs: dict[str, object]) -> set[tuple[str, Branch]]:
        """``(rule id, branch)`` of every branch that must fire for ``inputs``."""
        missing = list(self._needs)
        fired: set[tuple[str, Branch]] = set()
        known: set[str] = set()
        pending = list(inputs)

        def fire(index: int) -> None:
            """All facts of the branch are known: it fires if its comparisons hold too."""
            rule, branch = self._branches[index]
            if all(term.fact in inputs and COMPARE[term.op](inputs[term.fact], term.value)
                   for term in branch if term.op is not None):
                fired.add((rule.id, branch))
                pending.extend(rule.derive)

        for index, needs in enumerate(missing):
            if needs == 0:
                fire(index)
        while pending:
            fact = pending.pop()
            if fact in known:
                continue
            known.add(fact)
            for index in self._waiting.get(fact, ()):
                missing[index] -= 1
                if missing[index] == 0:
                    fire(index)
        return fired

    def check(self, evaluation: Evaluation) -> None:
        """Raise :class:`IncompleteEvaluation` unless the engine fired exactly what must fire."""
        expected = self.firings(evaluation.inputs)
        actual = {(rule.id, branch) for rule, branches in evaluation.fired.values()
                  for branch in branches}
        if actual != expected:
            raise IncompleteEvaluation(
                f"the engine fired {len(actual)} rule branches where the facts entail "
                f"{len(expected)} ({len(expected - actual)} missing, "
                f"{len(actual - expected)} unexpected)"
            )
