"""The free-text parser: a person's words in, a :class:`~service.contract.free_text.Draft` out.

One pass: numbers first (:mod:`service.free_text.numbers`), then the lexicon's trie over the
remaining words, longest match first (values, cues, people, pseudo-cues, terminators, unmapped
phrases), then ConText (:mod:`service.free_text.context`) gives each value its assertion, then
the reading conventions of contract 1.2 make the draft: sides from the locations, one value per
single-valued field, a boolean stated absent as ``false``, the trimester only with a pregnancy.

Nothing here keeps state between calls: a parse allocates only what its answer holds, so memory
does not grow over calls, and one parser serves every greenlet of a worker. The text is never
logged.
"""

import bisect
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from service.contract.free_text import Draft, Finding, TextParser, Unmapped, Value
from service.contract.vocabulary import ARRAY_FIELDS, BOOLEAN_FIELDS, NUMBER_FIELDS
from service.free_text.context import Cue, Scopes, assertion
from service.free_text.lexicon import Entry, Lexicon, load_lexicon
from service.free_text.numbers import (
    START_WORDS,
    Hit,
    ages,
    durations,
    frequencies,
    gestations,
    past_times,
)
from service.free_text.tokens import SENTENCE_ENDS, Token, tokenize

#: Words of a cramp: a person named before one in the same clause is the patient.
_CRAMP_WORDS = frozenset({"cramp", "cramps", "cramping", "cramped", "cramp's", "crampy",
                          "seize", "seizes", "spasm", "spasms"})
_FIRST_PERSON = frozenset({"i", "i'm", "im", "i've", "ive", "me", "my", "mine", "myself", "i'd"})
#: Plural leg parts of one person: both legs (the contract's "plural legs"); toes are not.
_PLURAL_PARTS = frozenset({"calves", "calfs", "feet", "thighs", "hamstrings", "quads", "arches",
                           "soles", "legs"})
_SIDE_WORDS = {"left": "left", "right": "right"}
#: Values whose meaning holds for ever: a clot or a stroke in the past is still one "before".
_LASTING = frozenset({("risk_factors", "previous_clot"),
                      ("conditions", "cerebrovascular_disorder")})
_SINGLE = ("side", "time_of_day", "frequency", "duration_minutes", "age", "sex",
           "pregnancy_trimester", "smoker", "pregnant", "active_now")


@dataclass(frozen=True, slots=True)
class _Match:
    start: int  # token indices [start, end)
    end: int
    entries: tuple[Entry, ...]


@dataclass(frozen=True, slots=True)
class _Found:
    field: str
    value: Value
    tokens: tuple[int, int]
    chars: tuple[int, int]


