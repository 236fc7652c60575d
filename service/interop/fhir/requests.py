"""The FHIR R4 requests an answer implies: a ``ServiceRequest`` per referral and test, and a
``CommunicationRequest`` per piece of advice given to the patient.

Both the CDS cards' suggestions (service/cds) and the ``GuidanceResponse`` (``guidance``) build
their requests here, so an EHR gets the same request from either. Every request is a ``draft``
(a ServiceRequest also a ``proposal``; R4's CommunicationRequest has no intent): the service
proposes, a clinician decides. Referrals and tests carry their name as
``code.text`` only: no terminology code for them was read in a terminology source, and a guessed
code would be worse than none.
"""

from service.advice.advisor import in_sentence
from service.contract.answer import Answer, EmergencyStep, LifestyleRule, MedicationInfo, Warning
from service.contract.documents import JSONObject
from service.interop.fhir.questionnaire import CANONICAL_BASE

#: An item that cites its source.
Cited = EmergencyStep | LifestyleRule | MedicationInfo | Warning

#: The answer's urgency as a FHIR request priority (routine < urgent < asap < stat): "stat" is
#: an emergency, "asap" today, "urgent" within a day or two.
PRIORITIES = {"self_care": "routine", "routine": "routine", "soon": "urgent", "urgent": "asap"}
EMERGENCY_PRIORITY = "stat"
#: FHIR's request priorities, least pressing first.
FHIR_PRIORITIES = ("routine", "urgent", "asap", "stat")
#: The service's own codes for why a clinician overrides a critical card (CDS Hooks
#: ``overrideReasons``), in a code system of its own canonical base, served by service/fhir.
OVERRIDE_REASONS_ID = "override-reason"
OVERRIDE_REASONS_SYSTEM = f"{CANONICAL_BASE}/CodeSystem/{OVERRIDE_REASONS_ID}"
OVERRIDE_REASONS = {
    "already-managed": "Already assessed, or being managed, for this finding",
    "not-confirmed": "The finding is not confirmed on clinical assessment",
    "intake-error": "The intake answer behind it was given in error",
}


def priority(answer: Answer) -> str:
    """The FHIR priority of the answer as a whole."""
    if answer.call_emergency_services:
        return EMERGENCY_PRIORITY
    return PRIORITIES[answer.urgency]


def override_reasons() -> list[JSONObject]:
    """The override reasons as FHIR Codings."""
    return [{"system": OVERRIDE_REASONS_SYSTEM, "code": code, "display": display}
            for code, display in OVERRIDE_REASONS.items()]


def referral_requests(answer: Answer, subject: JSONObject) -> list[tuple[str, JSONObject]]:
    """``(label, ServiceRequest)`` for each specialist and each test of the referral, in the
    answer's order: what a clinician can order with one click."""
    requests = []
    common = {"resourceType": "ServiceRequest", "status": "draft", "intent": "proposal",
              "priority": priority(answer), "subject": subject}
    for specialist in answer.referral.specialists:
        name = in_sentence(specialist.label)
        name = ("an " if name[0] in "aeiou" else "a ") + name
        requests.append((f"Refer to {name}", {
            **common, "category": [{"text": "Referral"}],
            "code": {"text": f"Referral to {name}"},
            "reasonCode": [{"text": specialist.reason}],
        }))
    for test in answer.referral.tests:
        requests.append((f"Order a test: {test.label}", {
            **common, "category": [{"text": "Test"}], "code": {"text": test.label},
        }))
    return requests


#: What the patient was told, by the answer's list, as a CommunicationRequest category.
ADVICE_LISTS = {
    "warnings": "Warning", "emergency_steps": "First aid during a cramp",
    "lifestyle_rules": "Prevention", "medication_info": "Medicines",
}


def advice_requests(answer: Answer, subject: JSONObject) -> list[JSONObject]:
    """A ``CommunicationRequest`` per item of advice for the patient, with its source. (R4's
    CommunicationRequest has no ``intent``; its priority is left to the request group, as the
    answer does not say how pressing each caution is.)"""
    requests = []
    for key, category in ADVICE_LISTS.items():
        for item in getattr(answer, key):
            requests.append({
                "resourceType": "CommunicationRequest", "status": "draft",
                "category": [{"text": category}], "subject": subject, "recipient": [subject],
                "payload": [{"contentString": item.text}],
                "note": [{"text": citation(item)}],
            })
    for question in answer.follow_up_questions:
        requests.append({
            "resourceType": "CommunicationRequest", "status": "draft",
            "category": [{"text": "Follow-up question"}], "subject": subject,
            "recipient": [subject],
            "payload": [{"contentString": question.question}],
        })
    return requests


def citation(item: Cited) -> str:
    """Where an item of advice comes from, in one line of text."""
    source = item.source
    rules = ", ".join(item.rules)
    if source.is_safety:
        guidance = "; ".join(f"{ref.title} ({ref.publisher}) {ref.url}"
                             for ref in source.references)
        return (f"Safety layer (rules {rules}): {source.basis}"
                + (f" Guidance: {guidance}" if guidance else ""))
    return f"Article, section “{source.section}” (rules {rules}): “{source.quote}”"
