"""``GET /knowledge-base``: the knowledge base as a page for people, so a clinician who follows a
CDS card's ``source.url`` sees the item, its source and the rules that give it.

Every item is a section whose anchor is ``<kind>-<id>`` (``#warnings-possible_dvt``): the cards
link there (service/cds). The page is built once per process from the loaded knowledge base by a
Jinja template, which escapes every text. It sits outside ``/v1/`` on purpose: an EHR user's
browser carries no API key, and the page holds only what the knowledge base publishes anyway
(``GET /v1/knowledge-base``), never anything of a request. No script, no style from anywhere.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, Flask, Response, render_template, request
from werkzeug.wrappers import Response as WerkzeugResponse

from service.advice import Advisor
from service.advice.assemble import sort_key
from service.knowledge.model import ITEM_KINDS, KnowledgeBase, Rule
from service.web import wiring

HEADINGS = {
    "cause_groups": "Cause groups", "emergency_steps": "First aid", "warnings": "Warnings",
    "lifestyle_rules": "Prevention", "medication_info": "Medicines",
    "specialists": "Specialists", "tests": "Tests", "tell_the_doctor": "What to tell the doctor",
}
CONTENT_SECURITY_POLICY = ("default-src 'none'; base-uri 'none'; form-action 'none'; "
                           "frame-ancestors 'none'")

bp = Blueprint("knowledge_page", __name__, template_folder="knowledge_templates")


@dataclass(frozen=True)
class RenderedPage:
    """The page of one app's knowledge base, rendered once at start, and its ETag."""

    html: str
    etag: str


@bp.route("/knowledge-base", methods=["GET"])
def page() -> WerkzeugResponse:
    """The whole knowledge base, one section per item."""
    rendered = wiring.get(RenderedPage)
    html, etag = rendered.html, rendered.etag
    response = Response(html, content_type="text/html; charset=utf-8")
    response.set_etag(etag)
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    return response.make_conditional(request)


def render(app: Flask) -> None:
    """Render the page of ``app``'s knowledge base, once."""
    kb = wiring.of(app, Advisor).kb
    with app.app_context():
        html = render_template("knowledge-base.html", kb=kb, kinds=_kinds(kb), title=_title(kb))
    wiring.provide(app, RenderedPage, RenderedPage(html, hashlib.sha256(html.encode())
                                                   .hexdigest()[:32]))


def _title(kb: KnowledgeBase) -> str:
    return next(line.strip() for line in kb.document.splitlines() if line.strip())


def _kinds(kb: KnowledgeBase) -> list[dict[str, Any]]:
    """Each kind of item with its items, and for each item the rules that add it."""
    adding: dict[tuple[str, str], list[Rule]] = {}
    for rule in kb.rules:
        for kind, ids in rule.add.items():
            for item_id in ids:
                adding.setdefault((kind, item_id), []).append(rule)
    return [
        {"kind": kind, "heading": HEADINGS[kind], "items": [
            {"item": item, "rules": adding.get((kind, item.id), [])}
            for item in sorted(kb.items.get(kind, {}).values(), key=sort_key)
        ]}
        for kind in ITEM_KINDS if kb.items.get(kind)
    ]
