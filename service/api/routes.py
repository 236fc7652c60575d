"""The service's endpoints: parse, validate, ask the advisor, serialise. No medicine here."""

from pathlib import Path

from flask import Blueprint, Response, current_app, g, jsonify, request
from werkzeug.exceptions import ServiceUnavailable

from service.advice.canonical import canonical_key
from service.api import auth
from service.api.advice_schema import AdviceSchema
from service.api.advising import advise
from service.api.answer_cache import Rendered
from service.api.body import JSON, read_json_body
from service.api.schemas import load_profile
from service.integrations import fhir

bp = Blueprint("api", __name__)
_ADVICE = AdviceSchema()


def _advisor():
    return current_app.extensions["advisor"]


def _route(rule: str, methods: list[str]):
    """A route that answers exactly ``methods``: other methods, OPTIONS too, get a 405."""
    return bp.route(rule, methods=methods, provide_automatic_options=False)


# OPTIONS is answered before any view (service/api/cors.py); listed so a 405 says it is allowed.
@_route("/v1/advice", methods=["POST", "OPTIONS"])
def advice():
    """Advice for the person's report in the body, dumped through the response schema.

    The report is a JSON profile, or a FHIR QuestionnaireResponse to the intake Questionnaire,
    which becomes the same profile and then passes the same validation.
    """
    body = read_json_body((JSON, fhir.FHIR_JSON))
    profile = load_profile(fhir.profile_from_fhir_body(body)
                           if request.mimetype == fhir.FHIR_JSON else body)
    key = canonical_key(profile)
    cache = current_app.extensions["answer_cache"]
    rendered = cache.get(key)
    if rendered is None:
        rendered = _render(profile)
        cache.put(key, rendered)
    g.advice = rendered  # for the request's log line and metrics: urgency and rule ids only
    return current_app.response_class(rendered.body, mimetype="application/json")


def _render(profile: dict) -> Rendered:
    """Ask the advisor, and dump its answer through the response schema."""
    answer = advise(profile)
    body = current_app.json.response(_ADVICE.dump(answer)).get_data()
    return Rendered(body, answer["urgency"], tuple(step["rule"] for step in answer["trace"]))


@_route("/healthz", methods=["GET"])
def healthz():
    """Liveness: the process answers."""
    return jsonify(status="ok")


@_route("/readyz", methods=["GET"])
def readyz():
    """Readiness: the knowledge base is loaded and compiled, so advice can be given."""
    if not _advisor().ready:
        raise ServiceUnavailable("The knowledge base is not loaded yet.")
    if not auth.key_presented_or_not_needed():  # counters tell what others' requests did
        return jsonify(status="ready")
    return jsonify(status="ready", engine=_advisor().engine_stats())


@_route("/v1/knowledge-base", methods=["GET"])
def knowledge_base():
    """What the service knows: version, rule count, cause groups, the advice catalogue."""
    return jsonify(_advisor().knowledge_base())


@_route("/openapi.yaml", methods=["GET"])
def openapi():
    """The OpenAPI description of this service, served as written."""
    spec = Path(current_app.config["OPENAPI_PATH"]).read_bytes()
    return Response(spec, mimetype="application/yaml")