class ContextParser:
    """ConText over a compiled lexicon; immutable once built."""

    def __init__(self, lexicon: Lexicon) -> None:
        self._lexicon = lexicon

    def parse(self, text: str) -> Draft:
        tokens = tokenize(text)
        hits = _number_hits(text, [t.start for t in tokens
                                   if t.norm[0].isdigit() or t.norm in START_WORDS])
        taken = _token_ranges(tokens, hits)
        consumed = {i for hit, (start, end) in taken.items() if hit.field != "ago"
                    for i in range(start, end)}
        matches = list(self._matches(tokens, consumed))
        sentence_of = _sentences(tokens)
        terminators = {i for i, t in enumerate(tokens) if t.norm in SENTENCE_ENDS or t.norm == ";"}
        found: list[_Found] = []
        cues: list[Cue] = []
        unmapped: list[Unmapped] = []
        quiet: set[int] = set()  # tokens of unmapped phrases
        pseudo: set[int] = set()
        patient: tuple[str, int] | None = None  # the sex and last token of the person written of
        sex_of_patient: _Found | None = None
        for match in matches:
            kinds = {entry.kind for entry in match.entries}
            span = (tokens[match.start].start, tokens[match.end - 1].end)
            if "value" in kinds:
                found.extend(_Found(e.field, e.value, (match.start, match.end), span)
                             for e in match.entries if e.kind == "value")
            elif "person" in kinds:
                sex = next(str(e.value) for e in match.entries if e.kind == "person")
                if patient is None and _is_patient(tokens, match, sentence_of, hits):
                    patient = (sex, match.end)
                    if sex != "none":
                        sex_of_patient = _Found("sex", sex, (match.start, match.end), span)
                else:
                    cues.append(Cue(match.start, match.end, "other_person", "before"))
            elif "cue" in kinds:
                cues.extend(Cue(match.start, match.end, e.category, e.direction)
                            for e in match.entries if e.kind == "cue")
            elif "terminator" in kinds:
                terminators.update(range(match.start, match.end))
            elif "unmapped" in kinds:
                unmapped.append(Unmapped(span, text[span[0]:span[1]]))
                quiet.update(range(match.start, match.end))
            elif "pseudo" in kinds:
                pseudo.update(range(match.start, match.end))
        for hit, (start, end) in taken.items():
            if hit.field == "ago":
                if not pseudo.intersection(range(start, end)) and isinstance(hit.value, float):
                    cues.append(Cue(start, end, "historical", "after", hit.value))
            elif hit.field:
                found.append(_Found(hit.field, hit.value, (start, end), (hit.start, hit.end)))
                if hit.field == "pregnancy_trimester":
                    found.append(_Found("pregnant", True, (start, end), (hit.start, hit.end)))
            else:
                unmapped.append(Unmapped((hit.start, hit.end), text[hit.start:hit.end]))
        if patient is not None and sex_of_patient is None and patient[0] == "none":
            sex_of_patient = _pronoun_sex(tokens, patient[1])
        if patient is None and not any(f.field == "sex" for f in found):
            sex_of_patient = _pronoun_beside_age(tokens, taken)
        in_finding = frozenset(i for f in found for i in range(*f.tokens))
        scopes = Scopes(tokens, sentence_of, frozenset(terminators), in_finding)
        by_sentence: dict[int, list[Cue]] = {}
        for cue in cues:
            by_sentence.setdefault(sentence_of[cue.start], []).append(cue)
        findings = []
        for f in found:
            said = _said(f, assertion(f.tokens, by_sentence.get(sentence_of[f.tokens[0]], []),
                                      scopes, self._lexicon.windows))
            if f.field == "symptoms" and f.value == "numbness" and _before_the_cramp(
                    tokens, f.tokens[1], sentence_of):
                f = _Found("warning_signs", "numbness", f.tokens, f.chars)
            findings.append((f, said))
        if sex_of_patient is not None:
            findings.append((sex_of_patient, "present"))
        findings.extend(_sides(tokens, findings))
        findings = [(f, said) for f, said in findings if f.field != "locations"
                    or _a_cramp_site(tokens, f.tokens, found, quiet)]
        return _draft(text, findings, unmapped)

    def _matches(self, tokens: tuple[Token, ...], consumed: set[int]) -> Iterator[_Match]:
        first_words = self._lexicon.root.children  # no phrase starts with a wildcard
        i = 0
        while i < len(tokens):
            if i in consumed or tokens[i].norm not in first_words:
                i += 1
                continue
            end, entries = self._lexicon.longest(tokens, i)
            if entries and not consumed.intersection(range(i, end)):
                yield _Match(i, end, entries)
                i = end
            else:
                i += 1


def build_parser(lexicon_dir: Path) -> TextParser:
    """The parser of a worker, built once at start-up from ``rules/free_text/``; raises
    ``LexiconError`` when the lexicon does not agree with the contract's vocabulary."""
    return ContextParser(load_lexicon(lexicon_dir))


def _number_hits(text: str, starts: list[int]) -> list[Hit]:
    """Number readings that do not overlap, the more specific first."""
    chosen: list[Hit] = []
    for reader in (gestations, durations, frequencies, past_times, ages):
        for hit in reader(text, starts):
            if hit.field == "frequency" and _about_something_else(text, hit.start):
                continue
            if not any(hit.start < other.end and other.start < hit.end for other in chosen):
                chosen.append(hit)
    return chosen


def _about_something_else(text: str, start: int) -> bool:
    before = text[max(0, start - 30):start].lower()
    return any(word in before for word in ("dialysis", "football", "plays", "training",
                                           "lessons", "sessions"))


