"""Probes and metrics, for orchestrators and operators: ``/healthz``, ``/readyz``, ``/metrics``.

The probes are open, whatever the API keys. ``/readyz`` shows the engine's counters only to a
request with a valid key (or when no keys are configured): they tell what others' requests did.

``/metrics`` (Prometheus text format, every worker summed; see service/web/metrics.py) follows
the API keys: open while none are configured, like the probes; with keys on it needs one, as
``/v1/`` does, because on a quiet service the rule counters moving between two scrapes tell
which rules one person's answer fired. Requests are counted by the request hook
(service/web/request_log.py), answers where they are given (service/web/answering.py).
"""

from flask import Blueprint, Flask, Response, jsonify
from werkzeug.exceptions import ServiceUnavailable

from service.advice import Advisor
from service.web import auth, intake_parser, metrics, wiring

bp = Blueprint("probes", __name__)


def _advisor() -> Advisor:
    return wiring.get(Advisor)


@bp.route("/healthz", methods=["GET"])
def healthz() -> Response:
    """Liveness: the process answers."""
    return jsonify(status="ok")


@bp.route("/readyz", methods=["GET"])
def readyz() -> Response:
    """Readiness: the knowledge base is loaded and compiled, so advice can be given, and the
    free-text parser is built, so a person's words can be read.

    Metrics that could not be written do not stop the advice, so they leave the service
    ready, and are said here (to any caller: it tells nothing of anyone's request).
    """
    if not _advisor().ready:
        raise ServiceUnavailable("The knowledge base is not loaded yet.")
    if not intake_parser.built():
        raise ServiceUnavailable("The free-text parser is not built yet.")
    details: dict[str, object] = {"metrics": "degraded"} if metrics.degraded() else {}
    if auth.key_presented_or_not_needed():
        details["engine"] = _advisor().engine_stats()
    return jsonify(status="ready", **details)


@bp.route("/metrics", methods=["GET"])
def metrics_endpoint() -> Response:
    """Prometheus text format: the metrics of every worker of this server, summed."""
    auth.require_api_key()
    return Response(metrics.exposition(), content_type=metrics.CONTENT_TYPE)


def init_app(app: Flask) -> None:
    """Serve the probes and ``/metrics``, with a series for every rule of ``app``'s advisor."""
    app.register_blueprint(bp)
    advisor = wiring.of(app, Advisor)
    metrics.prepare(rule.id for rule in advisor.kb.rules)
    metrics.observe_open_sessions(advisor.engine_stats()["open_sessions"])
