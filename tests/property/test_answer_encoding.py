"""The answer leaves the service without a schema dump: its bytes are the dump's all the same.

``POST /v1/advice`` encodes the advisor's answer as it is (its views are prepared in the
contract's order, service/advice/views.py). For any profile, those bytes must be exactly what
encoding ``AdviceSchema().dump(answer)`` gives: no field the contract lacks, none missing, none
out of order, no value of another type. The answer also validates against the schema.
"""

import pytest
from hypothesis import given, settings

from service import create_app
from service.advice.views import FIELDS
from service.contract.request import load_profile
from service.web.advice_schema import AdviceSchema
from tests.support.knowledge import project_knowledge
from tests.support.strategies import valid_profiles

pytestmark = pytest.mark.slow

APP = create_app({"TESTING": True, "ANSWER_CACHE_SIZE": 0, "CDS_HOOKS_AUTH": "off"})
SCHEMA = AdviceSchema()
EXAMPLES = project_knowledge().examples


def served_and_dumped(profile: dict) -> tuple[bytes, bytes]:
    response = APP.test_client().post("/v1/advice", json=profile)
    assert response.status_code == 200, response.get_data(as_text=True)
    with APP.test_request_context():
        answer = APP.extensions["advisor"].advise(load_profile(profile))
        dumped = APP.json.response(SCHEMA.dump(answer)).get_data()
    assert SCHEMA.validate(response.get_json()) == {}
    return response.get_data(), dumped


@settings(max_examples=300, deadline=None)
@given(profile=valid_profiles())
def test_the_served_answer_is_byte_for_byte_the_schema_dump_of_the_answer(profile):
    served, dumped = served_and_dumped(profile)

    assert served == dumped


@pytest.mark.parametrize("example", EXAMPLES, ids=[f"{e.file}: {e.name}" for e in EXAMPLES])
def test_every_rules_file_example_is_served_as_the_schema_dumps_it(example):
    served, dumped = served_and_dumped(example.profile)

    assert served == dumped


def test_the_prepared_views_list_exactly_the_schema_fields_of_each_kind_in_its_order():
    nested = {name: field for name, field in SCHEMA.dump_fields.items()}
    referral = nested["referral"].schema.dump_fields
    schemas = {kind: nested[kind].inner.schema for kind in (
        "emergency_steps", "cause_groups", "lifestyle_rules", "medication_info", "warnings")}
    schemas.update(specialists=referral["specialists"].inner.schema,
                   tests=referral["tests"].inner.schema)

    for kind, schema in schemas.items():
        assert FIELDS[kind] == tuple(schema.dump_fields), kind
