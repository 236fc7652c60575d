"""Every FHIR resource the service writes is valid R4 to FHIR.js, an independent validator.

FHIR.js checks what fhir.resources does not, such as the types a reference may point to: an R4
GuidanceResponse's ``reasonReference`` may name a Condition, Observation, DiagnosticReport or
DocumentReference only, never the QuestionnaireResponse it answers. The GuidanceResponses of
every rules-file example are checked in tests/rules/test_examples.py; here, the resources the
FHIR face serves, and that FHIR.js does refuse what R4 forbids.
"""

import pytest

from tests.support.fhir_validator import fhir_js_errors

pytestmark = pytest.mark.server  # it runs Node.js


def test_fhir_js_does_refuse_a_reference_to_a_type_r4_does_not_allow():
    wrong = {"resourceType": "GuidanceResponse", "status": "success", "moduleUri": "urn:x",
             "reasonReference": [{"reference": "QuestionnaireResponse/1"}]}

    assert fhir_js_errors([wrong]) != [[]]


def test_the_questionnaire_metadata_terminology_and_their_searches_are_valid_r4(client):
    paths = ["/v1/fhir/metadata", "/v1/fhir/Questionnaire/leg-cramps-intake",
             "/v1/fhir/Questionnaire", "/v1/fhir/CodeSystem", "/v1/fhir/ValueSet",
             "/v1/fhir/CodeSystem/symptoms", "/v1/fhir/ValueSet/sex"]
    resources = [client.get(path).get_json() for path in paths]

    assert dict(zip(paths, fhir_js_errors(resources), strict=True)) == {path: [] for path in paths}
