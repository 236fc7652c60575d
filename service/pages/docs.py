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

from pathlib import Path

from service.pages.static_page import page_blueprint

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

bp = page_blueprint("docs", ASSETS_DIR, PAGE, "/docs", ASSETS, CONTENT_SECURITY_POLICY)
