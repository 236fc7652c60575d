"""GET /: the intake page and its files, under a strict policy of its own, nothing foreign.

These tests read the page and its files as a browser would find them (tests/browser drives a
real one): every file it references or imports answers, nothing comes from another host, and
nothing inline needs the ``'unsafe-inline'`` the policy does not grant. Every response is also
checked against openapi.yaml by the ``client`` fixture.
"""

import re
from urllib.parse import urljoin, urlsplit

import pytest

from service.pages.intake import ASSETS, CONTENT_SECURITY_POLICY, PAGE, STATIC_DIR
from tests.support.fhir_builders import QUESTIONNAIRE_PATH
from tests.support.pages import page_references, parse_policy

PAGE_URL = "http://localhost/"
EXPECTED_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
    "img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
EXPECTED_TYPES = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8"}
#: ES module imports of the page's scripts: ``import {x} from "./y.js";``
IMPORT = re.compile(r'^import\s.*?\sfrom\s+"([^"]+)";', re.M | re.S)


def test_the_page_is_english_html_with_its_own_strict_policy(client):
    response = client.get("/")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert CONTENT_SECURITY_POLICY == EXPECTED_POLICY
    policy = parse_policy(CONTENT_SECURITY_POLICY)
    assert policy["script-src"] == policy["style-src"] == ["'self'"]  # nothing inline
    html = response.get_data(as_text=True)
    assert '<html lang="en">' in html
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html


def test_the_page_loads_nothing_from_another_host_and_nothing_inline(client):
    html = client.get("/").get_data(as_text=True)
    assert not re.search(r"(?i)(https?:)?//[a-z0-9]", html), "an absolute URL in the page"
    references = page_references(html)
    for url in references.urls:
        parts = urlsplit(url)
        assert parts.scheme in ("", "data") and not parts.netloc, url
    assert references.scripts
    for script in references.scripts:
        assert script["src"] and not script["text"].strip(), "an inline script"
    assert not re.search(r"(?i)<style|\sstyle=|\son[a-z]+=", html), "inline style or handler"


def _served(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    assert response.content_type == EXPECTED_TYPES[path[path.rindex(".") :]], path
    assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY, path
    return response.get_data(as_text=True)


def test_every_file_the_page_references_or_imports_answers(client):
    references = page_references(client.get("/").get_data(as_text=True))
    pending = [urlsplit(urljoin(PAGE_URL, url)).path for url in references.urls
               if not url.startswith("data:")]
    seen = set()
    while pending:
        path = pending.pop()
        if path in seen:
            continue
        if not path.startswith("/intake/"):  # the noscript link to /docs
            assert client.get(path).status_code == 200, path
            continue
        seen.add(path)
        text = _served(client, path)
        pending += [urlsplit(urljoin(PAGE_URL + path[1:], module)).path
                    for module in IMPORT.findall(text)]
    assert seen == {f"/intake/{name}" for name in ASSETS}, "a file is served but never used"


@pytest.mark.parametrize("name", sorted(name for name in ASSETS if name.endswith(".js")))
def test_the_scripts_call_only_this_service_and_never_write_html_or_styles(name):
    script = (STATIC_DIR / name).read_text(encoding="utf-8")
    assert not re.search(r"(?i)(https?:)?//[a-z0-9]", script), "an absolute URL"
    for unsafe in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(",
                   ".style", "setAttribute(\"style\"", "new Function"):
        assert unsafe not in script, unsafe


def test_the_page_asks_the_service_for_its_vocabulary_and_its_advice(client):
    script = _served(client, "/intake/intake.js")
    urls = dict(re.findall(r'const (\w+_URL) = "([^"]+)";', script))
    assert urls == {"QUESTIONNAIRE_URL": QUESTIONNAIRE_PATH[1:], "ADVICE_URL": "v1/advice"}
    for url in urls.values():  # relative to the page, so "/v1/..."
        assert urlsplit(urljoin(PAGE_URL, url)).path == f"/{url}"
    assert client.get(QUESTIONNAIRE_PATH).status_code == 200


@pytest.mark.parametrize(
    "path",
    ["/intake/intake.html", "/intake/nope.js", "/intake/__init__.py", "/intake/..%2F__init__.py",
     "/intake/", "/static/intake/intake.css", "/intake.css"],
)
def test_nothing_else_of_the_folder_is_served(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"


def test_an_unchanged_file_is_not_sent_again(client):
    for path in ("/", "/intake/intake.js"):
        first = client.get(path)
        again = client.get(path, headers={"If-None-Match": first.headers["ETag"]})
        assert again.status_code == 304, path
        assert again.get_data() == b""
        assert again.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
        assert first.headers["Cache-Control"] == "no-cache"


def test_head_answers_like_get_without_a_body(client):
    response = client.head("/")
    assert response.status_code == 200
    assert response.get_data() == b""
    assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY


def test_the_page_is_open_even_when_the_api_needs_keys(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "API_KEYS", ("secret-key-0123456789",))
    assert client.get(QUESTIONNAIRE_PATH).status_code == 401
    assert client.get("/").status_code == 200
    assert client.get("/intake/intake.css").status_code == 200


def test_every_file_of_the_folder_is_served():
    """That each goes into the wheel: tests/docs_and_build/test_package_data.py."""
    files = {path.name for path in STATIC_DIR.iterdir()}
    assert files == {PAGE, *ASSETS}
