"""The FHIR R4 face of the service, under ``/v1/fhir``: the intake and its terminology.

* ``GET /v1/fhir/metadata``: the CapabilityStatement (capability.py);
* ``GET /v1/fhir/Questionnaire/leg-cramps-intake``: the intake Questionnaire;
* ``GET /v1/fhir/CodeSystem/{id}``, ``/v1/fhir/ValueSet/{id}``: the terminology (terminology.py),
  read at the path its canonical URL has after the canonical base;
* ``GET /v1/fhir/Questionnaire``, ``/v1/fhir/CodeSystem`` and ``/v1/fhir/ValueSet`` search them
  by ``url`` and answer a ``searchset`` Bundle, as FHIR clients expect of a type's URL.

Everything is ``application/fhir+json``, errors too (OperationOutcome, service/web/problems.py);
a client that asks for another format (``_format=xml``, ``Accept: application/fhir+xml``) gets a
406.
A QuestionnaireResponse gets advice at ``POST /v1/advice`` (service/api), read by
service/interop/fhir/questionnaire_response.py.
"""

from urllib.parse import urlencode

from flask import Blueprint, Flask, Response, current_app, request
from werkzeug.exceptions import NotFound

from service.advice import Advisor
from service.config import FHIR_PATH
from service.contract.documents import JSONObject
from service.interop.fhir import terminology
from service.interop.fhir.capability import capability_statement
from service.interop.fhir.questionnaire import QUESTIONNAIRE_ID, build_questionnaire
from service.web import wiring
from service.web.fhir_media import fhir_response, require_fhir_json

bp = Blueprint("fhir", __name__)
bp.before_request(require_fhir_json)


def base_url() -> str | None:
    """The absolute FHIR base of this server, under ``PUBLIC_BASE_URL``; None without it (never
    from the request's ``Host``)."""
    public = current_app.config.get("PUBLIC_BASE_URL")
    return f"{public}{FHIR_PATH}" if public else None


@bp.route("/v1/fhir/metadata", methods=["GET"])
def metadata() -> Response:
    """The CapabilityStatement."""
    return fhir_response(capability_statement(base_url()))


@bp.route(f"/v1/fhir/Questionnaire/{QUESTIONNAIRE_ID}", methods=["GET"])
def questionnaire() -> Response:
    """The intake Questionnaire, generated from the vocabulary with the knowledge base's texts."""
    return fhir_response(_questionnaire())


def _questionnaire() -> JSONObject:
    return build_questionnaire(wiring.get(Advisor).kb.meta["questions"])


@bp.route("/v1/fhir/CodeSystem/<id>", methods=["GET"], defaults={"kind": "CodeSystem"})
@bp.route("/v1/fhir/ValueSet/<id>", methods=["GET"], defaults={"kind": "ValueSet"})
def read_terminology(kind: str, id: str) -> Response:
    """A CodeSystem or ValueSet by id: the last segment of its canonical URL."""
    resource = terminology.read(kind, id)
    if resource is None:
        raise NotFound(f"No {kind} with that id here; GET /v1/fhir/{kind} lists them all.")
    return fhir_response(resource)


@bp.route("/v1/fhir/Questionnaire", methods=["GET"], defaults={"kind": "Questionnaire"})
@bp.route("/v1/fhir/CodeSystem", methods=["GET"], defaults={"kind": "CodeSystem"})
@bp.route("/v1/fhir/ValueSet", methods=["GET"], defaults={"kind": "ValueSet"})
def search(kind: str) -> Response:
    """The Questionnaires, CodeSystems or ValueSets whose canonical ``url`` is asked for (all,
    without one), as a ``searchset`` Bundle. Other parameters are ignored, as FHIR search does by
    default, and the ``self`` link shows the search that was done."""
    urls = request.args.getlist("url")
    resources = [_questionnaire()] if kind == "Questionnaire" else \
        terminology.RESOURCES[kind].values()
    found = terminology.matching(resources, urls)
    base = base_url()
    query = f"?{urlencode([('url', value) for value in urls])}" if urls else ""
    bundle: JSONObject = {
        "resourceType": "Bundle",
        "type": "searchset",
        "total": len(found),
        # Relative to the FHIR base when the service does not know its public URL.
        "link": [{"relation": "self", "url": f"{base + '/' if base else ''}{kind}{query}"}],
    }
    if found:  # FHIR allows no empty array; a fullUrl must be absolute, or left out
        bundle["entry"] = [{**({"fullUrl": f"{base}/{kind}/{resource['id']}"} if base else {}),
                            "resource": resource, "search": {"mode": "match"}}
                           for resource in found]
    return fhir_response(bundle)


def init_app(app: Flask) -> None:
    """Serve the FHIR routes on ``app``."""
    app.register_blueprint(bp)
