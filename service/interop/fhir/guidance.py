"""The answer as an R4 ``GuidanceResponse``, for a client that asks ``POST /v1/advice`` for
``application/fhir+json``.

The resource says which knowledge base gave the advice (``moduleCodeableConcept``, with its
version), when (``occurrenceDateTime``) and for whom (the QuestionnaireResponse's ``subject``, when
the intake came as one: its reference and display only, both checked by the reader). Its
``result`` is a contained ``RequestGroup`` whose actions point to contained ``ServiceRequest``s
(referrals, tests) and ``CommunicationRequest``s (what the patient is told: warnings first, then
first aid, prevention, medicines, each citing its source, and the questions still open). R4 lets
a GuidanceResponse's ``reasonReference`` point only to a Condition, Observation, DiagnosticReport
or DocumentReference, so the intake those requests come from is referenced where R4 takes any
resource: each ServiceRequest's ``supportingInfo`` and each CommunicationRequest's ``about``.
The summary and the disclaimer are notes; the rule trace is in the JSON answer, which stays the
default.
"""

import uuid
from datetime import datetime, timezone

from service.contract.answer import Answer
from service.contract.documents import JSONObject
from service.interop.fhir.requests import advice_requests, priority, referral_requests

#: The person the intake is about, when the intake does not name them (a JSON profile).
UNNAMED_SUBJECT = {"display": "The person who answered the leg cramps intake"}


def guidance_response(answer: Answer, intake: JSONObject | None, request_id: str) -> JSONObject:
    """The GuidanceResponse of ``answer``; ``intake`` is the QuestionnaireResponse it answers,
    or ``None`` for a JSON profile."""
    subject = _subject(intake)
    referrals = [request for _, request in referral_requests(answer, subject)]
    advice = advice_requests(answer, subject)
    source = _intake_reference(intake)
    for prefix, requests, element in (("referral", referrals, "supportingInfo"),
                                      ("advice", advice, "about")):
        for index, request in enumerate(requests, start=1):
            request["id"] = f"{prefix}-{index}"
            if source:
                request[element] = [source]
    contained = [*referrals, *advice]
    group = _request_group(answer, subject, contained, len(referrals))
    return {
        "resourceType": "GuidanceResponse",
        "id": str(uuid.uuid4()),
        "requestIdentifier": {"value": request_id},
        "identifier": [{"system": "urn:ietf:rfc:3986", "value": f"urn:uuid:{uuid.uuid4()}"}],
        "moduleCodeableConcept": {
            "text": f"leg-cramps-advice knowledge base {answer.knowledge_base.version}"},
        "status": "success",
        "subject": subject,
        "occurrenceDateTime": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "note": [{"text": answer.summary}, {"text": answer.disclaimer}],
        "contained": [group, *contained],
        "result": {"reference": "#advice"},
    }


def _subject(intake: JSONObject | None) -> JSONObject:
    """The intake's subject as a Reference of its checked reference and display only."""
    subject = (intake or {}).get("subject") or {}
    kept = {key: subject[key] for key in ("reference", "display") if key in subject}
    return kept or dict(UNNAMED_SUBJECT)


def _intake_reference(intake: JSONObject | None) -> JSONObject | None:
    """A reference to the intake: by id, by identifier, or by description only."""
    if intake is None:
        return None
    if isinstance(intake.get("id"), str):
        return {"reference": f"QuestionnaireResponse/{intake['id']}", "type":
                "QuestionnaireResponse"}
    identifier = {key: value for key, value in (intake.get("identifier") or {}).items()
                  if key in ("system", "value") and isinstance(value, str)}
    if "value" in identifier:
        return {"identifier": identifier, "type": "QuestionnaireResponse"}
    return {"type": "QuestionnaireResponse",
            "display": "The leg cramps intake QuestionnaireResponse sent with this request"}


def _request_group(answer: Answer, subject: JSONObject, contained: list[JSONObject],
                   referrals: int) -> JSONObject:
    """One action per request: the referrals as a group, then the advice."""
    def action(resource: JSONObject) -> JSONObject:
        text = (resource.get("code") or {}).get("text") or resource["payload"][0]["contentString"]
        step: JSONObject = {"title": resource["category"][0]["text"], "description": text,
                "resource": {"reference": f"#{resource['id']}"}}
        if "priority" in resource:
            step["priority"] = resource["priority"]
        return step

    actions = []
    if referrals:
        actions.append({"title": "Referral", "priority": priority(answer),
                        "selectionBehavior": "any",
                        "action": [action(resource) for resource in contained[:referrals]]})
    actions += [action(resource) for resource in contained[referrals:]]
    group: JSONObject = {"resourceType": "RequestGroup", "id": "advice", "status": "draft",
             "intent": "proposal", "priority": priority(answer), "subject": subject}
    if actions:
        group["action"] = actions
    return group

