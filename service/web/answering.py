"""Asking the advisor from any entry point: an answer, counted, or the one 503 that withholds it.

Each answer given is counted here by an explicit call (``answered``): its urgency and the rules
it fired go to the metrics, and the urgency to the request's log line. An answer replayed from
the v1 cache is counted by the same call.
"""

import logging

from flask import g
from werkzeug.exceptions import ServiceUnavailable

from service.advice import AdviceUnavailable, Advisor
from service.contract.answer import Answer
from service.contract.request import Profile
from service.web import metrics, wiring
from service.web.request_log import describe_request

log = logging.getLogger(__name__)


def advise(profile: Profile) -> Answer:
    """The advisor's answer to a validated profile.

    When the advisor cannot give one it can stand behind (its engine is exhausted or stuck,
    or the evaluation could not be proven complete), the request gets a 503 problem and the
    log a line with the request's id and the reason, which names counts, never the profile.
    """
    advisor = wiring.get(Advisor)
    try:
        answer = advisor.advise(profile)
    except AdviceUnavailable as error:
        log.error("advice withheld %s: %s", describe_request(), error)
        raise ServiceUnavailable(
            "No advice could be given that the service can vouch for; try again later. "
            "If symptoms are severe or worrying, seek medical care."
        ) from None
    finally:
        metrics.observe_open_sessions(advisor.engine_stats()["open_sessions"])
    answered(answer.urgency, fired(answer))
    return answer


def fired(answer: Answer) -> tuple[str, ...]:
    """The ids of the rules an answer's trace shows fired, in order."""
    return tuple(step.rule for step in answer.trace)


def answered(urgency: str, rules: tuple[str, ...]) -> None:
    """Count an answer given: what operators may learn of it, its urgency and rule ids."""
    metrics.observe_answer(urgency, rules)
    g.urgency = urgency  # for the request's log line (service/web/request_log.py)
