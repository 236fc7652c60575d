"""A client generated from openapi.yaml works: openapi-python-client makes it without a single
warning (a warning means a schema or a response it dropped), and it calls every operation of the
spec on a real gunicorn and gets the typed answer the spec promises.

CALLS is the table of calls, one line each; an operation added to the spec fails
``test_every_operation_of_the_spec_has_a_call`` until it gets its line. CDS Hooks calls carry a
fresh token of a CDS client the server trusts, so they are authenticated for real.
"""

from __future__ import annotations

import importlib
import json
import os
import re
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace

import pytest
import yaml

from service.contract.vocabulary import REQUEST_FIELDS
from service.interop.fhir.requests import OVERRIDE_REASONS_SYSTEM
from tests.support.cds_tokens import CdsClient, clients_file
from tests.support.fhir_builders import QUESTIONNAIRE_PATH, cds_request, response_to, search_bundle
from tests.support.generated_client import (
    PACKAGE,
    forget_client,
    fresh_clone,
    generate_client,
    operation,
    operations,
)
from tests.support.gunicorn import REPO_ROOT, running_gunicorn
from tests.support.openapi_check import load_spec

pytestmark = [pytest.mark.server, pytest.mark.slow]

EHR = CdsClient("https://ehr.example/generated-client")
SERVICE_ID = "leg-cramps-advice"
PROFILE = {"locations": ["calf"], "time_of_day": "night", "frequency": "weekly",
           "symptoms": ["swelling", "redness"]}
#: A profile whose advice names cause groups, one of them dangerous (impaired circulation).
CAUSES_PROFILE = {"locations": ["calf"], "conditions": ["varicose_veins"]}
FEEDBACK = {"feedback": [{"card": "9368d37b-283f-44a0-93ea-547cebab93ed",
                          "outcome": "overridden", "outcomeTimestamp": "2025-01-15T10:00:00Z"}]}


def _is_urgent_advice(advice, models) -> bool:
    return isinstance(advice.urgency, models.Urgency) and advice.urgency == models.Urgency.URGENT


def _are_typed_cause_groups(groups, model, models) -> bool:
    """Cause groups the client typed: instances of the generated model, never plain dicts (an
    ``allOf`` the generator dropped once made them ``list[Any]``), with a typed id."""
    return bool(groups) and all(
        isinstance(group, model) and isinstance(group.id, models.CauseGroupId)
        and isinstance(group.dangerous, bool) for group in groups)


def _has_typed_cause_groups(advice, models) -> bool:
    return _are_typed_cause_groups(advice.cause_groups, models.CauseGroup, models)


def _is_a_typed_knowledge_base(kb, models) -> bool:
    """Eleven typed cause groups, and each rule's conditions a model of two lists (an ``anyOf``
    once made them a union of two partial models, each list ``Any``)."""
    return (len(kb.cause_groups) == 11
            and _are_typed_cause_groups(kb.cause_groups, models.CatalogueCauseGroup, models)
            and all(isinstance(rule.when, models.RuleDefinitionWhen)
                    and isinstance(rule.when.all_, list) and isinstance(rule.when.any_, list)
                    for rule in kb.rule_definitions))


def _has_cards(answer, models) -> bool:
    return bool(answer.cards) and all(
        isinstance(card.indicator, models.CdsCardIndicator) and card.source.url
        for card in answer.cards)


def _is_guidance_for_the_patient(guidance, models) -> bool:
    return (guidance.status == models.GuidanceResponseStatus.SUCCESS
            and guidance.subject.reference.startswith("Patient/"))


def _is_a_typed_draft(draft, models) -> bool:
    return (draft.draft is True and draft.profile.locations == [models.Location.CALF]
            and [(item.field, item.value) for item in draft.reported_absent]
            == [(models.RequestField.SYMPTOMS, "swelling")])


@dataclass(frozen=True)
class Call:
    """One call of an operation: its arguments (from the context), and the answer expected:
    the status, the type of ``parsed`` (a generated model's name, or a builtin type) and what
    else must hold of it."""

    operation_id: str
    answer: str | type
    arguments: Callable[[SimpleNamespace], dict] = lambda context: {}
    status: int = 200
    check: Callable[[object, object], bool] = lambda parsed, models: True


