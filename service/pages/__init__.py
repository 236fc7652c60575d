"""Pages for people: the intake form at ``/``, the API documentation at ``/docs`` and the
knowledge base at ``/knowledge-base``."""

from flask import Flask

from service.pages import docs, intake, knowledge


def init_app(app: Flask) -> None:
    """Register the pages on ``app``."""
    app.register_blueprint(intake.bp)
    app.register_blueprint(docs.bp)
    app.register_blueprint(knowledge.bp)
    knowledge.render(app)