def _token_ranges(tokens: tuple[Token, ...], hits: Iterable[Hit]) -> dict[Hit, tuple[int, int]]:
    ranges = {}
    ends = [t.end for t in tokens]
    for hit in hits:
        first = bisect.bisect_right(ends, hit.start)  # the first token ending after the start
        last = first
        while last < len(tokens) and tokens[last].start < hit.end:
            last += 1
        if last > first:
            ranges[hit] = (first, last)
    return ranges


def _sentences(tokens: tuple[Token, ...]) -> list[int]:
    out, sentence = [], 0
    for token in tokens:
        out.append(sentence)
        if token.norm in SENTENCE_ENDS:
            sentence += 1
    return out


def _is_patient(tokens: tuple[Token, ...], match: _Match, sentence_of: list[int],
                hits: list[Hit]) -> bool:
    """Whether the person named is the one the text is about: an age or a pregnancy right
    beside them, or a cramp of theirs later in the clause before the writer speaks of
    themselves."""
    after = tokens[match.end - 1].end
    if any(hit.field in ("age", "pregnancy_trimester") and 0 <= hit.start - after <= 12
           for hit in hits):
        return True
    before = tokens[match.start - 2].norm if match.start >= 2 else ""
    if before in ("for", "of"):
        return True
    for i in range(match.end, len(tokens)):
        if sentence_of[i] != sentence_of[match.start] or tokens[i].norm in (";", "but"):
            return False
        if tokens[i].norm in _FIRST_PERSON:
            return False
        if tokens[i].norm in _CRAMP_WORDS:
            return True
    return False


#: How far back a dated value still counts as now, in weeks (contract 1.2's time windows).
_NOW_FOR_WEEKS = {("risk_factors", "recent_surgery"): 12.0, ("risk_factors", "immobilised"): 4.0,
                  ("risk_factors", "recent_childbirth"): 6.0, ("treatments", "new_medicine"): 6.0}
_PRONOUNS = {"he": "male", "he's": "male", "hes": "male", "his": "male", "him": "male",
             "she": "female", "she's": "female", "shes": "female", "her": "female"}


def _said(f: _Found, cue: Cue | None) -> str:
    """The assertion a cue gives a value, with the contract's readings: a dated cue is
    historical only beyond the value's time window; a clot or stroke before is still one; a
    number or a sex is never denied nor past."""
    if cue is None:
        return "present"
    if cue.weeks and cue.weeks <= _NOW_FOR_WEEKS.get((f.field, str(f.value)), 6.0):
        return "present"
    if cue.category == "historical" and (f.field, f.value) in _LASTING:
        return "present"
    if cue.category in ("absent", "historical") and (f.field in NUMBER_FIELDS or f.field == "sex"):
        return "present"
    return cue.category


def _pronoun_sex(tokens: tuple[Token, ...], after: int) -> "_Found | None":
    for i in range(after, len(tokens)):
        sex = _PRONOUNS.get(tokens[i].norm)
        if sex:
            return _Found("sex", sex, (i, i + 1), (tokens[i].start, tokens[i].end))
    return None


def _pronoun_beside_age(tokens: tuple[Token, ...], taken: dict[Hit, tuple[int, int]]
                        ) -> "_Found | None":
    """"He's 10", "my 11 yo says her calf...": a pronoun right beside the age is the patient's."""
    for hit, (start, end) in taken.items():
        if hit.field != "age":
            continue
        for i in (*range(max(0, start - 2), start), *range(end, min(end + 3, len(tokens)))):
            sex = _PRONOUNS.get(tokens[i].norm)
            if sex:
                return _Found("sex", sex, (i, i + 1), (tokens[i].start, tokens[i].end))
    return None


def _before_the_cramp(tokens: tuple[Token, ...], end: int, sentence_of: list[int]) -> bool:
    """Numbness "before it starts" or "first" is a warning sign, not a symptom."""
    for i in range(end, min(end + 6, len(tokens))):
        if sentence_of[i] != sentence_of[end - 1]:
            return False
        if tokens[i].norm in ("before", "first"):
            return True
    return False


_CLAUSE_ENDS = frozenset({",", ";", ".", "!", "?", "\n", "but"})


