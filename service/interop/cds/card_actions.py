"""What a card lets a clinician do besides read it: follow links, create suggested requests."""

import uuid

from service.contract.answer import Answer, Reference
from service.contract.documents import JSONObject
from service.interop.cds.card_text import shorten
from service.interop.fhir.requests import referral_requests


class Page:
    """Links to the items of the knowledge-base page, whose anchors are ``<kind>-<id>``; none
    when the page's absolute URL is unknown (no ``PUBLIC_BASE_URL``)."""

    def __init__(self, url: str | None):
        self.url = url

    def links(self, kind: str, item_id: str, label: str) -> list[JSONObject]:
        if self.url is None:
            return []
        return [{"label": label, "url": f"{self.url}#{kind}-{item_id}", "type": "absolute"}]


def guidance_link(reference: Reference) -> JSONObject:
    """A card link to a published guidance page a safety item follows."""
    return {"label": shorten(f"{reference.title} ({reference.publisher})", 80),
            "url": reference.url, "type": "absolute"}


def suggested_requests(answer: Answer, patient_id: str) -> list[JSONObject]:
    """A suggestion per specialist and test of the referral, creating a draft ServiceRequest
    for the patient in context."""
    subject = {"reference": f"Patient/{patient_id}"}
    return [
        {"label": label, "uuid": str(uuid.uuid4()), "actions": [{
            "type": "create", "description": f"A draft ServiceRequest: {request['code']['text']}",
            "resource": request}]}
        for label, request in referral_requests(answer, subject)
    ]
