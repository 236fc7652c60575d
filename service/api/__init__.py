"""The HTTP layer: routes, request bookkeeping and problem documents for every error."""

from flask import Flask

from service import docs, integrations, observability, web
from service.api import auth, cors, hooks, problems
from service.api.answer_cache import AnswerCache
from service.api.routes import bp


def init_app(app: Flask) -> None:
    """Register the endpoints, the per-request hooks and the error handlers on ``app``.

    The order matters: before-request hooks run in registration order, so the clock starts
    first, a CORS preflight is answered before the API key is checked (browsers send no key on
    a preflight), and the key is checked before any route reads the body.
    """
    app.extensions["answer_cache"] = AnswerCache(app.config["ANSWER_CACHE_SIZE"])
    app.register_blueprint(bp)
    app.register_blueprint(docs.bp)  # GET /docs: Swagger UI from vendored files
    app.register_blueprint(web.bp)  # GET /: the intake page, plain HTML, CSS and JavaScript
    integrations.register(app)  # CDS Hooks 2.0 and the FHIR R4 intake
    observability.init_app(app)  # GET /metrics, and the advisor's answers counted
    hooks.register(app)
    cors.register(app)
    auth.register(app)
    problems.register(app)