def _a_cramp_site(tokens: tuple[Token, ...], span: tuple[int, int], found: list[_Found],
                  quiet: set[int]) -> bool:
    """A location is where it cramps: not a body part named only as the site of another
    complaint ("feet swollen", "twitching in my calves", "her calf hurts") in a clause that
    speaks of no cramp."""
    start, end = span
    while start > 0 and tokens[start - 1].norm not in _CLAUSE_ENDS:
        start -= 1
    while end < len(tokens) and tokens[end].norm not in _CLAUSE_ENDS:
        end += 1
    clause = set(range(start, end))
    if any(tokens[i].norm in _CRAMP_WORDS for i in clause):
        return True
    other = {i for f in found if f.field not in ("locations", "side") for i in range(*f.tokens)}
    return not clause & (other | quiet)


def _sides(tokens: tuple[Token, ...], findings: list[tuple[_Found, str]]
           ) -> Iterator[tuple[_Found, str]]:
    """``side`` from the locations: left or right is one leg, plural leg parts or both sides
    both legs; the side takes the assertion of the words it comes from."""
    stated = {said for f, said in findings if f.field == "side"}
    candidates: dict[str, list[tuple[str, _Found]]] = {}
    for f, said in findings:
        if f.field != "locations" or said in stated:
            continue
        start, end = f.tokens
        word = tokens[end - 1].norm
        for i in range(max(0, start - 3), start):
            if tokens[i].norm in _SIDE_WORDS and "," not in {t.norm for t in tokens[i:start]}:
                chars = (tokens[i].start, f.chars[1])
                candidates.setdefault(said, []).append(
                    (_SIDE_WORDS[tokens[i].norm], _Found("side", "one_leg", (i, end), chars)))
                break
        else:
            if word in _PLURAL_PARTS:
                candidates.setdefault(said, []).append(
                    ("both", _Found("side", "both_legs", f.tokens, f.chars)))
    for said, found in candidates.items():
        kinds = {kind for kind, _ in found}
        if "both" in kinds:
            yield next(f for kind, f in found if kind == "both"), said
        elif kinds == {"left", "right"}:
            first = found[0][1]
            yield _Found("side", "both_legs", first.tokens, first.chars), said
        else:
            yield found[0][1], said


def _draft(text: str, findings: list[tuple[_Found, str]], unmapped: list[Unmapped]) -> Draft:
    ordered = sorted(findings, key=lambda pair: pair[0].chars)
    out: list[Finding] = []
    seen: set[tuple[str, Value, str]] = set()
    for f, said in ordered:
        value: Value = False if f.field in BOOLEAN_FIELDS and said == "absent" else f.value
        if f.field in ("age", "sex") and said != "present":
            continue  # other people's age and sex are no finding
        key = (f.field, value, said)
        if key in seen:
            continue
        seen.add(key)
        out.append(Finding(f.field, value, said, f.chars, text[f.chars[0]:f.chars[1]]))
    out = _one_time_of_day(out)
    profile: dict[str, object] = {}
    for finding in out:
        into = finding.assertion == "present" or (
            finding.field in BOOLEAN_FIELDS and finding.assertion == "absent")
        if not into:
            continue
        if finding.field in ARRAY_FIELDS:
            values = profile.setdefault(finding.field, [])
            if isinstance(values, list) and finding.value not in values:
                values.append(finding.value)
        elif finding.field in _SINGLE and finding.field not in profile:
            profile[finding.field] = finding.value
    if "locations" in profile and isinstance(profile["locations"], list):
        profile["locations"] = profile["locations"][:4]
    if profile.get("pregnant") is not True:
        profile.pop("pregnancy_trimester", None)
    absent = tuple((f.field, f.value) for f in out if f.assertion == "absent")
    return Draft(profile, tuple(out), absent, tuple(unmapped))


def _one_time_of_day(findings: list[Finding]) -> list[Finding]:
    """Night and day both stated present make ``both``, as the contract's values mean."""
    times = [f for f in findings if f.field == "time_of_day" and f.assertion == "present"]
    if {f.value for f in times} >= {"night", "day"}:
        first = times[0]
        findings = [f for f in findings if f not in times]
        findings.append(Finding("time_of_day", "both", "present", first.span, first.text))
    return findings
