"""Every relative link of the README and of docs/ leads to a file of the project."""

import re

import pytest

from tests.support.gunicorn import REPO_ROOT

PAGES = [REPO_ROOT / "README.md", REPO_ROOT / "CHANGELOG.md",
         *sorted((REPO_ROOT / "docs").glob("*.md"))]
LINK = re.compile(r"\]\((?P<target>[^)#\s]+)(#[^)]*)?\)")


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_every_relative_link_of_the_page_resolves(page):
    targets = [match["target"] for match in LINK.finditer(page.read_text(encoding="utf-8"))]
    broken = [target for target in targets if not target.startswith(("http://", "https://"))
              and not (page.parent / target).exists()]
    assert broken == []
