"""openapi.yaml is a valid OpenAPI document that cannot drift from the vocabularies or routes."""

import re
from pathlib import Path

import pytest
import yaml
from jsonschema.exceptions import ValidationError
from openapi_schema_validator import OAS31Validator, oas31_format_checker
from openapi_spec_validator import validate
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from service.config import defaults
from service.contract import free_text, vocabulary
from service.interop.cds.feedback import OUTCOMES
from service.interop.fhir.questionnaire import CANONICAL_URL, VALUE_KEYS, reads_version
from service.interop.fhir.questionnaire_response import STATUSES
from service.interop.fhir.requests import FHIR_PRIORITIES
from service.knowledge.model import ITEM_KINDS
from service.knowledge.rules_schema import IDENTIFIER
from service.pages import knowledge as knowledge_page
from service.web.cors import preflights
from tests.support.openapi_check import HTTP_METHODS, load_spec
from tests.support.rules_copies import edit_item, load_error, rules_copy  # noqa: F401  (fixture)

SCHEMAS = "/components/schemas"
#: The error statuses of the described operations; each has its own problem schema.
PROBLEM_STATUSES = (400, 401, 404, 405, 406, 412, 413, 414, 415, 500, 503)
#: The problem schema of each error status: ValidationProblem for 400, ProblemNNN otherwise.
PROBLEM_SCHEMAS = {
    status: "ValidationProblem" if status == 400 else f"Problem{status}"
    for status in PROBLEM_STATUSES
}

#: Every enum the spec may contain, by JSON pointer, and the vocabulary it must equal.
EXPECTED_ENUMS = {
    f"{SCHEMAS}/Location/enum": vocabulary.LOCATIONS,
    f"{SCHEMAS}/TimeOfDay/enum": vocabulary.TIMES_OF_DAY,
    f"{SCHEMAS}/Frequency/enum": vocabulary.FREQUENCIES,
    f"{SCHEMAS}/WarningSign/enum": vocabulary.WARNING_SIGNS,
    f"{SCHEMAS}/Trigger/enum": vocabulary.TRIGGERS,
    f"{SCHEMAS}/Condition/enum": vocabulary.CONDITIONS,
    f"{SCHEMAS}/Treatment/enum": vocabulary.TREATMENTS,
    f"{SCHEMAS}/Symptom/enum": vocabulary.SYMPTOMS,
    f"{SCHEMAS}/RiskFactor/enum": vocabulary.RISK_FACTORS,
    f"{SCHEMAS}/Sex/enum": vocabulary.SEXES,
    f"{SCHEMAS}/Side/enum": vocabulary.SIDES,
    f"{SCHEMAS}/RequestField/enum": vocabulary.REQUEST_FIELDS,
    f"{SCHEMAS}/Urgency/enum": vocabulary.URGENCIES,
    f"{SCHEMAS}/Phase/enum": vocabulary.PHASES,
    f"{SCHEMAS}/CauseGroupId/enum": tuple(vocabulary.CAUSE_GROUPS),
    f"{SCHEMAS}/SpecialistId/enum": vocabulary.SPECIALISTS,
    f"{SCHEMAS}/TestId/enum": vocabulary.TESTS,
    f"{SCHEMAS}/ItemKind/enum": ITEM_KINDS,
    f"{SCHEMAS}/Assertion/enum": free_text.ASSERTIONS,
    # The FHIR and CDS Hooks constants the cards and the GuidanceResponse use.
    f"{SCHEMAS}/ServiceRequest/properties/priority/enum": FHIR_PRIORITIES,
    f"{SCHEMAS}/ServiceRequest/properties/resourceType/enum": ("ServiceRequest",),
    f"{SCHEMAS}/ServiceRequest/properties/status/enum": ("draft",),
    f"{SCHEMAS}/ServiceRequest/properties/intent/enum": ("proposal",),
    f"{SCHEMAS}/CdsCard/properties/selectionBehavior/enum": ("any",),
    f"{SCHEMAS}/CdsLink/properties/type/enum": ("absolute",),
    f"{SCHEMAS}/CdsSuggestion/properties/actions/items/properties/type/enum": ("create",),
    f"{SCHEMAS}/GuidanceResponse/properties/resourceType/enum": ("GuidanceResponse",),
    f"{SCHEMAS}/GuidanceResponse/properties/status/enum": ("success",),
    f"{SCHEMAS}/GuidanceResponse/properties/result/properties/reference/enum": ("#advice",),
    f"{SCHEMAS}/GuidanceResponse/properties/contained/items/properties/resourceType/enum": (
        "RequestGroup", "ServiceRequest", "CommunicationRequest"),
    f"{SCHEMAS}/GuidanceResponse/properties/contained/items/properties/status/enum": ("draft",),
    "/components/headers/Knowledge-Content-Security-Policy/schema/enum": (
        knowledge_page.CONTENT_SECURITY_POLICY,),
    f"{SCHEMAS}/FhirQuestionnaireItem/properties/type/enum": tuple(VALUE_KEYS),
    f"{SCHEMAS}/FhirQuestionnaireResponse/properties/status/enum": STATUSES,
    f"{SCHEMAS}/CdsFeedback/properties/feedback/items/properties/outcome/enum": OUTCOMES,
    # CDS Hooks 2.0's three card indicators (service/interop/cds/cards.py uses each).
    f"{SCHEMAS}/CdsCard/properties/indicator/enum": ("critical", "warning", "info"),
    **{
        f"{SCHEMAS}/{name}/properties/status/enum": (status,)
        for status, name in PROBLEM_SCHEMAS.items()
    },
}
#: Request fields that are arrays of an enum, and the schema of their items.
ARRAY_ITEM_SCHEMAS = {
    "locations": "Location",
    "warning_signs": "WarningSign",
    "triggers": "Trigger",
    "conditions": "Condition",
    "treatments": "Treatment",
    "symptoms": "Symptom",
    "risk_factors": "RiskFactor",
}
ENUM_SCHEMAS = {"time_of_day": "TimeOfDay", "frequency": "Frequency", "sex": "Sex",
                "side": "Side"}


