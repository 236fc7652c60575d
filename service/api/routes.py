"""The v1 endpoints: parse, validate, ask the advisor, serialise. No medicine here."""

import hashlib
from pathlib import Path

from flask import Blueprint, Flask, Response, current_app, jsonify, request
from flask.json.provider import DefaultJSONProvider

from service.advice import Advisor
from service.advice.canonical import canonical_key
from service.api.answer_cache import AnswerCache, Rendered
from service.contract.problems import InvalidInput
from service.contract.request import Profile, load_profile
from service.interop.fhir.guidance import guidance_response
from service.web import answering, metrics, wiring
from service.web.body import JSON, parse_json, read_json_bytes
from service.web.fhir_media import FHIR_JSON, fhir_response, profile_from_fhir_body, wants_fhir
from service.web.request_log import request_id
from service.web.responses import json_response

bp = Blueprint("api", __name__)


# OPTIONS is answered before any view (service/web/cors.py); listed so a 405 says it is allowed.
@bp.route("/v1/advice", methods=["POST", "OPTIONS"])
def advice() -> Response:
    """Advice for the person's report in the body.

    The report is a JSON profile, or a FHIR QuestionnaireResponse to the intake Questionnaire,
    which becomes the same profile and then passes the same validation. A client that accepts
    ``application/fhir+json`` rather than JSON gets the advice as a FHIR GuidanceResponse.

    A JSON answer is kept (service/api/answer_cache.py) under its profile's canonical form and
    under the exact body that asked for it, so a body sent again skips parsing and validation
    too: the same bytes of the same media type always make the same profile.
    """
    raw = read_json_bytes((JSON, FHIR_JSON))
    cache = wiring.get(AnswerCache)
    exact = _exact_key(raw)
    rendered = cache.get(exact)
    if rendered is not None:
        return _replay(rendered)
    body = parse_json(raw)
    intake = body if request.mimetype == FHIR_JSON else None
    if intake is None and isinstance(body, dict) and "resourceType" in body:
        raise InvalidInput({"resourceType": [
            f"A FHIR resource: send a QuestionnaireResponse as {FHIR_JSON}, or a profile "
            "(no resourceType) as application/json."]}, "This body is FHIR, sent as plain JSON.")
    profile = load_profile(body if intake is None else profile_from_fhir_body(body))
    if wants_fhir():
        checked = intake if isinstance(intake, dict) else None  # a QuestionnaireResponse, read
        resource = guidance_response(answering.advise(profile), checked, request_id())
        return fhir_response(resource)
    key = canonical_key(profile)
    rendered = cache.get(key)
    if rendered is not None:
        cache.put(exact, rendered)
        return _replay(rendered)
    metrics.observe_cache_lookup(False)
    rendered = _render(profile)
    cache.put(key, rendered)
    cache.put(exact, rendered)
    return _json_answer(rendered)


def _exact_key(raw: bytes) -> tuple[str, tuple[tuple[str, str], ...], bytes] | None:
    """The key of this exact request: everything of it that can change the answer or its
    status, which is its media type with every parameter (``fhirVersion=5.0`` is a 415 where R4
    is advice) and a digest of its body; None when the client's ``Accept`` names a FHIR type,
    which ``wants_fhir`` decides after validation."""
    if "fhir" in request.headers.get("Accept", "").lower():
        return None
    parameters = tuple(sorted((name.lower(), value)
                              for name, value in request.mimetype_params.items()))
    return request.mimetype, parameters, hashlib.sha256(raw).digest()


def _replay(rendered: Rendered) -> Response:
    """An answer this process gave before: counted as a lookup hit and as an answer."""
    metrics.observe_cache_lookup(True)
    answering.answered(rendered.urgency, rendered.rules)
    return _json_answer(rendered)


def _json_answer(rendered: Rendered) -> Response:
    return current_app.response_class(rendered.body, mimetype="application/json")


@bp.after_app_request
def _no_store(response: Response) -> Response:
    """An answer to a person's report or words, or an error about them, must not be kept by any
    cache.

    App-wide, by path: a 405 or 401 on this path matched no view of this blueprint.
    """
    if request.path == "/v1/advice":
        response.headers["Cache-Control"] = "no-store"
        response.vary.add("Accept")  # JSON or a FHIR GuidanceResponse
    elif request.path == "/v1/intake/parse":  # a draft of a person's own words
        response.headers["Cache-Control"] = "no-store"
    return response


def _render(profile: Profile) -> Rendered:
    """Ask the advisor, and encode its answer: its own JSON text (service/contract/answer.py),
    made from texts its parts carry, so the knowledge base's texts are not encoded again on the
    hot path. Should the app's JSON settings differ from Flask's compact ASCII default, Flask's
    encoder writes the answer's plain form instead."""
    answer = answering.advise(profile)
    if _writes_compact_ascii(current_app):
        body = (answer.json() + "\n").encode()
    else:
        body = json_response(answer.as_dict()).get_data()
    return Rendered(body, answer.urgency, answering.fired(answer))


def _writes_compact_ascii(app: Flask) -> bool:
    """Whether Flask would write a response as ``json.dumps`` with ``(",", ":")`` separators,
    ASCII and keys in their order: its default provider, not indenting (debug), not sorting."""
    provider = app.json
    if type(provider) is not DefaultJSONProvider:
        return False
    indents = provider.compact is False or (provider.compact is None and app.debug)
    return provider.ensure_ascii and not provider.sort_keys and not indents


@bp.route("/v1/knowledge-base", methods=["GET"])
def knowledge_base() -> Response:
    """What the service knows: version, rule count, cause groups, the advice catalogue."""
    return jsonify(wiring.get(Advisor).knowledge_base())


@bp.route("/openapi.yaml", methods=["GET"])
def openapi() -> Response:
    """The OpenAPI description of this service, served as written."""
    spec = Path(current_app.config["OPENAPI_PATH"]).read_bytes()
    return Response(spec, mimetype="application/yaml")
