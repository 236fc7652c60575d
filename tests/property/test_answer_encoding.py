"""The answer leaves the service as its own JSON text: byte for byte what ``json.dumps`` makes of
its plain form, with exactly the fields openapi.yaml gives each part.

``POST /v1/advice`` writes the typed answer's :meth:`~service.contract.answer.Answer.json`, joined
from texts its parts carry (prepared once per item, service/advice/prepared.py). For any profile
those bytes must be what Flask would write of :meth:`~service.contract.answer.Answer.as_dict`:
no field the contract lacks, none missing, none out of order, no value of another type. Here over
random profiles; every rules-file example is checked in tests/rules/test_examples.py.
"""

import pytest
from hypothesis import given, settings

from service.advice.prepared import CLASSES, field_names
from tests.support.answer_forms import plain_form_bytes
from tests.support.openapi_check import load_spec
from tests.support.strategies import valid_profiles

pytestmark = pytest.mark.slow

#: The schema of each kind of item in openapi.yaml.
SCHEMAS = {"emergency_steps": "EmergencyStep", "cause_groups": "CauseGroup",
           "lifestyle_rules": "TextItem", "medication_info": "MedicationInfo",
           "warnings": "TextItem", "specialists": "Specialist", "tests": "MedicalTest"}


@settings(max_examples=300, deadline=None)
@given(profile=valid_profiles())
def test_the_served_answer_is_byte_for_byte_what_flask_writes_of_its_plain_form(app, profile):
    response = app.test_client().post("/v1/advice", json=profile)
    assert response.status_code == 200, response.get_data(as_text=True)

    assert response.get_data() == plain_form_bytes(app, profile)


def test_each_kind_of_item_has_exactly_the_fields_openapi_gives_it():
    schemas = load_spec()["components"]["schemas"]

    assert set(CLASSES) == set(SCHEMAS)
    for kind, name in SCHEMAS.items():
        assert set(field_names(kind)) == set(schemas[name]["properties"]), kind
