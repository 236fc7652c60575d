"""Fixtures of the browser tests: a real gunicorn, Debian's Chromium, one fresh page per test.

The server and the browser start once for this package and stop when its last test is done:
Playwright's sync API runs an asyncio event loop all the while, and tests elsewhere that call
``asyncio.run()`` must not find it running. Every test gets a new browser context (no cookies,
cache or storage of another test) and an ``IntakePage`` that fails the test when the
page logged an unexpected console error, threw, or violated its Content-Security-Policy.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect, sync_playwright

from tests.support.chromium import launch, require_chromium
from tests.support.gunicorn import running_gunicorn
from tests.support.intake_page import ARTIFACTS, TIMEOUT_MS, IntakePage

DESKTOP = {"width": 1024, "height": 900}
PHONE = {"width": 360, "height": 740}
# Generous: the machine may be busy with other tests, and a passing check returns at once.
expect.set_options(timeout=TIMEOUT_MS)


@pytest.fixture(scope="package")
def server():
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log = ARTIFACTS / "gunicorn.log"
    log.write_bytes(b"")
    with running_gunicorn(log) as running:
        yield running


@pytest.fixture(scope="package")
def browser():
    require_chromium()
    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


def _intake(browser, server, **context_options):
    context = browser.new_context(base_url=server.base_url, **context_options)
    intake = IntakePage(context.new_page())
    yield intake
    problems = intake.unexpected_problems()
    context.close()
    assert problems == [], "the page logged errors or violated its policy"


@pytest.fixture
def intake(browser, server):
    """The intake page in a desktop-sized window."""
    yield from _intake(browser, server, viewport=DESKTOP)


@pytest.fixture
def phone_intake(browser, server):
    """The intake page on a phone: 360 x 740 CSS pixels, touch, the meta viewport honoured."""
    yield from _intake(browser, server, viewport=PHONE, is_mobile=True, has_touch=True,
                       device_scale_factor=2)