CALLS = [
    Call("getAdvice", "Advice", lambda c: {"body": c.models.AdviceRequest.from_dict(PROFILE)},
         check=_is_urgent_advice),
    Call("getAdvice", "Advice", lambda c: {
        "body": c.models.FhirQuestionnaireResponse.from_dict(c.intake)}, check=_is_urgent_advice),
    Call("getAdvice", "Advice", lambda c: {"body": c.models.AdviceRequest.from_dict(
        CAUSES_PROFILE)}, check=_has_typed_cause_groups),
    Call("preflightAdvice", type(None), status=204),
    Call("parseIntakeText", "IntakeDraft", lambda c: {"body": c.models.IntakeParseRequest(
        text="my left calf cramps most nights, no swelling")}, check=_is_a_typed_draft),
    Call("preflightIntakeParse", type(None), status=204),
    Call("getKnowledgeBase", "KnowledgeBase", check=_is_a_typed_knowledge_base),
    Call("getHealth", "GetHealthResponse200", check=lambda health, m: health.status == "ok"),
    Call("getReadiness", "GetReadinessResponse200"),
    Call("getMetrics", str, check=lambda text, m: "leg_cramps_advice_" in text),
    Call("getOpenAPI", str, check=lambda text, m: yaml.safe_load(text) == load_spec()),
    Call("getDocs", str, check=lambda html, m: "<html" in html.lower()),
    Call("getDocsAsset", type(None), lambda c: {"asset": "docs.js"}),
    Call("getIntakePage", str, check=lambda html, m: "<form" in html.lower()),
    Call("getIntakeAsset", type(None), lambda c: {"asset": "intake.css"}),
    Call("getKnowledgeBasePage", str, check=lambda html, m: 'id="warnings-possible_dvt"' in html),
    Call("searchQuestionnaires", "FhirQuestionnaireBundle",
         check=lambda bundle, m: bundle.total == 1),
    Call("readIntakeQuestionnaire", "FhirQuestionnaire",
         check=lambda q, m: len(q.item) == 1 + len(REQUEST_FIELDS)),
    Call("getCapabilityStatement", "FhirCapabilityStatement",
         check=lambda cs, m: cs.fhir_version == "4.0.1"),
    Call("readCodeSystem", "FhirCodeSystem", lambda c: {"id": "symptoms"},
         check=lambda cs, m: any(concept.code == "swelling" for concept in cs.concept)),
    Call("searchCodeSystems", "FhirCodeSystemBundle",
         lambda c: {"url_query": [OVERRIDE_REASONS_SYSTEM]},
         check=lambda bundle, m: bundle.total == 1),
    Call("readValueSet", "FhirValueSet", lambda c: {"id": "sex"}),
    Call("searchValueSets", "FhirValueSetBundle", check=lambda bundle, m: bundle.total > 1),
    Call("preflightCdsServices", type(None), status=204),
    Call("getCdsServices", "CdsServices", check=lambda cds, m: cds.services[0].id == SERVICE_ID),
    Call("preflightCdsService", type(None), lambda c: {"service_id": SERVICE_ID}, status=204),
    Call("callCdsService", "CdsResponse", lambda c: {
        "service_id": SERVICE_ID,
        "body": c.models.CdsRequest.from_dict(cds_request(search_bundle(c.intake)))},
        check=_has_cards),
    Call("preflightCdsFeedback", type(None), lambda c: {"service_id": SERVICE_ID}, status=204),
    Call("sendCdsFeedback", type(None), lambda c: {
        "service_id": SERVICE_ID, "body": c.models.CdsFeedback.from_dict(FEEDBACK)}),
]


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    directory = tmp_path_factory.mktemp("generated-client")
    generated = generate_client(directory)
    yield generated
    forget_client(directory)


@pytest.fixture(scope="module")
def context(generated, tmp_path_factory):
    """The generated package and its models, a gunicorn that trusts EHR, and an intake."""
    directory = tmp_path_factory.mktemp("generated-client-server")
    clients = clients_file(directory / "clients.json", {"iss": EHR.iss, "jwks": EHR.jwks()})
    with running_gunicorn(directory / "gunicorn.log", workers=1,
                          extra_env={"CDS_HOOKS_CLIENTS": clients}) as server:
        questionnaire = json.loads(server.request("GET", QUESTIONNAIRE_PATH).body)
        models = importlib.import_module(f"{generated.package.__name__}.models")
        yield SimpleNamespace(package=generated.package, models=models,
                              server=server, intake=response_to(questionnaire, PROFILE))


def _client(context, operation_id: str, arguments: dict):
    """A client of the server; for a CDS Hooks operation, with a token for the URL it calls."""
    described = operations()[operation_id]
    package, base_url = context.package, context.server.base_url
    if "cdsClient" not in described.security:
        return package.Client(base_url=base_url, raise_on_unexpected_status=True)
    path = described.path.format(**{key: value for key, value in arguments.items()
                                    if key != "body"})
    return package.AuthenticatedClient(base_url=base_url, token=EHR.token(base_url + path),
                                       raise_on_unexpected_status=True)


