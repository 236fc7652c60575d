"""The intake's CodeSystems and ValueSets: valid FHIR, served at their canonical paths, findable
by canonical URL, and exactly the codes of the Questionnaire's items.

The Questionnaire is the starting point, as for a FHIR client: every system its answer options
name must resolve, either to a CodeSystem this service serves or to FHIR's administrative-gender.
Resources are validated with the R4B models of fhir.resources (the package's R4 models need
pydantic 1); their CodeSystem, ValueSet and Bundle have the R4 elements used here.
"""

import pytest
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.codesystem import CodeSystem
from fhir.resources.R4B.operationoutcome import OperationOutcome
from fhir.resources.R4B.valueset import ValueSet

from service.config import VERSION
from service.contract import vocabulary
from tests.support.fhir_builders import CANONICAL_BASE, served_path

ADMINISTRATIVE_GENDER = "http://hl7.org/fhir/administrative-gender"
CHOICE_FIELDS = [*vocabulary.ARRAY_FIELDS, *vocabulary.ENUM_FIELDS]


def choice_items(questionnaire: dict) -> dict:
    return {item["linkId"]: item for item in questionnaire["item"] if item["type"] == "choice"}


def codings(item: dict) -> dict:
    """``{code: display}`` of an item's answer options."""
    return {option["valueCoding"]["code"]: option["valueCoding"]["display"]
            for option in item["answerOption"]}


def fetch(client, path: str) -> dict:
    response = client.get(path)
    assert response.status_code == 200, path
    assert response.mimetype == "application/fhir+json"
    return response.get_json(force=True)


@pytest.mark.parametrize("field", CHOICE_FIELDS)
def test_every_answer_system_of_the_questionnaire_is_a_served_code_system_of_its_codes(
    client, questionnaire, field
):
    item = choice_items(questionnaire)[field]
    (system,) = {option["valueCoding"]["system"] for option in item["answerOption"]}
    if field == "sex":
        assert system == ADMINISTRATIVE_GENDER
        assert client.get(served_path(f"{CANONICAL_BASE}/CodeSystem/sex")).status_code == 404
        return
    code_system = CodeSystem.model_validate(fetch(client, served_path(system)))

    assert code_system.url == system
    assert (code_system.status, code_system.content, code_system.caseSensitive) == (
        "active", "complete", True)
    assert code_system.version == questionnaire["version"]
    assert {concept.code: concept.display for concept in code_system.concept} == codings(item)
    assert code_system.count == len(item["answerOption"])


@pytest.mark.parametrize("field", CHOICE_FIELDS)
def test_every_choice_field_has_a_value_set_of_exactly_its_codes(client, questionnaire, field):
    item = choice_items(questionnaire)[field]
    canonical = f"{CANONICAL_BASE}/ValueSet/{field.replace('_', '-')}"
    value_set = ValueSet.model_validate(fetch(client, served_path(canonical)))

    (include,) = value_set.compose.include
    assert (value_set.url, value_set.status) == (canonical, "active")
    if include.concept:  # the codes listed: sex, in administrative-gender
        assert include.system == ADMINISTRATIVE_GENDER
        assert {concept.code: concept.display for concept in include.concept} == codings(item)
    else:  # the whole CodeSystem of the field
        assert include.system == item["answerOption"][0]["valueCoding"]["system"]
        assert fetch(client, served_path(include.system))["valueSet"] == canonical


@pytest.mark.parametrize("kind", ["CodeSystem", "ValueSet"])
def test_a_search_by_canonical_url_finds_exactly_that_resource(client, kind):
    canonical = f"{CANONICAL_BASE}/{kind}/symptoms"
    for query in (canonical, f"{canonical}|{VERSION}", f"{CANONICAL_BASE}/{kind}/x,{canonical}"):
        bundle = Bundle.model_validate(fetch(client, f"/v1/fhir/{kind}?url={query}"))

        assert (bundle.type, bundle.total) == ("searchset", 1), query
        assert bundle.entry[0].resource.url == canonical
        assert bundle.entry[0].fullUrl == f"http://localhost{served_path(canonical)}"


@pytest.mark.parametrize("query", ["url=https://example.org/CodeSystem/symptoms",
                                   f"url={CANONICAL_BASE}/CodeSystem/symptoms|1.0.0",
                                   f"url={CANONICAL_BASE}/CodeSystem/symptoms"
                                   f"&url={CANONICAL_BASE}/CodeSystem/triggers"])
def test_a_search_that_matches_nothing_is_an_empty_searchset(client, query):
    bundle = Bundle.model_validate(fetch(client, f"/v1/fhir/CodeSystem?{query}"))

    assert (bundle.type, bundle.total, bundle.entry) == ("searchset", 0, None)


def test_a_search_without_url_finds_every_resource_of_the_type(client, questionnaire):
    code_systems = fetch(client, "/v1/fhir/CodeSystem")
    value_sets = fetch(client, "/v1/fhir/ValueSet")

    # Not sex, which is administrative-gender's; and the CDS cards' override reasons besides.
    assert code_systems["total"] == len(CHOICE_FIELDS) - 1 + 1
    assert value_sets["total"] == len(CHOICE_FIELDS) + 1
    assert {entry["resource"]["id"] for entry in value_sets["entry"]} == {
        *(field.replace("_", "-") for field in choice_items(questionnaire)), "override-reason"}


@pytest.mark.parametrize("path", ["/v1/fhir/CodeSystem/knee", "/v1/fhir/ValueSet/knee"])
def test_an_unknown_id_is_a_404_operation_outcome(client, path):
    response = client.get(path)

    assert (response.status_code, response.mimetype) == (404, "application/fhir+json")
    assert OperationOutcome.model_validate(response.get_json(force=True)).issue[0].code == (
        "not-found")
