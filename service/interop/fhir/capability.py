"""The FHIR R4 CapabilityStatement of ``GET /v1/fhir/metadata``: what this server really does.

It claims only what the routes of service/fhir answer: ``read`` and ``search-type`` by ``url``
of the intake Questionnaire, the CodeSystems and the ValueSets, JSON only. Advice is no FHIR
interaction: ``POST /v1/advice`` takes a QuestionnaireResponse, which ``rest.documentation``
describes in words.
"""

from service.config import PACKAGE, VERSION
from service.contract.documents import JSONObject
from service.interop.fhir.questionnaire import DATE, PUBLISHER, SDC_QUESTIONNAIRE

FHIR_VERSION = "4.0.1"
#: The search parameter of the terminology resources, as FHIR defines it for both.
URL_PARAMETER = {
    "name": "url", "type": "uri",
    "documentation": "The canonical URL, optionally with |version; ',' separates alternatives.",
}
REST_DOCUMENTATION = (
    "The FHIR face of the leg-cramps advice service. The intake Questionnaire is read at "
    "Questionnaire/leg-cramps-intake (GET Questionnaire searches it by url). Advice is not a "
    "FHIR interaction: POST a QuestionnaireResponse to that "
    "Questionnaire to /v1/advice (outside this base) with Content-Type application/fhir+json; "
    "docs/integrations.md and openapi.yaml describe the answer. The canonical URLs under "
    "https://leg-cramps-advice.example/fhir are identifiers: each CodeSystem and ValueSet is "
    "served at this base with the same path, and found by its canonical with ?url=."
)


def capability_statement(base_url: str | None) -> JSONObject:
    """The CapabilityStatement of this instance, whose FHIR base is ``base_url`` (None: unknown,
    so ``implementation`` names no URL)."""
    implementation = {"description": "Leg-cramp advice service"}
    if base_url:
        implementation["url"] = base_url
    return {
        "resourceType": "CapabilityStatement",
        "name": "LegCrampsAdvice",
        "title": "Leg-cramp advice service: FHIR face",
        "status": "active",
        "experimental": False,
        "date": DATE,
        "publisher": PUBLISHER,
        "description": "A leg-cramps intake Questionnaire and its terminology, read-only.",
        "kind": "instance",
        "software": {"name": PACKAGE, "version": VERSION},
        "implementation": implementation,
        "fhirVersion": FHIR_VERSION,
        "format": ["json", "application/fhir+json"],
        "rest": [{
            "mode": "server",
            "documentation": REST_DOCUMENTATION,
            "resource": [
                {**_searchable("Questionnaire"), "supportedProfile": [SDC_QUESTIONNAIRE]},
                _searchable("CodeSystem"),
                _searchable("ValueSet"),
            ],
        }],
    }


def _searchable(kind: str) -> JSONObject:
    return {
        "type": kind,
        "interaction": [{"code": "read"}, {"code": "search-type"}],
        "searchParam": [URL_PARAMETER],
    }
