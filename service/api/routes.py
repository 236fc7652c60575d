"""The v1 endpoints: parse, validate, ask the advisor, serialise. No medicine here."""

from pathlib import Path

from flask import Blueprint, Response, current_app, jsonify, request

from service.advice.canonical import canonical_key
from service.api.answer_cache import Rendered
from service.http import advising
from service.http.advice_schema import AdviceSchema
from service.http.body import JSON, read_json_body
from service.http.operation_outcome import FHIR_JSON
from service.http.questionnaire_response import profile_from_fhir_body
from service.http.schemas import load_profile

bp = Blueprint("api", __name__)
_ADVICE = AdviceSchema()


# OPTIONS is answered before any view (service/http/cors.py); listed so a 405 says it is allowed.
@bp.route("/v1/advice", methods=["POST", "OPTIONS"])
def advice():
    """Advice for the person's report in the body, dumped through the response schema.

    The report is a JSON profile, or a FHIR QuestionnaireResponse to the intake Questionnaire,
    which becomes the same profile and then passes the same validation.
    """
    body = read_json_body((JSON, FHIR_JSON))
    profile = load_profile(profile_from_fhir_body(body) if request.mimetype == FHIR_JSON else body)
    key = canonical_key(profile)
    cache = current_app.extensions["answer_cache"]
    rendered = cache.get(key)
    if rendered is None:
        rendered = _render(profile)
        cache.put(key, rendered)
    else:  # answered before, by this process: counted as an answer all the same
        advising.answered(rendered.urgency, rendered.rules)
    return current_app.response_class(rendered.body, mimetype="application/json")


@bp.after_app_request
def _no_store(response: Response) -> Response:
    """An answer to a person's report, or an error about it, must not be kept by any cache.

    App-wide, by path: a 405 or 401 on this path matched no view of this blueprint.
    """
    if request.path == "/v1/advice":
        response.headers["Cache-Control"] = "no-store"
    return response


def _render(profile: dict) -> Rendered:
    """Ask the advisor, and dump its answer through the response schema."""
    answer = advising.advise(profile)
    body = current_app.json.response(_ADVICE.dump(answer)).get_data()
    return Rendered(body, answer["urgency"], advising.fired(answer))


@bp.route("/v1/knowledge-base", methods=["GET"])
def knowledge_base():
    """What the service knows: version, rule count, cause groups, the advice catalogue."""
    return jsonify(current_app.extensions["advisor"].knowledge_base())


@bp.route("/openapi.yaml", methods=["GET"])
def openapi():
    """The OpenAPI description of this service, served as written."""
    spec = Path(current_app.config["OPENAPI_PATH"]).read_bytes()
    return Response(spec, mimetype="application/yaml")
