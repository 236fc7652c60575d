"""The answer leaves the service as its own JSON text: byte for byte what ``json.dumps`` makes of
its plain form, with exactly the fields openapi.yaml gives each part.

``POST /v1/advice`` writes the typed answer's :meth:`~service.contract.answer.Answer.json`, joined
from texts its parts carry (prepared once per item, service/advice/prepared.py). For any profile
those bytes must be what Flask would write of :meth:`~service.contract.answer.Answer.as_dict`:
no field the contract lacks, none missing, none out of order, no value of another type.
"""

import pytest
from hypothesis import given, settings

from service import create_app
from service.advice import Advisor
from service.advice.prepared import CLASSES, field_names
from service.contract.request import load_profile
from tests.support.knowledge import project_knowledge
from tests.support.openapi_check import load_spec
from tests.support.strategies import valid_profiles

pytestmark = pytest.mark.slow

APP = create_app({"TESTING": True, "ANSWER_CACHE_SIZE": 0, "CDS_HOOKS_AUTH": "off"})
EXAMPLES = project_knowledge().examples
#: The schema of each kind of item in openapi.yaml.
SCHEMAS = {"emergency_steps": "EmergencyStep", "cause_groups": "CauseGroup",
           "lifestyle_rules": "TextItem", "medication_info": "MedicationInfo",
           "warnings": "TextItem", "specialists": "Specialist", "tests": "MedicalTest"}


def served_and_dumped(profile: dict) -> tuple[bytes, bytes]:
    response = APP.test_client().post("/v1/advice", json=profile)
    assert response.status_code == 200, response.get_data(as_text=True)
    with APP.test_request_context():
        answer = APP.extensions[Advisor].advise(load_profile(profile))
        dumped = APP.json.response(answer.as_dict()).get_data()
    return response.get_data(), dumped


@settings(max_examples=300, deadline=None)
@given(profile=valid_profiles())
def test_the_served_answer_is_byte_for_byte_what_flask_writes_of_its_plain_form(profile):
    served, dumped = served_and_dumped(profile)

    assert served == dumped


@pytest.mark.parametrize("example", EXAMPLES, ids=[f"{e.file}: {e.name}" for e in EXAMPLES])
def test_every_rules_file_example_is_served_as_flask_writes_its_plain_form(example):
    served, dumped = served_and_dumped(example.profile)

    assert served == dumped


def test_each_kind_of_item_has_exactly_the_fields_openapi_gives_it():
    schemas = load_spec()["components"]["schemas"]

    assert set(CLASSES) == set(SCHEMAS)
    for kind, name in SCHEMAS.items():
        assert set(field_names(kind)) == set(schemas[name]["properties"]), kind
