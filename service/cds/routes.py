"""CDS Hooks 2.0: the leg-cramps-advice service, for EHRs and other CDS clients.

The hook is ``patient-view``: a clinician opens the chart of a patient who filled in the intake
Questionnaire (before a visit, or in a patient portal), and the cards show what the advice says
about it. The intake itself comes through ``prefetch`` (see ``hook_request``), is validated like
any ``POST /v1/advice`` profile and answered by the same advisor; ``cards`` turns the answer into
cards. Feedback is accepted and counted in the log.
"""

import logging
from collections import Counter

from flask import Blueprint, Response, current_app, jsonify, request, url_for
from werkzeug.exceptions import NotFound, PreconditionFailed

from service.cds.auth import Trust, refuse
from service.contract.answer import Answer
from service.contract.vocabulary import URGENCIES
from service.interop.cds.cards import CardMaker
from service.interop.cds.feedback import override_reason, read_feedback
from service.interop.cds.hook_request import (
    HOOK,
    PREFETCH_KEY,
    MissingIntake,
    read_service_request,
)
from service.interop.fhir.questionnaire import CANONICAL_URL
from service.interop.fhir.questionnaire_response import in_own_words
from service.web import wiring
from service.web.answering import advise
from service.web.body import read_json_body

SERVICE_ID = "leg-cramps-advice"
#: The patient's latest finished intake (the search returns a Bundle, which the service reads).
PREFETCH_TEMPLATE = (
    f"QuestionnaireResponse?subject=Patient/{{{{context.patientId}}}}"
    f"&questionnaire={CANONICAL_URL}&status=completed,amended&_sort=-authored&_count=1"
)
SERVICE = {
    "hook": HOOK,
    "title": "Leg cramps advice",
    "description": (
        "Sourced advice on the patient's leg cramps from their intake questionnaire "
        f"({CANONICAL_URL}): red flags, referral, self-care. The intake must be prefetched; "
        "the service does not query the FHIR server and answers 412 without it, and no cards "
        "when it is null."
    ),
    "id": SERVICE_ID,
    "prefetch": {PREFETCH_KEY: PREFETCH_TEMPLATE},
}

bp = Blueprint("cds", __name__)
log = logging.getLogger(__name__)


@bp.before_request
def _trusted_client() -> None:
    """Refuse a call that is not from a trusted client, before its body is read."""
    authentication = wiring.get(Trust).authentication
    if authentication is None:  # CDS_HOOKS_AUTH=off
        return
    if not authentication.clients:
        raise refuse("no CDS client is configured; set CDS_HOOKS_CLIENTS to a file of trusted "
                     "clients (or CDS_HOOKS_AUTH=off, for local development only)")
    # PUBLIC_BASE_URL, which init_app requires once clients are trusted: never the Host header,
    # or a token minted for another service's URL, sent with that Host, would pass.
    audience = current_app.config["PUBLIC_BASE_URL"] + request.path
    authentication.check(request.headers.get("Authorization", ""), audience)


def _known(service_id: str) -> None:
    if service_id != SERVICE_ID:
        raise NotFound("This server has no CDS service of that id; GET /cds-services lists them.")


@bp.after_request
def _no_store(response: Response) -> Response:
    """Cards and feedback concern a patient: no cache may keep them."""
    response.headers["Cache-Control"] = "no-store"
    return response


# OPTIONS is answered before any view (service/web/cors.py); listed so a 405 says so.
@bp.route("/cds-services", methods=["GET", "OPTIONS"])
def discovery() -> Response:
    """The CDS services of this server: one."""
    return jsonify(services=[SERVICE])


@bp.route("/cds-services/<service_id>", methods=["POST", "OPTIONS"])
def call(service_id: str) -> Response:
    """Cards for the intake the client prefetched."""
    _known(service_id)
    try:
        intakes, patient_id = read_service_request(read_json_body())
    except MissingIntake as error:
        raise PreconditionFailed(str(error)) from None
    if not intakes:  # the patient has no finished intake: nothing to advise on
        return jsonify(cards=[])
    answers = [(advise(profile), intake) for intake, profile in intakes]
    answer, intake = max(answers, key=lambda pair: _severity(pair[0]))  # the first of equals
    maker = wiring.get(CardMaker)
    read = intake.described()
    if len(intakes) > 1:
        read = (f"{len(intakes)} intakes could be the latest (their authored dates are missing "
                f"or overlap); these cards follow the most urgent of them, {read}.")
    return jsonify(cards=maker.cards(answer, patient_id, _knowledge_page(), read,
                                     own_words=in_own_words(intake.resource)))


def _severity(answer: Answer) -> tuple[bool, int]:
    """How urgent an answer is: an ambulance first, then by urgency."""
    return answer.call_emergency_services, URGENCIES.index(answer.urgency)


def _knowledge_page() -> str | None:
    """The absolute URL of the knowledge-base page (service/pages), which the cards link to:
    under ``PUBLIC_BASE_URL``, never the request's ``Host``; None without it."""
    base = current_app.config.get("PUBLIC_BASE_URL")
    return base + url_for("knowledge_page.page") if base else None


@bp.route("/cds-services/<service_id>/feedback", methods=["POST", "OPTIONS"])
def feedback(service_id: str) -> Response:
    """Feedback on cards: checked, counted in the log, answered 200 with no body."""
    _known(service_id)
    entries = read_feedback(read_json_body())
    outcomes = Counter(entry["outcome"] for entry in entries)
    reasons = Counter(override_reason(entry) for entry in entries if "overrideReason" in entry)
    log.info("cds feedback service=%s accepted=%d overridden=%d reasons=%s", service_id,
             outcomes["accepted"], outcomes["overridden"],
             ",".join(f"{code}:{count}" for code, count in sorted(reasons.items())) or "none")
    response = current_app.response_class(status=200)
    del response.headers["Content-Type"]  # no body, so no type (Flask would say text/html)
    return response
