"""The advice logic: a validated profile in, the structured answer out. Knows nothing of HTTP."""

from collections.abc import Callable
from typing import Any

from service.advice.assemble import (
    concluded,
    items_of,
    settle,
    sort_key,
    trace_of,
    urgency_of,
)
from service.advice.catalogue import catalogue_view
from service.advice.completeness import Entailment, IncompleteEvaluation
from service.advice.evaluation import Branch, Evaluation
from service.advice.followup import FollowUps
from service.advice.prepared import PreparedItem
from service.contract.answer import Answer, KnowledgeBaseVersion, Referral
from service.contract.request import Profile
from service.engine import Action, EngineUnavailable, RuleEngine
from service.knowledge import ITEM_KINDS, KnowledgeBase, compile_rules
from service.knowledge.compiler import Fact, Ruleset
from service.knowledge.model import Rule
from service.knowledge.signals import profile_facts

#: What builds the engine from a name, the ruleset and the actions by rule name.
EngineFactory = Callable[[str, Ruleset, dict[str, Action]], RuleEngine]


class AdviceUnavailable(RuntimeError):
    """No advice can be given: the engine cannot evaluate now, or its evaluation of this
    profile could not be proven complete. Never answered with advice; the message holds no
    request data."""


def _action(rule: Rule, branch: Branch) -> Action:
    """The engine action of one branch of ``rule``: the evaluation notes that it fired."""

    def action(evaluation: Evaluation) -> list[Fact]:
        return evaluation.fire(rule, branch)

    return action


def in_sentence(label: str) -> str:
    """A label inside a sentence: its first letter lower case, abbreviations such as (GP) kept."""
    return label[:1].lower() + label[1:]


class Advisor:
    """Compiles the knowledge base into this process's engine once, then answers profiles.

    ``engine_factory(name, ruleset, actions)`` builds the engine: durable-rules' adapter by
    default, a fake in tests that need an engine to misbehave.
    """

    def __init__(self, kb: KnowledgeBase, engine_factory: EngineFactory = RuleEngine) -> None:
        self.kb = kb
        self._compiled = compile_rules(kb)
        actions = {name: _action(rule, branch)
                   for name, (rule, branch) in self._compiled.branches.items()}
        self.engine = engine_factory("advice", self._compiled.ruleset, actions)
        self._entailment = Entailment(kb.rules)
        self._follow_ups = FollowUps(kb)
        self._catalogue = catalogue_view(kb)
        self._conclusions = {rule.id: concluded(rule) for rule in kb.rules}
        self._prepared = {(item.kind, item.id): PreparedItem(item, sort_key(item))
                          for table in kb.items.values() for item in table.values()}
        self._version = KnowledgeBaseVersion(kb.version, len(kb.rules))

    @property
    def ready(self) -> bool:
        return self.engine.healthy

    def engine_stats(self) -> dict[str, int]:
        """Counters of this process's engine, for operators: no request data."""
        return {"evaluations": self.engine.evaluations, "open_sessions": self.engine.open_sessions}

    def knowledge_base(self) -> dict[str, Any]:
        return self._catalogue

    def advise(self, profile: Profile) -> Answer:
        """Run the profile's facts through the engine, prove the run complete, then assemble
        the answer; :class:`AdviceUnavailable` when either cannot be done."""
        facts = profile_facts(profile)
        evaluation = Evaluation(dict(facts))
        try:
            self.engine.evaluate(self._compiled.facts(facts), evaluation)
            self._entailment.check(evaluation)
        except (EngineUnavailable, IncompleteEvaluation) as error:
            raise AdviceUnavailable(str(error)) from error
        return self._answer(profile, evaluation)

    def _answer(self, profile: Profile, evaluation: Evaluation) -> Answer:
        standing = settle(evaluation)
        support = evaluation.support() if standing["cause_groups"] else {}  # for evidence only
        items = {k: items_of(k, standing, evaluation, support, self._prepared)
                 for k in ITEM_KINDS}
        urgency = urgency_of(evaluation)
        emergency = any(rule.call_emergency_services for rule, _ in evaluation.fired.values())
        specialists, tests = items["specialists"], items["tests"]
        return Answer(
            urgency=urgency,
            call_emergency_services=emergency,
            summary=self._summary(urgency, emergency, items),
            emergency_steps=items["emergency_steps"],
            cause_groups=items["cause_groups"],
            lifestyle_rules=items["lifestyle_rules"],
            referral=Referral(bool(emergency or specialists or tests), specialists, tests,
                              items["tell_the_doctor"]),
            medication_info=items["medication_info"],
            warnings=items["warnings"],
            # Once an ambulance is called, nothing more is asked: the call is all that matters.
            follow_up_questions=() if emergency else self._follow_ups.questions(
                profile, urgency, {s.id for s in specialists}, {t.id for t in tests}),
            trace=trace_of(evaluation, self._conclusions),
            knowledge_base=self._version,
            disclaimer=self.kb.meta["disclaimer"],
        )

    def _summary(self, urgency: str, emergency: bool, items: dict[str, tuple[Any, ...]]) -> str:
        """One to three plain sentences from the templates of ``rules/meta.yaml``; when a finding
        needs an ambulance, the first tells the person to call their emergency number now."""
        templates = self.kb.meta["summary"]
        parts = [templates["call_emergency_services" if emergency else urgency]]
        # When care is needed today, the first warning says why: a list of possible causes
        # beside it (a lack of vitamins beside a possible clot) would only mislead.
        if items["cause_groups"] and urgency != "urgent":
            labels = ", ".join(in_sentence(group.label) for group in items["cause_groups"])
            parts.append(templates["causes"].format(causes=labels))
        if items["specialists"]:
            labels = ", ".join(in_sentence(s.label) for s in items["specialists"])
            parts.append(templates["referral"].format(specialists=labels))
        return " ".join(parts)
