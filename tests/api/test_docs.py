"""GET /docs: Swagger UI from vendored files, under a policy of its own, loading nothing foreign.

No browser runs here: these tests read the page as a browser would find it (every file it
references answers, nothing comes from another host, no inline script the policy would block).
Every response is also checked against openapi.yaml by the ``client`` fixture.
"""

import re
from urllib.parse import urljoin, urlsplit

import pytest

from service.pages.docs import ASSETS, ASSETS_DIR, CONTENT_SECURITY_POLICY
from tests.support.pages import page_references, parse_policy

PAGE_URL = "http://localhost/docs"
EXPECTED_TYPES = {
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".yaml": "application/yaml",
}


def test_the_page_is_html_with_a_policy_of_its_own(client):
    response = client.get("/docs")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    # The app-wide default policy ("default-src 'none'") must not replace the page's own.
    assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    policy = parse_policy(CONTENT_SECURITY_POLICY)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]  # no inline script, no eval, no other host
    assert policy["frame-ancestors"] == ["'none'"]
    assert "<title>" in response.get_data(as_text=True)


def test_the_page_loads_nothing_from_another_host_and_runs_no_inline_script(client):
    html = client.get("/docs").get_data(as_text=True)
    assert not re.search(r"(?i)(https?:)?//[a-z0-9]", html), "an absolute URL in the page"
    references = page_references(html)
    assert references.urls, "the page references no file"
    for url in references.urls:
        parts = urlsplit(url)
        assert not parts.scheme and not parts.netloc, url
    assert references.scripts
    for script in references.scripts:
        assert script["src"], "a script without src"
        assert not script["text"].strip(), "an inline script, which the policy blocks"


def test_every_file_the_page_references_answers(client):
    references = page_references(client.get("/docs").get_data(as_text=True))
    paths = {urlsplit(urljoin(PAGE_URL, url)).path for url in references.urls}
    assert {"/docs/swagger-ui-bundle.js", "/docs/swagger-ui.css", "/docs/docs.js"} <= paths
    for path in sorted(paths):
        response = client.get(path)
        assert response.status_code == 200, path
        suffix = path[path.rindex(".") :]
        assert response.content_type == EXPECTED_TYPES[suffix], path
        assert response.content_length and response.content_length > 0, path
        if path.startswith("/docs/"):
            assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY


def test_swagger_ui_is_started_on_the_spec_of_this_service(client):
    script = client.get("/docs/docs.js").get_data(as_text=True)
    spec_url = re.search(r'\burl:\s*"([^"]+)"', script).group(1)
    assert urlsplit(urljoin(PAGE_URL, spec_url)).path == "/openapi.yaml"
    assert client.get("/openapi.yaml").status_code == 200
    # Swagger UI would otherwise show a badge from validator.swagger.io.
    assert re.search(r"\bvalidatorUrl:\s*null\b", script)


@pytest.mark.parametrize(
    "path",
    ["/docs/nope.js", "/docs/index.html", "/docs/README.md", "/docs/LICENSE", "/docs/..%2Fdocs.py"],
)
def test_nothing_else_of_the_folder_is_served(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"


def test_an_unchanged_file_is_not_sent_again(client):
    first = client.get("/docs/swagger-ui.css")
    again = client.get("/docs/swagger-ui.css", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert again.get_data() == b""
    assert first.headers["Cache-Control"] == "no-cache"


def test_head_answers_like_get_without_a_body(client):
    response = client.head("/docs")
    assert response.status_code == 200
    assert response.get_data() == b""
    assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY


def test_every_served_file_exists():
    """That the vendored ones are unchanged: tests/docs_and_build/test_third_party.py."""
    for name in ASSETS:
        assert (ASSETS_DIR / name).is_file(), name
