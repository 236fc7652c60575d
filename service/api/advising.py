"""Asking the advisor from any entry point: an answer, or the one 503 that withholds it."""

import logging

from flask import current_app
from werkzeug.exceptions import ServiceUnavailable

from service.advice import AdviceUnavailable
from service.api.hooks import describe_request

log = logging.getLogger(__name__)


def advise(profile: dict) -> dict:
    """The advisor's answer to a validated profile.

    When the advisor cannot give one it can stand behind (its engine is exhausted or stuck,
    or the evaluation could not be proven complete), the request gets a 503 problem and the
    log a line with the request's id and the reason, which names counts, never the profile.
    """
    try:
        return current_app.extensions["advisor"].advise(profile)
    except AdviceUnavailable as error:
        log.error("advice withheld %s: %s", describe_request(), error)
        raise ServiceUnavailable(
            "No advice could be given that the service can vouch for; try again later. "
            "If symptoms are severe or worrying, seek medical care."
        ) from None
