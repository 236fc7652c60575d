"""docs/api.md, the contract in words, names every value a client may send or receive.

The vocabularies live in service/contract/vocabulary.py; openapi.yaml is checked against them
elsewhere.
This keeps the page a reader relies on from falling behind either.
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
