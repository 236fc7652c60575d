"""The HTTP layer: routes, request bookkeeping and problem documents for every error."""

from flask import Flask

from service.api import hooks, problems
from service.api.routes import bp


def init_app(app: Flask) -> None:
    """Register the endpoints, the per-request hooks and the error handlers on ``app``."""
    app.register_blueprint(bp)
    hooks.register(app)
    problems.register(app)
