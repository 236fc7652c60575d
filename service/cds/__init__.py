"""CDS Hooks 2.0: advice as cards for EHRs and other CDS clients (see ``routes``)."""

from flask import Flask

from service.cds.routes import bp


def init_app(app: Flask) -> None:
    """Serve ``/cds-services`` on ``app``."""
    app.register_blueprint(bp)
