"""Observability of the service: ``GET /metrics`` and the counting behind it.

Requests are counted, and answers' urgencies and fired rules too, by the request hook
(service/api/hooks.py), which already times every request. It reads what an answer may tell
operators from ``g.advice`` (``urgency`` and ``rules``): ``POST /v1/advice`` sets it, for
answers from its cache too; for any other caller of the advisor (CDS Hooks) the wrapper that
``init_app`` puts around ``advise`` sets it. That wrapper also updates the open-sessions gauge
after every evaluation.

``/metrics`` follows the API keys: open while none are configured, like the probes; with keys on,
it needs one, as ``/v1/`` does, because on a quiet service the rule counters moving between two
scrapes tell which rules one person's answer fired.
"""

import functools
from typing import NamedTuple

from flask import Blueprint, Flask, Response, current_app, g, has_app_context
from werkzeug.datastructures import WWWAuthenticate
from werkzeug.exceptions import Unauthorized

from service.api import auth
from service.observability import metrics

bp = Blueprint("observability", __name__)


class Answered(NamedTuple):
    """What operators may learn of an answer: its urgency and the ids of the rules that fired."""

    urgency: str
    rules: tuple[str, ...]


@bp.route("/metrics", methods=["GET"], provide_automatic_options=False)
def metrics_endpoint():
    """Prometheus text format: the metrics of every worker of this server, summed."""
    return Response(metrics.exposition(), content_type=metrics.CONTENT_TYPE)


@bp.before_request
def _require_api_key_when_configured() -> None:
    configured = current_app.config.get("API_KEYS") or ()
    if configured and not auth.any_key_matches(auth.presented_keys(), tuple(configured)):
        raise Unauthorized(
            f"Send a valid API key as 'Authorization: Bearer <key>' or "
            f"'{auth.API_KEY_HEADER}: <key>'.",
            www_authenticate=WWWAuthenticate("Bearer"),
        )


def observe_advisor(advisor) -> None:
    """Wrap ``advisor.advise``: note each answer in ``g.advice``, gauge the open sessions."""
    advise = advisor.advise

    @functools.wraps(advise)
    def observed(profile: dict) -> dict:
        try:
            answer = advise(profile)
        finally:
            metrics.observe_open_sessions(advisor.engine_stats()["open_sessions"])
        if has_app_context():
            g.advice = Answered(answer["urgency"], tuple(step["rule"] for step in answer["trace"]))
        return answer

    advisor.advise = observed


def init_app(app: Flask) -> None:
    """Serve ``/metrics`` and watch ``app``'s advisor."""
    app.register_blueprint(bp)
    advisor = app.extensions["advisor"]
    metrics.prepare(rule.id for rule in advisor.kb.rules)
    metrics.observe_open_sessions(advisor.engine_stats()["open_sessions"])
    observe_advisor(advisor)
