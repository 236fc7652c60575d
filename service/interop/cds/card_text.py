"""The text of CDS Hooks cards: summaries that fit, GitHub-flavoured markdown that cites.

The texts come from the knowledge base (authored, never from the request), so they are used as
they are; what the request contributes (evidence such as ``symptoms.swelling``) is a vocabulary
value and goes in code spans.
"""

import re
from collections.abc import Iterable

from service.contract.answer import TraceStep
from service.contract.vocabulary import REQUEST_FIELDS
from service.interop.fhir.requests import Cited

#: CDS Hooks: a summary is "<140-character".
SUMMARY_LIMIT = 139
_SENTENCE_END = re.compile(r"(?<=[.!?])\s")


def shorten(text: str, limit: int = SUMMARY_LIMIT) -> str:
    """``text`` on one line within ``limit`` characters: its first sentence if the whole does
    not fit, cut at a word (with an ellipsis) if the first sentence does not fit either."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    first = _SENTENCE_END.split(text, maxsplit=1)[0]
    if len(first) <= limit:
        return first
    cut = first[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"


def source_of(item: Cited) -> str:
    """Where an item comes from, in words: a section of the article, or the safety layer."""
    if item.source.is_safety:
        return "safety layer"
    return f"article, “{item.source.section}”"


def references(item: Cited) -> str:
    """The published guidance a safety item follows, as markdown links; nothing if none."""
    links = [f"[{ref.title}]({ref.url}) ({ref.publisher})" for ref in item.source.references]
    return section("Guidance", links)


def cite(item: Cited) -> str:
    """An item's text followed by its source, in italics."""
    return f"{item.text} *({source_of(item)})*"


def section(heading: str, lines: list[str]) -> str:
    """A bold heading and a bullet list; nothing at all when there are no lines."""
    if not lines:
        return ""
    return f"**{heading}**\n\n" + "\n".join(f"- {line}" for line in lines)


def code_list(facts: Iterable[str]) -> str:
    """Facts as code spans: ``a``, ``b``."""
    return ", ".join(f"`{fact}`" for fact in facts)


def reported_facts(facts: Iterable[str], trace: tuple[TraceStep, ...]) -> list[str]:
    """The request facts behind ``facts``: a derived fact (``red_or_warm_skin``) is followed back
    through the trace to the input facts it came from (``symptoms.redness``)."""
    derived_from: dict[str, list[str]] = {}
    for step in trace:
        for fact in step.derived:
            derived_from.setdefault(fact, []).extend(step.because)
    found, pending, seen = set(), list(facts), set()
    while pending:
        fact = pending.pop()
        if fact in seen:
            continue
        seen.add(fact)
        # [a-z_]* matches every text, if only its empty start: never None.
        if re.match(r"[a-z_]*", fact).group() in REQUEST_FIELDS:  # type: ignore[union-attr]
            found.add(fact)
        else:
            pending.extend(derived_from.get(fact, ()))
    return sorted(found)
