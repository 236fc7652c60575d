"""CDS Hooks 2.0: advice as cards for EHRs and other CDS clients (see ``routes``), for the
clients the service trusts (see ``auth``).

gunicorn's master imports parts of this package before it forks (the settings check of
``auth``, the replay store's file): so the package itself imports no route, which would import
the metrics, whose files the master must not make.
"""

import logging

from flask import Flask

from service.advice import Advisor
from service.cds.auth import ClientAuthentication, Trust
from service.interop.cds.cards import CardMaker
from service.web import cors, wiring

log = logging.getLogger(__name__)


def init_app(app: Flask) -> None:
    """Serve ``/cds-services`` on ``app``, to the clients of ``CDS_HOOKS_CLIENTS``."""
    from service.cds.routes import bp

    if str(app.config.get("CDS_HOOKS_AUTH", "on")).lower() == "off":
        log.warning("CDS_HOOKS_AUTH=off: /cds-services answers any caller; "
                    "for local development only")
        authentication = None
    else:
        authentication = ClientAuthentication.from_config(app.config)
    wiring.provide(app, Trust, Trust(authentication))
    wiring.provide(app, CardMaker, CardMaker(wiring.of(app, Advisor).kb))
    app.register_blueprint(bp)
    # Browser-based CDS clients (the CDS Hooks sandbox) preflight each call.
    cors.allow_preflight(app, "/cds-services", "GET")
    cors.allow_preflight(app, "/cds-services/<service_id>", "POST")
    cors.allow_preflight(app, "/cds-services/<service_id>/feedback", "POST")
