"""An answer in the forms other than its JSON, asked for as a client asks for each.

``guidance`` is the FHIR R4 GuidanceResponse ``POST /v1/advice`` answers a client that prefers
FHIR, ``cards_for`` the CDS Hooks cards of an intake carrying a profile, and ``plain_form_bytes``
what Flask writes of an answer's plain form (``Answer.as_dict``), which the served JSON must
equal byte for byte.
"""

from fhir.resources.R4B.guidanceresponse import GuidanceResponse

from service.advice import Advisor
from service.contract.request import load_profile
from tests.support.fhir_builders import SERVICE, cds_request, response_to

FHIR = "application/fhir+json"


def guidance(client, body, content_type="application/json", accept=FHIR) -> dict:
    """The GuidanceResponse answered to ``body``: FHIR, varying by Accept, valid R4."""
    response = client.post("/v1/advice", json=body,
                           headers={"Content-Type": content_type, "Accept": accept})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == FHIR
    assert "Accept" in response.headers["Vary"]
    resource = response.get_json()
    GuidanceResponse.model_validate(resource)
    return resource


def contained(resource: dict, kind: str) -> list[dict]:
    """The resources of one type a GuidanceResponse contains, in order."""
    return [r for r in resource["contained"] if r["resourceType"] == kind]


def cards_for(client, questionnaire, profile) -> list[dict]:
    """The cards of a patient-view call whose intake carries ``profile``, never to be cached."""
    response = client.post(SERVICE, json=cds_request(response_to(questionnaire, profile)))
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"
    return response.get_json()["cards"]


def plain_form_bytes(app, profile: dict) -> bytes:
    """What Flask writes of the plain form of ``app``'s answer to ``profile``."""
    with app.test_request_context():
        answer = app.extensions[Advisor].advise(load_profile(profile))
        return app.json.response(answer.as_dict()).get_data()
