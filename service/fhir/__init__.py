"""The FHIR R4 face of the service: the intake Questionnaire.

``GET /v1/fhir/Questionnaire`` (and the FHIR read URL ``.../Questionnaire/leg-cramps-intake``)
serves the Questionnaire as ``application/fhir+json``. A QuestionnaireResponse to it gets advice
at ``POST /v1/advice`` (service/api), read by service/http/questionnaire_response.py.
"""

from flask import Blueprint, Flask, Response, current_app

from service.http.operation_outcome import FHIR_JSON
from service.http.questionnaire import QUESTIONNAIRE_ID, build_questionnaire

bp = Blueprint("fhir", __name__)


def fhir_response(resource: dict) -> Response:
    """A FHIR resource as ``application/fhir+json``."""
    response = current_app.json.response(resource)
    response.mimetype = FHIR_JSON
    return response


@bp.route("/v1/fhir/Questionnaire", methods=["GET"])
@bp.route(f"/v1/fhir/Questionnaire/{QUESTIONNAIRE_ID}", methods=["GET"])
def questionnaire():
    """The intake Questionnaire, generated from the vocabulary with the knowledge base's texts."""
    questions = current_app.extensions["advisor"].kb.meta["questions"]
    return fhir_response(build_questionnaire(questions))


def init_app(app: Flask) -> None:
    """Serve the FHIR routes on ``app``."""
    app.register_blueprint(bp)
