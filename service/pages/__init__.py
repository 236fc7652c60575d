"""Pages for people: the intake form at ``/`` and the API documentation at ``/docs``."""

from flask import Flask

from service.pages import docs, intake


def init_app(app: Flask) -> None:
    """Register both pages on ``app``."""
    app.register_blueprint(intake.bp)
    app.register_blueprint(docs.bp)
