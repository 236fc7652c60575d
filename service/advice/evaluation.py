"""What one evaluation learns while the engine runs: which rules fired, how, in what order."""

from service.knowledge.compiler import Fact
from service.knowledge.model import Condition, Rule

Branch = tuple[Condition, ...]


class Evaluation:
    """The context the engine's actions write to, one per request.

    An action calls :meth:`fire`; the evaluation remembers the rule and the branch that
    matched, and answers with the facts to assert next: each derived fact once, since
    durable-rules refuses an identical fact twice in a session.
    """

    def __init__(self, inputs: dict[str, object]) -> None:
        self.inputs = inputs
        self.fired: dict[str, tuple[Rule, list[Branch]]] = {}
        self._known = set(inputs)

    def fire(self, rule: Rule, branch: Branch) -> list[Fact]:
        """Record that ``rule`` matched through ``branch``; return the facts it newly derives."""
        entry = self.fired.get(rule.id)
        if entry is None:
            self.fired[rule.id] = (rule, [branch])
        elif branch in entry[1]:
            return []
        else:
            entry[1].append(branch)
        if not rule.derive:  # most rules only advise
            return []
        new = [fact for fact in rule.derive if fact not in self._known]
        self._known.update(new)
        return [{"f": fact, "v": True} for fact in new]

    def support(self) -> dict[str, frozenset[str]]:
        """For each known fact, the input facts it rests on: the evidence of what it led to.

        Computed to a fixed point after the run, because a fact may be derived again, by
        another rule, after the rules that use it have already fired.
        """
        support = {fact: frozenset({fact}) for fact in self.inputs}
        # Only rules that derive facts add support; most rules only add advice.
        deriving = [(rule, branches) for rule, branches in self.fired.values() if rule.derive]
        changed = True
        while changed:
            changed = False
            for rule, branches in deriving:
                found = frozenset().union(*(branch_support(b, support) for b in branches))
                for fact in rule.derive:
                    known = support.get(fact, frozenset())
                    if not found <= known:
                        support[fact] = known | found
                        changed = True
        return support


def branch_support(branch: Branch, support: dict[str, frozenset[str]]) -> frozenset[str]:
    """The evidence of one matched branch: a compared number is its field, a fact its support."""
    return frozenset().union(
        *({term.fact} if term.op else support.get(term.fact, frozenset()) for term in branch)
    )
