"""The v1 API: ``POST /v1/advice``, ``POST /v1/intake/parse``, ``GET /v1/knowledge-base`` and
``GET /openapi.yaml``."""

from flask import Flask

from service.api import intake
from service.api.answer_cache import AnswerCache
from service.api.routes import bp
from service.web import cors, wiring


def init_app(app: Flask) -> None:
    """Register the v1 routes on ``app``, with this process's cache of rendered answers."""
    wiring.provide(app, AnswerCache, AnswerCache(app.config["ANSWER_CACHE_SIZE"]))
    app.register_blueprint(bp)
    app.register_blueprint(intake.bp)
    cors.allow_preflight(app, "/v1/advice", "POST")
    cors.allow_preflight(app, intake.PATH, "POST")
