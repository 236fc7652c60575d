"""A page served from a folder of named files under its own Content-Security-Policy.

The documentation page (``/docs``) and the intake page (``/``) are both a fixed set of files:
only the files named are served (never anything else of the folder, and not through Flask's
``/static`` route, which would serve a whole folder under the app-wide ``default-src 'none'``),
each with a strong ETag and ``no-cache`` (kept, but checked again each time, so an upgrade
shows at once), and with the page's own policy on every response.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

from flask import Blueprint, Response, request
from werkzeug.exceptions import NotFound
from werkzeug.wrappers import Response as WerkzeugResponse

HTML = "text/html; charset=utf-8"


def page_blueprint(
    name: str, folder: Path, page: str, page_route: str, assets: dict[str, str], policy: str
) -> Blueprint:
    """A blueprint serving ``page`` at ``page_route`` and each of ``assets`` (file name to
    media type) at ``<page_route>/<name>`` or, for the root page, ``/<name>/<asset>``."""
    bp = Blueprint(name, __name__)
    asset_route = f"{page_route.rstrip('/') or '/' + name}/<asset>"

    @functools.cache
    def read(file: str) -> tuple[bytes, str]:
        """A file's bytes and its strong ETag, read once per process."""
        data = (folder / file).read_bytes()
        return data, hashlib.sha256(data).hexdigest()[:32]

    def serve(file: str, content_type: str) -> WerkzeugResponse:
        data, etag = read(file)
        response = Response(data, content_type=content_type)
        response.set_etag(etag)
        response.headers["Cache-Control"] = "no-cache"
        response.headers["Content-Security-Policy"] = policy
        return response.make_conditional(request)

    @bp.route(page_route, methods=["GET"])
    def page_view() -> WerkzeugResponse:
        return serve(page, HTML)

    @bp.route(asset_route, methods=["GET"])
    def asset(asset: str) -> WerkzeugResponse:
        """A script or stylesheet of the page; any other name is a 404."""
        if asset not in assets:
            raise NotFound()
        return serve(asset, assets[asset])

    return bp
