"""Every list item of the document is used, quoted verbatim, or deliberately excluded with a reason.

A list item is a bullet (``•``) or numbered (``1.``) line of the document, without its bullet or
number and its trailing ``;`` or ``.``. It is covered when some source quote of a rule or item
contains it (white space folded), or some ``excluded`` quote does.
"""

import re
from pathlib import Path

import pytest

from service.knowledge.checks import document_headings, fold
from tests.support.knowledge import project_knowledge

RULES = Path(__file__).resolve().parents[2] / "rules"
KB = project_knowledge()
LIST_LINE = re.compile(r"^(?:•|\d+\.)\s*(?P<text>.*)$")


def list_items(document: str) -> list[str]:
    """The document's list items, in document order."""
    items = []
    for line in document.splitlines():
        found = LIST_LINE.match(line.strip())
        if found:
            items.append(fold(found["text"]).rstrip(";.").strip())
    return items


def source_quotes(kb) -> list[str]:
    """Every verbatim quote a rule or a catalogue item cites, white space folded."""
    sources = [rule.source for rule in kb.rules]
    sources += [item.source for table in kb.items.values() for item in table.values()]
    return [fold(source["quote"]) for source in sources if source and "quote" in source]


def excluded_quotes(kb) -> list[str]:
    return [fold(entry["quote"]) for entry in kb.excluded]


def sections(document: str) -> dict[str, list[str]]:
    """Each heading and the text under it, up to the next heading.

    Headings that follow one another with no text between (a heading and its sub-heading)
    share the text that follows them; a heading used twice has two texts.
    """
    headings = document_headings(document)
    texts: dict[str, list[str]] = {}
    run: list[str] = []
    body: list[str] = []
    for line in [*document.splitlines(), None]:
        stripped = line.strip() if line is not None else None
        if stripped is None or stripped in headings:
            if body:
                for heading in run:
                    texts.setdefault(heading, []).append(fold(" ".join(body)))
                run, body = [], []
            run.append(stripped)
        elif stripped:
            body.append(stripped)
    return texts


ITEMS = list_items(KB.document)
USED = source_quotes(KB)
EXCLUDED = excluded_quotes(KB)


def test_the_document_has_the_list_items_the_coverage_is_about():
    assert len(ITEMS) > 60
    assert "water-electrolyte imbalance" in ITEMS
    assert "Change the position of the limb, rotate it" in ITEMS
    assert "Muscle relaxants:" in ITEMS


@pytest.mark.parametrize("item", ITEMS, ids=[item[:60] for item in ITEMS])
def test_every_list_item_is_quoted_by_a_rule_or_item_or_excluded_with_a_reason(item):
    used = any(item in quote for quote in USED)
    excluded = any(item in quote for quote in EXCLUDED)
    assert used or excluded, f"list item neither used nor excluded: {item!r}"


def test_every_excluded_quote_is_verbatim_from_the_document_and_has_a_reason():
    document = fold(KB.document)
    for entry in KB.excluded:
        where = f"{entry['file']}: excluded {entry['quote']!r}"
        assert fold(entry["quote"]) in document, f"{where} is not verbatim"
        assert entry["reason"].strip(), f"{where} has no reason"


def test_no_advice_cites_a_part_of_the_document_that_is_excluded():
    cited = [(quote, excluded) for excluded in EXCLUDED for quote in USED if excluded in quote]
    assert cited == []


def test_every_quote_lies_in_the_section_it_names():
    texts = sections(KB.document)
    misplaced = []
    sources = [(f"{rule.file}: rule {rule.id}", rule.source) for rule in KB.rules]
    sources += [
        (f"{kind} item {item.id}", item.source)
        for kind, table in KB.items.items() for item in table.values() if item.source
    ]
    for where, source in sources:
        if source["section"] == "safety":
            continue
        under = texts.get(source["section"], [])
        if not any(fold(source["quote"]) in text for text in under):
            misplaced.append(f"{where}: not under {source['section']!r}")
    assert misplaced == []


def test_every_catalogue_item_is_added_by_some_rule():
    added = {(kind, i) for rule in KB.rules for kind, ids in rule.add.items() for i in ids}
    unused = [
        f"{kind}.{item_id}"
        for kind, table in KB.items.items() for item_id in table
        if (kind, item_id) not in added
    ]
    assert unused == []
