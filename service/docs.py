"""``GET /docs``: openapi.yaml rendered for people by Swagger UI, from vendored files only.

The page and everything it loads come from this service: the HTML at ``/docs``, Swagger UI's
script and stylesheet (copied from the npm package ``swagger-ui-dist``, see
``docs_assets/README.md``) and the few lines that start it at ``/docs/<asset>``, and the spec at
``/openapi.yaml``. Only the files named in ``ASSETS`` are served, never anything else of the
folder.

These responses carry their own Content-Security-Policy, looser than the ``default-src 'none'``
the JSON answers get: scripts, styles and fetches from this origin only, images also as ``data:``
URLs (Swagger UI's icons), and inline styles, which Swagger UI sets on its elements. No inline
or foreign script can run, nothing may frame the page.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

from flask import Blueprint, Response, request
from werkzeug.exceptions import NotFound

ASSETS_DIR = Path(__file__).resolve().parent / "docs_assets"
PAGE = "index.html"
#: What ``/docs/<asset>`` serves, with its media type.
ASSETS = {
    "swagger-ui.css": "text/css; charset=utf-8",
    "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
    "docs.js": "text/javascript; charset=utf-8",
}
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)

bp = Blueprint("docs", __name__)


@functools.cache
def _read(name: str) -> tuple[bytes, str]:
    """A file's bytes and its strong ETag, read once per process."""
    data = (ASSETS_DIR / name).read_bytes()
    return data, hashlib.sha256(data).hexdigest()[:32]


def _serve(name: str, content_type: str) -> Response:
    data, etag = _read(name)
    response = Response(data, content_type=content_type)
    response.set_etag(etag)
    # Kept, but checked again each time (a 304 when unchanged), so an upgrade shows at once.
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    return response.make_conditional(request)


@bp.route("/docs", methods=["GET"], provide_automatic_options=False)
def page() -> Response:
    """The documentation page."""
    return _serve(PAGE, "text/html; charset=utf-8")


@bp.route("/docs/<asset>", methods=["GET"], provide_automatic_options=False)
def asset(asset: str) -> Response:
    """A script or stylesheet of the page; any other name is a 404."""
    if asset not in ASSETS:
        raise NotFound()
    return _serve(asset, ASSETS[asset])
