"""CDS Hooks 2.0: advice as cards for EHRs and other CDS clients (see ``routes``), for the
clients the service trusts (see ``auth``)."""

import logging

from flask import Flask, current_app, request

from service.cds.auth import ClientAuthentication, refuse
from service.cds.routes import bp
from service.http import cors

log = logging.getLogger(__name__)


@bp.before_request
def _trusted_client() -> None:
    """Refuse a call that is not from a trusted client, before its body is read."""
    authentication = current_app.extensions["cds_auth"]
    if authentication is None:  # CDS_HOOKS_AUTH=off
        return
    if not authentication.clients:
        raise refuse("no CDS client is configured; set CDS_HOOKS_CLIENTS to a file of trusted "
                     "clients (or CDS_HOOKS_AUTH=off, for local development only)")
    # PUBLIC_BASE_URL, which init_app requires once clients are trusted: never the Host header,
    # or a token minted for another service's URL, sent with that Host, would pass.
    audience = current_app.config["PUBLIC_BASE_URL"] + request.path
    authentication.check(request.headers.get("Authorization", ""), audience)


def init_app(app: Flask) -> None:
    """Serve ``/cds-services`` on ``app``, to the clients of ``CDS_HOOKS_CLIENTS``."""
    if str(app.config.get("CDS_HOOKS_AUTH", "on")).lower() == "off":
        log.warning("CDS_HOOKS_AUTH=off: /cds-services answers any caller; "
                    "for local development only")
        app.extensions["cds_auth"] = None
    else:
        app.extensions["cds_auth"] = ClientAuthentication.from_config(app.config)
    app.register_blueprint(bp)
    # Browser-based CDS clients (the CDS Hooks sandbox) preflight each call.
    cors.allow_preflight(app, "/cds-services", "GET")
    cors.allow_preflight(app, "/cds-services/<service_id>", "POST")
    cors.allow_preflight(app, "/cds-services/<service_id>/feedback", "POST")
