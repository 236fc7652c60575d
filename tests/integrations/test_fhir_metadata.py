"""GET /v1/fhir/metadata: a valid R4 CapabilityStatement that claims what the server does and
nothing else, checked by doing each interaction it claims; and the FHIR face through gunicorn.

Validated with the R4B CapabilityStatement of fhir.resources (it has the R4 elements used here);
``fhirVersion`` says 4.0.1 all the same, since the service speaks R4.
"""

import json
from importlib.metadata import version

import pytest
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.capabilitystatement import CapabilityStatement
from fhir.resources.R4B.codesystem import CodeSystem

from service import create_app
from tests.support.fhir_builders import CANONICAL_BASE, served_path
from tests.support.gunicorn import running_gunicorn

METADATA = "/v1/fhir/metadata"
SDC_QUESTIONNAIRE = "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire"
#: A resource of each type the statement may name, to do its interactions on.
EXAMPLE_IDS = {"Questionnaire": "leg-cramps-intake", "CodeSystem": "locations",
               "ValueSet": "sex"}


@pytest.fixture(scope="module")
def statement(app) -> dict:
    response = app.test_client().get(METADATA)
    assert (response.status_code, response.mimetype) == (200, "application/fhir+json")
    return response.get_json()


def test_metadata_is_a_valid_r4_capability_statement_of_this_instance(statement):
    resource = CapabilityStatement.model_validate(statement)

    assert (resource.status, resource.kind, resource.fhirVersion) == ("active", "instance",
                                                                     "4.0.1")
    assert "json" in resource.format and resource.date and resource.publisher
    assert resource.software.version == version("leg-cramps-advice")
    assert resource.implementation.url == "http://localhost/v1/fhir"


def test_it_serves_the_questionnaire_and_the_terminology_read_and_search_only(statement):
    (rest,) = statement["rest"]
    claims = {resource["type"]: [interaction["code"] for interaction in resource["interaction"]]
              for resource in rest["resource"]}

    assert rest["mode"] == "server"
    assert claims == {kind: ["read", "search-type"]
                      for kind in ("Questionnaire", "CodeSystem", "ValueSet")}
    assert rest["resource"][0]["supportedProfile"] == [SDC_QUESTIONNAIRE]
    assert "/v1/advice" in rest["documentation"]


def test_every_claimed_interaction_answers(client, statement):
    for resource in statement["rest"][0]["resource"]:
        kind = resource["type"]
        for interaction in resource["interaction"]:
            if interaction["code"] == "read":
                read = client.get(f"/v1/fhir/{kind}/{EXAMPLE_IDS[kind]}").get_json(force=True)
                assert (read["resourceType"], read["id"]) == (kind, EXAMPLE_IDS[kind])
            else:
                (parameter,) = resource["searchParam"]
                canonical = f"{CANONICAL_BASE}/{kind}/{EXAMPLE_IDS[kind]}"
                found = client.get(f"/v1/fhir/{kind}?{parameter['name']}={canonical}")
                assert Bundle.model_validate(found.get_json(force=True)).total == 1


def test_the_public_base_url_gives_the_implementation_url_and_the_bundle_links():
    app = create_app({"TESTING": True, "CDS_HOOKS_AUTH": "off",
                      "PUBLIC_BASE_URL": "https://fhir.example.org/"})
    client = app.test_client()
    statement = client.get(METADATA).get_json(force=True)
    bundle = client.get("/v1/fhir/ValueSet?url=x").get_json(force=True)

    assert statement["implementation"]["url"] == "https://fhir.example.org/v1/fhir"
    assert bundle["link"][0]["url"] == "https://fhir.example.org/v1/fhir/ValueSet?url=x"


@pytest.mark.server
def test_a_fhir_client_reads_metadata_and_resolves_a_canonical_through_gunicorn(tmp_path):
    canonical = f"{CANONICAL_BASE}/CodeSystem/frequency"
    with running_gunicorn(tmp_path / "gunicorn.log", workers=1) as server:
        metadata = server.request("GET", METADATA, headers={"Accept": "application/fhir+json"})
        found = server.request("GET", f"/v1/fhir/CodeSystem?url={canonical}")
        read = server.request("GET", served_path(canonical))
        missing = server.request("GET", "/v1/fhir/Patient/1288992")

    statement = CapabilityStatement.model_validate(json.loads(metadata.body))
    assert statement.implementation.url == f"{server.base_url}/v1/fhir"
    bundle = Bundle.model_validate(json.loads(found.body))
    assert bundle.entry[0].fullUrl == f"{server.base_url}{served_path(canonical)}"
    assert CodeSystem.model_validate(json.loads(read.body)).url == canonical
    assert all(response.content_type == "application/fhir+json"
               for response in (metadata, found, read, missing))
    assert (missing.status, json.loads(missing.body)["resourceType"]) == (404, "OperationOutcome")