def test_the_generator_prints_not_one_warning(generated):
    lines = generated.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Generating "), generated.output


def test_every_operation_of_the_spec_has_a_call():
    assert {call.operation_id for call in CALLS} == set(operations())


@pytest.mark.parametrize("call", CALLS, ids=[f"{call.operation_id}-{index}"
                                             for index, call in enumerate(CALLS)])
def test_the_generated_client_calls_the_operation_and_gets_a_typed_answer(context, call):
    arguments = call.arguments(context)
    with _client(context, call.operation_id, arguments) as client:
        response = operation(context.package, call.operation_id).sync_detailed(
            client=client, **arguments)
    expected = (getattr(context.models, call.answer) if isinstance(call.answer, str)
                else call.answer)
    assert response.status_code == call.status, response.content[:500]
    assert type(response.parsed) is expected, (type(response.parsed), response.content[:500])
    assert call.check(response.parsed, context.models), response.parsed


def test_the_fhir_answer_of_get_advice_parses_into_the_generated_guidance_response(context):
    """The generated getAdvice parses the default (JSON) answer only: a generator types one
    media type per status. A client that asks for FHIR reads it with the generated model."""
    with context.package.Client(base_url=context.server.base_url) as client:
        response = client.get_httpx_client().post(
            "/v1/advice", json=context.intake,
            headers={"Content-Type": "application/fhir+json", "Accept": "application/fhir+json"})
    guidance = context.models.GuidanceResponse.from_dict(response.json())

    assert _is_guidance_for_the_patient(guidance, context.models)


def test_a_questionnaire_response_made_with_the_client_has_typed_answers(context):
    """Each answer is a model with a typed value: a ``oneOf`` once made them ``Any``."""
    response = context.models.FhirQuestionnaireResponse.from_dict(context.intake)
    answers = [answer for item in response.item for answer in item.answer]

    assert answers and all(
        isinstance(answer, context.models.FhirQuestionnaireResponseItemAnswerItem)
        for answer in answers)
    assert any(isinstance(answer.value_coding, context.models.FhirCoding) for answer in answers)


def test_the_generator_make_client_installs_is_the_one_the_tests_use():
    pinned = {name: re.findall(r"^openapi-python-client==(\S+)", (
        REPO_ROOT / "requirements" / f"{name}.txt").read_text(encoding="utf-8"), re.M)
        for name in ("client", "test")}
    assert pinned["client"] == pinned["test"] and len(pinned["client"]) == 1, pinned


def _words(command: str) -> list[str]:
    return command.replace("\\\n", " ").split()


def test_the_generator_command_docs_api_md_shows_is_the_one_make_client_runs():
    page = (REPO_ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    section = page[page.index("## A generated client"):]
    shown = next(block for block in re.findall(r"```sh\n(.*?)\n```", section, flags=re.S)
                 if "openapi-python-client generate" in block)
    planned = subprocess.run(["make", "--no-print-directory", "--dry-run", "--always-make",
                              "client"], cwd=REPO_ROOT, capture_output=True, text=True,
                             timeout=60, check=True).stdout
    run = planned[planned.index('PATH="'):]
    assert _words(run.replace(str(REPO_ROOT), "$PWD")) == _words(shown)


def test_make_client_in_a_fresh_clone_installs_the_generator_alone_and_generates_a_client(
        tmp_path):
    """What docs/api.md tells an integrator to run, where nothing was installed before."""
    clone = fresh_clone(tmp_path / "clone")
    env = {key: value for key, value in os.environ.items()
           if key not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS", "VIRTUAL_ENV", "PYTHON")}
    made = subprocess.run(["make", "--no-print-directory", "client"], cwd=clone, env=env,
                          capture_output=True, text=True, timeout=600, check=False)
    assert made.returncode == 0, made.stdout[-2000:] + made.stderr[-2000:]
    python = clone / ".venv" / "bin" / "python"
    listed = subprocess.run([str(python), "-m", "pip", "list", "--format", "json"],
                            capture_output=True, text=True, timeout=120, check=True).stdout
    installed = {package["name"].lower() for package in json.loads(listed)}
    imported = subprocess.run([str(python), "-c", f"import {PACKAGE}.models"], cwd=clone,
                              capture_output=True, text=True, timeout=120, check=False)

    assert "openapi-python-client" in installed
    assert not installed & {"flask", "durable-rules", "gunicorn", "pytest"}, "more than it needs"
    assert imported.returncode == 0, imported.stderr
    advice = (clone / PACKAGE / "models" / "advice.py").read_text(encoding="utf-8")
    assert "cause_groups: list[CauseGroup]" in advice
