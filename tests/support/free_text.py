"""The free-text gold set (tests/free_text) and its scoring, as its annotator's score.py scores.

A predicted finding is a true positive when field, value and assertion equal a gold finding's
and its span overlaps an occurrence of the gold evidence; each gold finding matches once. Apart
from that, the worst error is counted: a finding the gold set says is denied that the parser
put into the draft profile (a boolean denied goes in as ``false``, which is right).
"""

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from service.config import PROJECT_ROOT
from service.contract.free_text import Draft, Finding, TextParser
from service.free_text import build_parser

GOLD_DIR = PROJECT_ROOT / "tests" / "free_text"
LEXICON_DIR = PROJECT_ROOT / "rules" / "free_text"
PARTS = ("gold", "held_out")
ARTIFACT = PROJECT_ROOT / "test-artifacts/free-text-scores.md"


def parser() -> TextParser:
    return build_parser(LEXICON_DIR)


def entries(part: str) -> list[dict]:
    return yaml.safe_load((GOLD_DIR / f"{part}.yaml").read_text(encoding="utf-8"))


@dataclass
class Score:
    """True and false positives and false negatives per field, and the worst errors."""

    tp: Counter = field(default_factory=Counter)
    fp: Counter = field(default_factory=Counter)
    fn: Counter = field(default_factory=Counter)
    denied_into_profile: list[str] = field(default_factory=list)
    texts: int = 0

    def prf(self, fields: set[str] | None = None) -> tuple[float, float, int, int, int]:
        keys = set(self.tp) | set(self.fp) | set(self.fn)
        chosen = [k for k in keys if fields is None or k in fields]
        tp, fp, fn = (sum(c[k] for k in chosen) for c in (self.tp, self.fp, self.fn))
        return (tp / (tp + fp) if tp + fp else 1.0, tp / (tp + fn) if tp + fn else 1.0,
                tp, fp, fn)


def _same(gold: object, predicted: object) -> bool:
    if isinstance(gold, bool) or isinstance(predicted, bool):
        return gold is predicted
    if isinstance(gold, int | float) and isinstance(predicted, int | float):
        return abs(gold - predicted) < 1e-6
    return gold == predicted


def _overlaps(text: str, evidence: str, span: tuple[int, int]) -> bool:
    i = text.find(evidence)
    while i >= 0:
        if span[0] < i + len(evidence) and i < span[1]:
            return True
        i = text.find(evidence, i + 1)
    return False


def _in_profile(draft: Draft, gold: dict) -> bool:
    held = draft.profile.get(gold["field"])
    return gold["value"] in held if isinstance(held, list) else held == gold["value"] and not (
        isinstance(held, bool) and held is False)


def score(the_parser: TextParser, part: str) -> Score:
    result = Score()
    for entry in entries(part):
        result.texts += 1
        draft = the_parser.parse(entry["text"])
        unmatched = list(entry["findings"])
        for predicted in draft.findings:
            hit = next((g for g in unmatched if _matches(entry["text"], g, predicted)), None)
            if hit is None:
                result.fp[predicted.field] += 1
            else:
                unmatched.remove(hit)
                result.tp[predicted.field] += 1
        for gold in unmatched:
            result.fn[gold["field"]] += 1
        result.denied_into_profile.extend(
            f"{entry['id']}: {gold['field']}={gold['value']}" for gold in entry["findings"]
            if gold["assertion"] == "absent" and _in_profile(draft, gold)
            and not any(other["assertion"] == "present" and other["field"] == gold["field"]
                        and other["value"] == gold["value"] for other in entry["findings"]))
    return result


def _matches(text: str, gold: dict, predicted: Finding) -> bool:
    return (gold["field"] == predicted.field and gold["assertion"] == predicted.assertion
            and _same(gold["value"], predicted.value)
            and _overlaps(text, gold["evidence"], predicted.span))


def table(scores: dict[str, Score]) -> str:
    """The per-field precision and recall of each part, as a markdown table."""
    fields = sorted({k for s in scores.values() for k in (*s.tp, *s.fp, *s.fn)})
    head = "| field | " + " | ".join(f"{part} P | {part} R | {part} tp/fp/fn"
                                       for part in scores) + " |"
    rule = "|---|" + "---:|---:|---|" * len(scores)
    rows = []
    for name in [None, *fields]:
        cells = []
        for s in scores.values():
            p, r, tp, fp, fn = s.prf(None if name is None else {name})
            cells.append(f"{p:.3f} | {r:.3f} | {tp}/{fp}/{fn}")
        label = "**all findings**" if name is None else f"`{name}`"
        rows.append(f"| {label} | " + " | ".join(cells) + " |")
    worst = ", ".join(f"{part}: {len(s.denied_into_profile)}" for part, s in scores.items())
    texts = ", ".join(f"{part}: {s.texts} texts" for part, s in scores.items())
    return "\n".join([
        "# Free-text parser: precision and recall on the gold set",
        "",
        f"Written by tests/free_text/test_gold_scores.py ({texts}); scored as the annotator's "
        "score.py scores (field, value and assertion equal, span overlapping the evidence).",
        "",
        head, rule, *rows, "",
        f"Denied findings put into the draft profile (the worst error): {worst}.", ""])


def write_artifact(text: str, path: Path = ARTIFACT) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def lexicon_phrases() -> dict[tuple[str, object], list[str]]:
    """Every phrase of rules/free_text/lexicon.yaml by (field, value), wildcards left out."""
    fields = yaml.safe_load((LEXICON_DIR / "lexicon.yaml").read_text(encoding="utf-8"))["fields"]
    return {(name, value): [p for p in phrases if "*" not in p.split()]
            for name, values in fields.items() for value, phrases in values.items()}


def words() -> list[str]:
    """Words and phrases a free text is made of: the lexicon's, the cues', numbers, marks."""
    cues = yaml.safe_load((LEXICON_DIR / "cues.yaml").read_text(encoding="utf-8"))
    pool = [p for phrases in lexicon_phrases().values() for p in phrases]
    for name, sides in cues.items():
        if isinstance(sides, dict) and name != "window":
            pool.extend(p for phrases in sides.values() for p in phrases)
        elif isinstance(sides, list):
            pool.extend(sides)
    pool.extend(["12", "72", "seventy-two", "10 to 20 minutes", "half an hour", "twice a week",
                 "34 weeks pregnant", "3 years ago", "2 weeks ago", "66M", "(16)", ",", ".",
                 ";", "?", "\n", "and", "i", "my", "it", "cramp", "cramps", "in my"])
    return sorted(set(pool))
