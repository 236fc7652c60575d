"""``GET /knowledge-base``: every item on one page for people, where the CDS cards link.

Every catalogue item of ``GET /v1/knowledge-base`` has its anchored section, with its text and
source; the page escapes what the rules files say, loads nothing, and needs no API key.
"""

import re
from html.parser import HTMLParser

from service import create_app
from tests.support.builders import API_KEYS
from tests.support.rules_copies import edit_item, load_error


class Sections(HTMLParser):
    """The ``<article id=...>`` sections of a page, with their text."""

    def __init__(self):
        super().__init__()
        self.sections: dict[str, str] = {}
        self.current = None
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "article":
            self.current = dict(attrs)["id"]
            self.sections[self.current] = ""

    def handle_endtag(self, tag):
        if tag == "article":
            self.current = None

    def handle_data(self, data):
        if self.current:
            self.sections[self.current] += data


def sections_of(html: str) -> Sections:
    parser = Sections()
    parser.feed(html)
    return parser


def test_every_catalogue_item_has_its_anchored_section_with_its_text_and_source(client):
    catalogue = client.get("/v1/knowledge-base").get_json()
    response = client.get("/knowledge-base")
    page = sections_of(response.get_data(as_text=True))

    assert response.mimetype == "text/html"
    kinds = {**catalogue["catalogue"], "cause_groups": catalogue["cause_groups"]}
    for kind, items in kinds.items():
        for item in items:
            text = " ".join(page.sections[f"{kind}-{item['id']}"].split())
            assert " ".join((item.get("text") or item["label"]).split()) in text
            source = item.get("source") or {}
            assert " ".join((source.get("quote") or source.get("basis") or "").split()) in text
    assert len(page.sections) == sum(len(items) for items in kinds.values())


def test_the_page_loads_nothing_and_runs_nothing(client):
    response = client.get("/knowledge-base")
    page = sections_of(response.get_data(as_text=True))

    assert not {"script", "style", "link", "img", "iframe", "form"} & set(page.tags)
    assert response.headers["Content-Security-Policy"].startswith("default-src 'none'")


def test_a_text_of_the_rules_files_is_shown_as_text_never_as_markup(rules_copy):
    edit_item(rules_copy, "safety.yaml", "warnings", "possible_dvt",
              finding="Possible <script>alert(1)</script> thrombosis")
    app = create_app({"TESTING": True, "RULES_DIR": str(rules_copy), "CDS_HOOKS_AUTH": "off"})

    html = app.test_client().get("/knowledge-base").get_data(as_text=True)

    assert "<script>" not in html
    assert "Possible &lt;script&gt;alert(1)&lt;/script&gt; thrombosis" in html


def test_a_clinician_s_browser_needs_no_api_key_for_it():
    app = create_app({"TESTING": True, "API_KEYS": API_KEYS, "CDS_HOOKS_AUTH": "off"})
    client = app.test_client()

    assert client.get("/v1/knowledge-base").status_code == 401
    assert client.get("/knowledge-base").status_code == 200


def test_an_unchanged_page_is_a_304_for_its_etag(client):
    etag = client.get("/knowledge-base").headers["ETag"]

    assert client.get("/knowledge-base", headers={"If-None-Match": etag}).status_code == 304


def test_a_warning_that_raises_the_urgency_needs_a_finding_for_clinicians(rules_copy):
    edit_item(rules_copy, "safety.yaml", "warnings", "possible_dvt", finding=None)

    message = load_error(rules_copy)

    assert re.search(r"warning 'possible_dvt' raises the urgency, so it needs a finding", message)
