"""schemathesis against the real gunicorn: every operation of openapi.yaml, every check.

The server is the one ``make run`` starts (gunicorn.conf.py, gevent workers). schemathesis sends
the spec's examples, then its coverage cases, then fuzzed ones, positive (requests the spec
allows, which must be accepted) and negative (requests it forbids, which must be refused), at
most 50 per operation, and finally stateful sequences that follow the spec's links. Every answer
must pass every check schemathesis has: no 5xx; the status, content type, headers and body the
spec describes; good data accepted and bad data refused; unsupported methods refused.

Deterministic (a fixed seed, derandomized generation): a red run in CI replays with the same
command. Three deliberate differences between the spec's JSON Schema and the service are bridged
here, each explained where it is.
"""

import jwt
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import positive_data_acceptance

from service.advice import Advisor
from tests.support.cds_tokens import CDS_BASE_URL, TRUSTED
from tests.support.openapi_check import SPEC_PATH

pytestmark = [pytest.mark.server, pytest.mark.slow]

MAX_EXAMPLES = 50
STATEFUL_EXAMPLES = 30
SEED = 20_240_401
#: Integer fields of the request body: see _integers_as_json_integers.
INTEGER_FIELDS = ("age", "pregnancy_trimester")


CONFIG = schemathesis.Config.from_dict({
    "seed": SEED,
    "generation": {"mode": "all", "max-examples": MAX_EXAMPLES, "deterministic": True},
    "operations": [{
        # A CORS preflight carries no data: whatever the id in the path, the browser learns
        # only what the resource takes (204); the call that follows gets the 404.
        "include-operation-id-regex": "^preflightCds",
        "checks": {"negative_data_rejection": {"expected-statuses": ["204"]}},
    }, {
        # Many or long url values make a request line over gunicorn's limit, which it refuses
        # with the 414 the spec documents before the service sees it; JSON Schema cannot state
        # a limit on the whole request line.
        "include-operation-id-regex": "^search(CodeSystems|ValueSets)$",
        "checks": {"positive_data_acceptance": {"expected-statuses": ["2xx", "414"]}},
    }, {
        # CDS Hooks answers a call without the intake (null, an OperationOutcome, a Bundle
        # without a QuestionnaireResponse) with the 412 its specification prescribes, which the
        # spec documents; and the intake obeys rules JSON Schema cannot state (see
        # _schema_valid_may_be_refused), so schema-valid data may get a 400.
        "include-operation-id": "callCdsService",
        "checks": {
            "positive_data_acceptance": {"expected-statuses": ["2xx", "400", "404", "412"]},
            # A negative case may leave out the client's token: then the 401 refuses it.
            "negative_data_rejection": {"expected-statuses": ["400", "401", "404", "412"]},
        },
    }],
})
schema = schemathesis.openapi.from_path(SPEC_PATH, config=CONFIG)


@schema.auth(refresh_interval=None).apply_to(path_regex="^/cds-services")
class _CdsClientToken:
    """Each CDS Hooks call carries a fresh token of the client the server trusts (a token is
    good once: its jti is remembered). schemathesis also sends calls without it, which must be
    refused with the 401 the spec describes."""

    def get(self, case, ctx):
        return TRUSTED.token(CDS_BASE_URL + case.formatted_path)

    def set(self, case, data, ctx):
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}


def _with_a_fresh_token(case) -> None:
    """schemathesis signs some CDS calls while it collects, which on a busy machine can be more
    than a token's 5 minutes before the call: the trusted client's token is signed again, for
    the same audience, just before its call. Any other Authorization value stays as it is."""
    scheme, _, token = (case.headers or {}).get("Authorization", "").partition(" ")
    try:
        claims = jwt.decode(token, options={"verify_signature": False})
    except jwt.InvalidTokenError:
        return
    if scheme == "Bearer" and claims.get("iss") == TRUSTED.iss:
        case.headers["Authorization"] = f"Bearer {TRUSTED.token(claims['aud'])}"


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
    """A FHIR QuestionnaireResponse obeys rules JSON Schema cannot state: which linkId takes
    which answer type and which codes, one item per linkId, distinct answers, the trimester only
    with a pregnancy. tests/integrations tests what it accepts; what the schema refuses, it must
    refuse too (negative_data_rejection still runs)."""
    return case.media_type == "application/fhir+json"


def _excluded(case) -> list:
    return [positive_data_acceptance] if _schema_valid_may_be_refused(case) else []


@schema.parametrize()
@settings(suppress_health_check=list(HealthCheck), deadline=None)
def test_every_generated_request_gets_an_answer_the_spec_describes(case, gunicorn):
    _with_a_fresh_token(case)
    case.call_and_validate(base_url=gunicorn.base_url, excluded_checks=_excluded(case))


def test_stateful_sequences_along_the_spec_links_pass_every_check(gunicorn):
    class Sequences(schema.as_state_machine()):
        def get_call_kwargs(self, case):
            return {"base_url": gunicorn.base_url}

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            case.validate_response(response, additional_checks=additional_checks,
                                   excluded_checks=_excluded(case), transport_kwargs=kwargs)

    Sequences.run(settings=settings(max_examples=STATEFUL_EXAMPLES, deadline=None,
                                    derandomize=True, stateful_step_count=5,
                                    suppress_health_check=list(HealthCheck)))


def test_the_checks_are_not_vacuous_a_crash_fails_them(app, monkeypatch):
    """In process, with the advisor broken on purpose: the same checks must fail."""
    def crash(profile):
        raise RuntimeError("boom")

    monkeypatch.setattr(app.extensions[Advisor], "advise", crash)
    case = schema["/v1/advice"]["POST"].Case(
        body={"locations": ["calf"]}, media_type="application/json"
    )
    with pytest.raises(FailureGroup, match="Server error"):
        case.call_and_validate(app=app)
