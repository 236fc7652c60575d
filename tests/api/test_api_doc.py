"""docs/api.md, the contract in words, names every value a client may send or receive.

The vocabularies live in service/contract/vocabulary.py: the page's table of request values is
generated from it (tests/api/test_contract_docs.py), and the rest of the page, written by hand,
is held to it here, as openapi.yaml is elsewhere. This keeps the page a reader relies on from
falling behind either.
"""

import re

import pytest

from service.config import PROJECT_ROOT
from service.contract import vocabulary

PAGE = (PROJECT_ROOT / "docs" / "api.md").read_text(encoding="utf-8")
#: Names in code spans, and the keys of the page's JSON skeleton of the answer.
NAMED = {name for pair in re.findall(r'`([a-z_]+)`|"([a-z_]+)":', PAGE) for name in pair if name}
VOCABULARIES = {
    **vocabulary.ARRAY_FIELDS, **vocabulary.ENUM_FIELDS,
    "urgency": vocabulary.URGENCIES, "phase": vocabulary.PHASES,
    "cause group": tuple(vocabulary.CAUSE_GROUPS), "specialist": vocabulary.SPECIALISTS,
    "test": vocabulary.TESTS, "request field": vocabulary.REQUEST_FIELDS,
}


@pytest.mark.parametrize("name", VOCABULARIES)
def test_the_page_names_every_value_of(name):
    assert set(VOCABULARIES[name]) - NAMED == set()


def test_the_page_names_every_field_of_the_answer(client):
    answer = client.post("/v1/advice", json={"locations": ["calf"]}).get_json()
    assert set(answer) - NAMED == set()


def _request_table() -> list[list[str]]:
    """The cells of the rows of the request table (the one whose header is field, type,
    meaning)."""
    lines = PAGE[PAGE.index("| field | type | meaning |"):].splitlines()[2:]
    rows = []
    for line in lines:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip("|").split("|")])
    return rows


def test_the_request_table_has_a_row_for_each_field_in_the_contracts_order():
    fields = [re.fullmatch(r"`([a-z_]+)`( \(1\.\d+\))?", row[0]).group(1)
              for row in _request_table()]
    assert fields == list(vocabulary.REQUEST_FIELDS)


def test_the_request_table_marks_a_field_added_after_1_0_with_its_version():
    marked = {row[0].split()[0].strip("`"): row[0].split()[1:] for row in _request_table()}
    for field in vocabulary.REQUEST_FIELDS:
        values = vocabulary.LABELS.get(field, {})
        versions = {vocabulary.added_in(field, value) for value in values}
        added = versions.pop() if len(versions) == 1 and "1.0" not in versions else None
        assert marked[field] == ([f"({added})"] if added else []), field


def test_the_last_six_cause_groups_are_the_dangerous_ones_as_the_page_says():
    assert "the last six are the dangerous ones" in " ".join(PAGE.split())
    assert list(vocabulary.CAUSE_GROUPS.values()) == [False] * 5 + [True] * 6
