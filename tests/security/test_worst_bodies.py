"""The worst bodies that fit in 64 KiB get a small problem document, whatever their shape.

A body of 21,832 unknown values once got a 7.3 MB 400, and CDS feedback of 21,840 empty
entries a 4.5 MB one: sixteen of them took the workers to 243 MiB. Each body of
tests/support/worst_bodies.py must now answer a 4xx problem of a few KiB that still says what is
wrong and how much more there was. What each costs is measured by ``make bench``, never here.
"""

import json

import pytest

from service.contract.problems import BUDGET, MAX_MESSAGES, Problems
from service.contract.request import MAX_LOCATIONS
from service.contract.vocabulary import ARRAY_FIELDS
from tests.support.worst_bodies import MAX_BODY, WORST

#: The budget of shown messages, plus field names, counts and the document's other members.
SMALL = BUDGET + 2048


@pytest.mark.parametrize("name", list(WORST))
def test_a_worst_body_gets_a_small_problem_document(app, name):
    path, content_type, body = WORST[name]
    assert len(body) <= MAX_BODY
    response = app.test_client().post(path, data=body, content_type=content_type)
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    assert len(response.data) <= SMALL, f"{len(response.data):,} bytes"
    errors = json.loads(response.data)["errors"]
    assert errors and all(messages for messages in errors.values())


@pytest.mark.parametrize("name, field", [("repeated location", "locations"),
                                         ("unknown conditions", "conditions")])
def test_an_array_longer_than_its_vocabulary_is_refused_with_its_length(app, name, field):
    path, content_type, body = WORST[name]
    response = app.test_client().post(path, data=body, content_type=content_type)
    sent = len(json.loads(body)[field])
    fewest, most = (1, MAX_LOCATIONS) if field == "locations" else (0, len(ARRAY_FIELDS[field]))
    assert response.get_json()["errors"][field] == [
        f"Must hold {fewest} to {most} distinct values; got {sent:,}."]


def test_a_fhir_item_with_more_answers_than_codes_is_refused_with_their_number(app):
    path, content_type, body = WORST["FHIR many bad answers"]
    response = app.test_client().post(path, data=body, content_type=content_type)
    sent = len(json.loads(body)["item"][0]["answer"])
    most = len(ARRAY_FIELDS["conditions"])
    assert response.get_json()["errors"]["conditions"] == [
        f"Takes at most {most} answers; got {sent:,}."]


def test_what_is_left_out_is_counted(app):
    path, content_type, body = WORST["CDS feedback of empty entries"]
    errors = app.test_client().post(path, data=body, content_type=content_type).get_json()[
        "errors"]
    assert "feedback.0.card" in errors
    assert any("more feedback entries, not checked" in m for m in errors["_schema"])


def test_a_field_shows_its_first_problems_and_counts_the_rest():
    problems = Problems()
    for index in range(12):
        problems.add("conditions", f"Item {index}: bad.")
    shown = problems.shown()["conditions"]
    assert shown[:MAX_MESSAGES] == [f"Item {i}: bad." for i in range(MAX_MESSAGES)]
    assert shown[MAX_MESSAGES:] == ["... and 7 more problems with this field."]


def test_fields_beyond_the_budget_are_counted_in_schema_and_names_are_cut():
    problems = Problems()
    for index in range(5000):
        problems.add(f"field{index}" + "x" * 200, "Unknown field.")
    shown = problems.shown()
    assert len(json.dumps(shown)) <= SMALL
    assert all(len(name) <= 80 for name in shown)
    left_out = 5000 - (len(shown) - 1)
    assert shown["_schema"] == [f"... and {left_out:,} more problems with other fields, left out."]


def test_renaming_keeps_the_counts():
    problems = Problems()
    for index in range(8):
        problems.add("conditions", f"Item {index}: bad.")
    renamed = problems.renamed(lambda name: f"prefetch.intake.{name}").shown()
    assert list(renamed) == ["prefetch.intake.conditions"]
    assert renamed["prefetch.intake.conditions"][-1] == "... and 3 more problems with this field."