def _escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def _walk(node, pointer=""):
    """Yield (JSON pointer, value) of every node of the document."""
    yield pointer, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _walk(value, f"{pointer}/{_escape(str(key))}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _walk(value, f"{pointer}/{index}")


def _schema(name: str) -> dict:
    return load_spec()["components"]["schemas"][name]


def _ref_name(schema: dict) -> str:
    return schema["$ref"].rsplit("/", 1)[-1]


def test_the_spec_is_a_valid_openapi_3_1_document():
    spec = load_spec()
    assert spec["openapi"] == "3.1.0"
    validate(spec)  # raises OpenAPIValidationError with the offending path


def test_every_enum_equals_its_vocabulary():
    enums = {
        f"{pointer}/enum": node["enum"]
        for pointer, node in _walk(load_spec())
        if isinstance(node, dict) and "enum" in node
    }
    assert set(enums) == set(EXPECTED_ENUMS), "an enum of the spec has no vocabulary to check"
    for pointer, expected in EXPECTED_ENUMS.items():
        assert tuple(enums[pointer]) == expected, pointer


@pytest.mark.parametrize("version", ["", "|1.0.0", "|1.0.9", "|1.1.0", "|1.7.0", "|2.0.0", "|1.1"])
def test_the_questionnaire_pattern_admits_what_the_service_reads_of_major_version_1(version):
    schema = load_spec()["components"]["schemas"]["FhirQuestionnaireResponse"]
    pattern = schema["properties"]["questionnaire"]["pattern"]
    admitted = re.search(pattern, CANONICAL_URL + version) is not None

    assert admitted == (not version or version.startswith("|1.") and version.count(".") == 2)
    if not version or reads_version(version[1:]):
        assert admitted, "the spec refuses what the service reads"


def test_the_request_schema_has_exactly_the_contract_fields():
    request = _schema("AdviceRequest")
    properties = request["properties"]
    assert tuple(properties) == vocabulary.REQUEST_FIELDS
    assert request["required"] == ["locations"]
    assert request["additionalProperties"] is False

    assert ARRAY_ITEM_SCHEMAS.keys() == vocabulary.ARRAY_FIELDS.keys()
    for name, item_schema in ARRAY_ITEM_SCHEMAS.items():
        field = properties[name]
        assert field["type"] == "array", name
        assert field["uniqueItems"] is True, name
        assert _ref_name(field["items"]) == item_schema, name
        assert tuple(_schema(item_schema)["enum"]) == vocabulary.ARRAY_FIELDS[name], name
    assert (properties["locations"]["minItems"], properties["locations"]["maxItems"]) == (1, 4)

    assert ENUM_SCHEMAS.keys() == vocabulary.ENUM_FIELDS.keys()
    for name, enum_schema in ENUM_SCHEMAS.items():
        assert _ref_name(properties[name]) == enum_schema, name
        assert tuple(_schema(enum_schema)["enum"]) == vocabulary.ENUM_FIELDS[name], name

    for name in vocabulary.BOOLEAN_FIELDS:
        assert properties[name]["type"] == "boolean", name
    assert "default" not in properties["active_now"]  # no request field has one, see below
    assert "read as `false`" in properties["active_now"]["description"]

    for name, (low, high) in vocabulary.NUMBER_FIELDS.items():
        field = properties[name]
        if name == "duration_minutes":
            assert field["type"] == "number"
            assert (field["exclusiveMinimum"], field["maximum"]) == (low, high)
        else:
            assert field["type"] == "integer", name
            assert (field["minimum"], field["maximum"]) == (low, high), name

    assert request["dependentSchemas"]["pregnancy_trimester"] == {
        "required": ["pregnant"],
        "properties": {"pregnant": {"const": True}},
    }


def _defaults(schema, spec, pointer, seen):
    """Yield the pointer of every ``default`` in ``schema`` and the schemas it refers to."""
    if not isinstance(schema, dict):
        return
    if "$ref" in schema:
        name = schema["$ref"]
        if name not in seen:
            seen.add(name)
            _, components, schemas, target = name.split("/")
            yield from _defaults(spec[components][schemas][target], spec, name[1:], seen)
    if "default" in schema:
        yield f"{pointer}/default"
    for key in ("properties", "dependentSchemas", "patternProperties"):
        for name, child in schema.get(key, {}).items():
            yield from _defaults(child, spec, f"{pointer}/{key}/{name}", seen)
    for key in ("allOf", "anyOf", "oneOf", "prefixItems"):
        for index, child in enumerate(schema.get(key, [])):
            yield from _defaults(child, spec, f"{pointer}/{key}/{index}", seen)
    for key in ("items", "additionalProperties", "not", "if", "then", "else", "contains"):
        yield from _defaults(schema.get(key), spec, f"{pointer}/{key}", seen)


def _request_schemas(spec):
    for path, item in spec["paths"].items():
        for method in set(item) & set(HTTP_METHODS):
            for media_type, media in item[method].get("requestBody", {}).get(
                    "content", {}).items():
                yield f"{method.upper()} {path} {media_type}", media["schema"]


def test_the_draft_profile_is_the_request_without_its_required_locations():
    """``POST /v1/intake/parse`` answers a profile that may lack ``locations``; every other
    word of its schema is the request's, held equal here rather than written twice by hand."""
    request, draft = _schema("AdviceRequest"), _schema("DraftProfile")
    assert draft["properties"] == request["properties"]
    assert draft["dependentSchemas"] == request["dependentSchemas"]
    assert draft["additionalProperties"] is False and "required" not in draft
    assert _schema("IntakeParseRequest")["properties"]["text"]["maxLength"] == (
        free_text.MAX_TEXT_CHARS)


def test_no_request_field_has_a_default():
    """A ``default`` makes generators require the field or send the default (openapi-typescript
    made ``active_now`` required), and it would say an absent field means that value, when absent
    means "not reported": where it means more (``active_now``), the description says so."""
    spec = load_spec()
    checked = dict(_request_schemas(spec))
    assert len(checked) >= 4  # JSON and FHIR advice, CDS Hooks call and feedback
    for where, schema in checked.items():
        assert list(_defaults(schema, spec, "", set())) == [], where
    assert list(_defaults({"properties": {"a": {"default": 1}}}, spec, "", set())) == [
        "/properties/a/default"]


def test_evidence_names_only_request_fields():
    pattern = _schema("Evidence")["items"]["pattern"]
    fields = re.fullmatch(r"\^\(([a-z_|]+)\)\(\\\.\.\+\)\?\$", pattern).group(1)
    assert tuple(fields.split("|")) == vocabulary.REQUEST_FIELDS


def test_identifiers_are_those_the_knowledge_base_accepts():
    assert _schema("Identifier")["pattern"] == IDENTIFIER.regex.pattern


def test_the_knowledge_base_lists_every_cause_group():
    cause_groups = _schema("KnowledgeBase")["properties"]["cause_groups"]
    count = len(vocabulary.CAUSE_GROUPS)
    assert (cause_groups["minItems"], cause_groups["maxItems"]) == (count, count)


def _mixed_objects(node, pointer=""):
    """Yield the pointer of every schema with ``properties`` that also has an ``allOf``,
    ``anyOf`` or ``oneOf``: openapi-python-client types such a schema as a union of partial
    models or drops the combinator, without a warning."""
    for where, schema in _walk(node, pointer):
        if isinstance(schema, dict) and "properties" in schema and isinstance(
                schema["properties"], dict) and {"allOf", "anyOf", "oneOf"} & set(schema):
            yield where


def test_no_object_schema_mixes_its_properties_with_a_combinator():
    assert list(_mixed_objects(load_spec()["components"])) == []
    assert list(_mixed_objects({"properties": {"a": {}}, "anyOf": []})) == [""]


def test_cause_groups_are_plain_objects_a_client_generator_can_type():
    """An ``allOf`` of an ``if``/``then``/``else`` tying ``dangerous`` to the id made
    openapi-python-client type every cause group ``Any``, silently: the rule is held by the
    knowledge loader and the tests below instead."""
    for name in ("CauseGroup", "CatalogueCauseGroup"):
        schema = _schema(name)
        assert schema["type"] == "object", name
        assert not {"allOf", "anyOf", "oneOf", "if", "then", "else", "not"} & set(schema), name
        assert schema["properties"]["dangerous"]["type"] == "boolean", name


def test_every_cause_group_is_as_dangerous_as_the_contract_says_in_the_knowledge_base(client):
    groups = client.get("/v1/knowledge-base").get_json()["cause_groups"]
    assert {group["id"]: group["dangerous"] for group in groups} == vocabulary.CAUSE_GROUPS


def test_the_knowledge_loader_refuses_a_cause_group_dangerous_otherwise_than_the_contract(
        rules_copy):  # noqa: F811  (the fixture)
    edit_item(rules_copy, "causes.yaml", "cause_groups", "impaired_circulation", dangerous=False)
    assert "'dangerous' differs from the contract" in load_error(rules_copy)


def test_every_advice_key_is_required_and_no_other_is_allowed():
    advice = _schema("Advice")
    assert set(advice["required"]) == set(advice["properties"])
    assert advice["additionalProperties"] is False
    for name in ("Problem", "ValidationProblem"):
        assert _schema(name)["additionalProperties"] is False, name


def _error_responses(spec):
    """Yield (where, status, response object) of every 4xx and 5xx response of an operation."""
    for path, item in spec["paths"].items():
        for method in set(item) & set(HTTP_METHODS):
            for status, response in item[method]["responses"].items():
                if status[0] in "45":
                    name = response["$ref"].rsplit("/", 1)[-1]
                    yield f"{method.upper()} {path} {status}", int(status), name
    yield "any undescribed path", 404, "NotFound"
    yield "any undescribed method", 405, "MethodNotAllowed"


def test_every_error_status_has_its_own_problem_schema():
    spec = load_spec()
    seen = set()
    for where, status, name in _error_responses(spec):
        content = spec["components"]["responses"][name]["content"]
        if "application/problem+json" not in content:  # a FHIR path's: an OperationOutcome
            assert content["application/fhir+json"]["schema"] == {
                "$ref": "#/components/schemas/FhirOperationOutcome"}, where
            continue
        schema = content["application/problem+json"]["schema"]
        assert schema == {"$ref": f"#/components/schemas/{PROBLEM_SCHEMAS[status]}"}, where
        seen.add(status)
    assert seen == set(PROBLEM_STATUSES)
    problems = {name for name in spec["components"]["schemas"]
                if re.fullmatch(r"(Validation)?Problem(\d{3})?", name)}
    assert problems == {"Problem", *PROBLEM_SCHEMAS.values()}, "a problem schema no status uses"


def _media_types(spec):
    """Yield (JSON pointer, media type object) of every response and request body content."""
    for pointer, node in _walk(spec):
        if pointer.endswith("/content") and isinstance(node, dict):
            for media_type, media in node.items():
                if "schema" in media:
                    yield f"{pointer}/{_escape(media_type)}", media


def _examples(spec, media):
    if "example" in media:
        yield "example", media["example"]
    for name, example in media.get("examples", {}).items():
        if "$ref" in example:  # '#/components/examples/...'
            _, components, examples, name = example["$ref"].split("/")
            example = spec[components][examples][name]
        yield name, example["value"]


def test_every_example_matches_its_schema():
    spec = load_spec()
    registry = Registry().with_resource("urn:spec", DRAFT202012.create_resource(spec))
    checked = 0
    for pointer, media in _media_types(spec):
        schema = {"$ref": f"urn:spec#{pointer}/schema"}
        validator = OAS31Validator(schema, registry=registry, format_checker=oas31_format_checker)
        for name, example in _examples(spec, media):
            errors = [
                f"{error.json_path}: {error.message}" for error in validator.iter_errors(example)
            ]
            assert not errors, f"{pointer} {name}: {errors}"
            checked += 1
    assert checked >= 3  # the advice request and response, and the 400 problem


def test_the_schema_check_of_the_examples_is_not_vacuous():
    spec = load_spec()
    registry = Registry().with_resource("urn:spec", DRAFT202012.create_resource(spec))
    validator = OAS31Validator({"$ref": "urn:spec#/components/schemas/Advice"}, registry=registry)
    advice = dict(spec["components"]["examples"]["Advice"]["value"], urgency="critical")
    with pytest.raises(ValidationError):
        validator.validate(advice)


def _document() -> str:
    """The source document, found the way the knowledge loader finds it."""
    rules = Path(defaults()["RULES_DIR"])
    meta = yaml.safe_load((rules / "meta.yaml").read_text(encoding="utf-8"))
    return (rules / meta["document"]).read_text(encoding="utf-8")


def _fold(text: str) -> str:
    return " ".join(text.split())


def test_every_quote_in_the_examples_is_verbatim_from_the_document():
    document = _fold(_document())
    quotes = [
        node["quote"]
        for _, node in _walk(load_spec())
        if isinstance(node, dict) and isinstance(node.get("quote"), str)
    ]
    assert quotes
    for quote in quotes:
        assert _fold(quote) in document, quote


def _flask_path(rule: str) -> str:
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule)


def test_every_route_of_the_app_is_described_and_nothing_else(app):
    routes: dict[str, set[str]] = {}
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":  # Flask's own file route; the app has no static files
            continue
        methods = {method.lower() for method in rule.methods} - {"head", "options"}
        routes.setdefault(_flask_path(rule.rule), set()).update(methods)
    for rule in preflights(app):  # CORS preflights: answered by a hook (service/web/cors.py)
        routes.setdefault(_flask_path(rule), set()).add("options")
    described = {
        path: {key for key in item if key in HTTP_METHODS}
        for path, item in load_spec()["paths"].items()
    }
    assert routes == described
