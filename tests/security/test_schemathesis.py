"""Schemathesis fuzzes every operation of openapi.yaml against the app, in process (WSGI).

Both generation modes run: positive cases (requests the spec allows, which must be accepted) and
negative ones (requests it forbids, which must be refused with a 4xx), through schemathesis'
examples, coverage and fuzzing phases, with at most 50 generated cases per operation. Every
response must pass schemathesis' default checks: no 5xx, a status, content type, headers and
body the spec describes, bad data refused and good data accepted.

It is deterministic (a fixed seed, derandomized generation), so a red run in CI replays with the
same command, and it takes seconds. One deliberate difference between the spec's JSON Schema
and the service is bridged here, explained where it is.
"""

import pytest
import schemathesis
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests.openapi_check import SPEC_PATH

MAX_EXAMPLES = 50
SEED = 20_240_401
#: Integer fields of the request body: see _integers_as_json_integers.
INTEGER_FIELDS = ("age", "pregnancy_trimester")

CONFIG = schemathesis.Config.from_dict({
    "seed": SEED,
    "generation": {"mode": "all", "max-examples": MAX_EXAMPLES, "deterministic": True},
})
# The CORS preflight answers 204 only to an allowed Origin, which depends on the deployment's
# configuration and which the spec cannot promise: test_cors.py tests it. Without CORS every
# OPTIONS is the described 405, which schemathesis would report as valid data refused.
schema = schemathesis.openapi.from_path(SPEC_PATH, config=CONFIG).exclude(method="OPTIONS")


@schema.hook("map_body")
def _integers_as_json_integers(ctx, body):
    """JSON Schema counts ``30.0`` as an integer, so schemathesis sends ``"age": 30.0`` as valid
    data; the service deliberately refuses it (a JSON integer is written without a fraction,
    tests/api/test_advice_bad_input.py), and the spec cannot express that. Positive cases
    therefore send such a value as the integer it equals; it is never what makes a negative
    case negative, since JSON Schema deems it valid."""
    if isinstance(body, dict):
        for field in INTEGER_FIELDS:
            value = body.get(field)
            if isinstance(value, float) and value.is_integer():
                body[field] = int(value)
    return body


def _schema_valid_may_be_refused(case) -> bool:
    """A FHIR QuestionnaireResponse, and the CDS Hooks call that carries one, obey rules JSON
    Schema cannot state (which linkId takes which answer type, the required and distinct
    answers, the intake's patient being the call's), and CDS Hooks answers a call without the
    intake with 412, which schemathesis does not expect for valid data (service/integrations).
    tests/integrations tests what they accept; what the schema refuses, they must refuse too."""
    return case.media_type == "application/fhir+json" or case.path == "/cds-services/{service_id}"


@schema.parametrize()
def test_every_generated_request_gets_an_answer_the_spec_describes_and_never_a_5xx(case, app):
    excluded = [positive_data_acceptance] if _schema_valid_may_be_refused(case) else []
    case.call_and_validate(app=app, excluded_checks=excluded)


def test_the_checks_are_not_vacuous_a_crash_fails_them(app, monkeypatch):
    def crash(profile):
        raise RuntimeError("boom")

    monkeypatch.setattr(app.extensions["advisor"], "advise", crash)
    case = schema["/v1/advice"]["POST"].Case(
        body={"locations": ["calf"]}, media_type="application/json"
    )
    with pytest.raises(FailureGroup, match="Server error"):
        case.call_and_validate(app=app)
