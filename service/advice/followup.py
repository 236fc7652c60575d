"""Follow-up questions: unreported fields whose answer could change urgency or referral."""

from dataclasses import dataclass, field

from service.contract.answer import FollowUpQuestion
from service.contract.encoded import encode
from service.contract.request import Profile
from service.contract.vocabulary import REQUEST_FIELDS, REQUIRED_FIELDS, URGENCIES
from service.knowledge.errors import KnowledgeError
from service.knowledge.model import KnowledgeBase
from service.knowledge.signals import field_of


@dataclass
class Effects:
    """The most a field's answer could lead to, through any chain of rules."""

    urgency: int = 0
    specialists: set[str] = field(default_factory=set)
    tests: set[str] = field(default_factory=set)

    def could_change(self, urgency: str, specialists: set[str], tests: set[str]) -> bool:
        return (
            self.urgency > URGENCIES.index(urgency)
            or bool(self.specialists - specialists)
            or bool(self.tests - tests)
        )


class FollowUps:
    """Knows, for each request field, what its answer could lead to; asks only what matters."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self._questions = kb.meta["questions"]
        self._effects = {
            name: reachable_effects(kb, name)
            for name in REQUEST_FIELDS
            if name not in REQUIRED_FIELDS
        }
        for name, effects in self._effects.items():
            if effects.could_change("self_care", set(), set()) and name not in self._questions:
                raise KnowledgeError(
                    f"meta.yaml: no question for {name!r}, which can change urgency or referral"
                )

        self._asked = {name: FollowUpQuestion(name, question,
                                              encode({"field": name, "question": question}))
                       for name, question in self._questions.items()}

    def questions(self, profile: Profile, urgency: str, specialists: set[str],
                  tests: set[str]) -> tuple[FollowUpQuestion, ...]:
        """The questions for unreported fields, in the contract's field order."""
        return tuple(
            self._asked[name]
            for name, effects in self._effects.items()
            if name not in profile and effects.could_change(urgency, specialists, tests)
        )


def reachable_effects(kb: KnowledgeBase, name: str) -> Effects:
    """Follow the rules forward from the facts of field ``name`` and collect their effects."""
    known: set[str] = set()
    fired: set[str] = set()
    effects = Effects()
    frontier = True
    while frontier:
        frontier = False
        for rule in kb.rules:
            terms = (*rule.all, *rule.any)
            if rule.id in fired or not any(
                field_of(t.fact) == name or t.fact in known for t in terms
            ):
                continue
            fired.add(rule.id)
            frontier = True
            known.update(rule.derive)
            if rule.urgency:
                effects.urgency = max(effects.urgency, URGENCIES.index(rule.urgency))
            effects.specialists.update(rule.add.get("specialists", ()))
            effects.tests.update(rule.add.get("tests", ()))
    return effects
