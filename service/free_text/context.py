"""ConText (Harkema et al. 2009, after NegEx, Chapman et al. 2001): whether the text affirms a
finding, denies it, says it of another person, only imagines it, or places it in the past.

A *cue* ("no", "my mum", "if", "used to") has a category and a direction: it reads the findings
after it (``before``) or before it (``after``, as "denied" or "years ago" do). Its *scope* runs
from the cue towards the finding and ends at a sentence end, a *terminator* ("but", ";",
"though", "however"), or after a window of words (``cues.yaml``, per category). A comma ends the
scope too unless what follows it continues a list of findings ("no swelling, redness or
warmth"), since people run sentences together with commas ("no swelling, I'm 72 and on water
tablets"). *Pseudo-cues* ("not only", "no increase", "not sure") contain a cue's words but are no
cue; the lexicon's longest match consumes them before a cue can be read. The nearest cue whose
scope reaches a finding decides its assertion; none leaves it ``present``.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from service.free_text.tokens import Token

#: Words that may continue a list inside a scope after a comma.
_LIST_WORDS = frozenset({"and", "or", "nor", "any", "other", "no", "a", "an", "the", "my",
                         "not", "never", "nothing", "also", "either"})


@dataclass(frozen=True, slots=True)
class Cue:
    """A cue at tokens ``[start, end)``: its ConText category (named by the assertion it gives)
    and the side of it that it reads (``before``: the findings after it)."""

    start: int
    end: int
    category: str
    direction: str
    weeks: float = 0.0  # for a dated cue ("3 weeks ago"): how long ago


@dataclass(frozen=True, slots=True)
class Scopes:
    """What scopes need to know of a text: each token's sentence, where terminators (and
    sentence ends) stand, and which tokens belong to a finding."""

    tokens: Sequence[Token]
    sentence_of: Sequence[int]
    terminators: frozenset[int]
    in_finding: frozenset[int]

    def reaches(self, start: int, end: int, window: int) -> bool:
        """Whether a scope may cross tokens ``[start, end)``."""
        words = 0
        after_comma = False
        for i in range(start, end):
            if i in self.terminators:
                return False
            norm = self.tokens[i].norm
            if norm == ",":
                after_comma = True
            elif self.tokens[i].is_word:
                words += 1
                if (after_comma and i not in self.in_finding and norm not in _LIST_WORDS):
                    return False
        return words <= window


def assertion(span: tuple[int, int], cues: Sequence[Cue], text: Scopes,
              windows: Mapping[str, int]) -> Cue | None:
    """The cue that decides the finding at tokens ``span`` (``None``: present): another
    person's cue when one reaches it (what someone else has is never the patient's, whatever
    else is said of it), else the nearest cue that reaches it."""
    best: tuple[int, Cue] | None = None
    start, end = span
    for cue in cues:
        if cue.direction == "before" and cue.end <= start:
            gap = (cue.end, start)
        elif cue.direction == "after" and cue.start >= end:
            gap = (end, cue.start)
        else:
            continue
        if text.sentence_of[cue.start] != text.sentence_of[start]:
            continue
        if not text.reaches(gap[0], gap[1], windows[cue.category]):
            continue
        distance = gap[1] - gap[0] - (1000 if cue.category == "other_person" else 0)
        if best is None or distance < best[0]:
            best = (distance, cue)
    return best[1] if best else None
