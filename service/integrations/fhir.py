"""The FHIR R4 door: the intake Questionnaire, and QuestionnaireResponse bodies for advice.

``GET /v1/fhir/Questionnaire`` (and the FHIR read URL ``.../Questionnaire/leg-cramps-intake``)
serves the Questionnaire as ``application/fhir+json``. ``POST /v1/advice`` takes a
QuestionnaireResponse to it in that media type: ``service.api.routes`` reads the body with the
same limit and strict JSON parser as any other, and hands it to ``profile_from_fhir_body``.
"""

from flask import Blueprint, Response, current_app, request
from werkzeug.exceptions import UnsupportedMediaType

from service.integrations import questionnaire_response
from service.integrations.questionnaire import QUESTIONNAIRE_ID, build_questionnaire

FHIR_JSON = "application/fhir+json"
#: The value of the ``fhirVersion`` media type parameter that names R4.
R4 = "4.0"

bp = Blueprint("fhir", __name__)


def fhir_response(resource: dict) -> Response:
    """A FHIR resource as ``application/fhir+json``."""
    response = current_app.json.response(resource)
    response.mimetype = FHIR_JSON
    return response


@bp.route("/v1/fhir/Questionnaire", methods=["GET"], provide_automatic_options=False)
@bp.route(f"/v1/fhir/Questionnaire/{QUESTIONNAIRE_ID}", methods=["GET"],
          provide_automatic_options=False)
def questionnaire():
    """The intake Questionnaire, generated from the vocabulary with the knowledge base's texts."""
    questions = current_app.extensions["advisor"].kb.meta["questions"]
    return fhir_response(build_questionnaire(questions))


def profile_from_fhir_body(body: object) -> dict:
    """The profile of a QuestionnaireResponse body (still to be validated by load_profile).

    A body that declares another FHIR version than R4 is refused as a 415: its elements could
    mean something else.
    """
    declared = {key.lower(): value for key, value in request.mimetype_params.items()}
    version = declared.get("fhirversion")
    if version is not None and version != R4:
        raise UnsupportedMediaType(f"This service reads FHIR R4 (fhirVersion={R4}) only.")
    return questionnaire_response.profile_from_response(body)
