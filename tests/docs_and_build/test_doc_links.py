"""Every relative link of the README and of the docs leads to a file of the project, and every
path of tests/ they name exists: a module moved or renamed takes its mentions along."""

import re

import pytest

from tests.support.gunicorn import REPO_ROOT

PAGES = [REPO_ROOT / "README.md", REPO_ROOT / "CHANGELOG.md",
         *sorted((REPO_ROOT / "docs").glob("*.md")),
         REPO_ROOT / "third_party" / "durable-rules" / "README.md"]
LINK = re.compile(r"\]\((?P<target>[^)#\s]+)(#[^)]*)?\)")
TEST_PATH = re.compile(r"\btests/[\w./-]*\w")


@pytest.mark.parametrize("page", PAGES, ids=lambda page: str(page.relative_to(REPO_ROOT)))
def test_every_relative_link_of_the_page_resolves(page):
    targets = [match["target"] for match in LINK.finditer(page.read_text(encoding="utf-8"))]
    broken = [target for target in targets if not target.startswith(("http://", "https://"))
              and not (page.parent / target).exists()]
    assert broken == []


@pytest.mark.parametrize("page", PAGES, ids=lambda page: str(page.relative_to(REPO_ROOT)))
def test_every_path_of_the_tests_the_page_names_exists(page):
    named = set(TEST_PATH.findall(page.read_text(encoding="utf-8")))
    assert sorted(path for path in named if not (REPO_ROOT / path).exists()) == []
