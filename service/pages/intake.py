"""``GET /``: the intake page, a form a person fills in to get advice in a browser.

Plain HTML, CSS and JavaScript from ``intake_static/``, no build step and nothing from another host.
The page builds its form at run time from the service's own vocabulary
(``GET /v1/fhir/Questionnaire``: the fields, their texts, values and rules), posts the profile
to ``POST /v1/advice`` and shows the answer. A box above the form reads the person's own words
through ``POST /v1/intake/parse`` and fills in the form for them to check; advice only ever
follows their own press of "Get advice". Only the files named in ``ASSETS`` are served, at
``/intake/<name>``: never anything else of the folder, and not through Flask's ``/static``
route, which would serve every file of a folder under the app-wide ``default-src 'none'``
policy (a page and its files must share this page's policy, set here on every response).

The policy is strict: scripts, styles and requests from this origin only, no inline script or
style (the page sets classes and the ``hidden`` attribute, never a ``style``), nothing may frame
the page, and a form may only be sent to this origin.
"""

from __future__ import annotations

from pathlib import Path

from service.pages.static_page import page_blueprint

STATIC_DIR = Path(__file__).resolve().parent / "intake_static"
PAGE = "intake.html"
_JS = "text/javascript; charset=utf-8"
#: What ``/intake/<asset>`` serves, with its media type.
ASSETS = {
    "intake.css": "text/css; charset=utf-8",
    "intake.js": _JS,
    "intake-dom.js": _JS,
    "intake-form.js": _JS,
    "intake-answer.js": _JS,
    "intake-errors.js": _JS,
    "intake-words.js": _JS,
}
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "connect-src 'self'",
        "img-src 'self' data:",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
    )
)

bp = page_blueprint("intake", STATIC_DIR, PAGE, "/", ASSETS, CONTENT_SECURITY_POLICY)
