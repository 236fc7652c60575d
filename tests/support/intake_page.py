"""The intake page as a person uses it, for Playwright tests: fill in, send, read the answer.

``IntakePage`` also watches what a person would not see but a test must: console errors,
uncaught exceptions and Content-Security-Policy violations (reported by the page's own
``securitypolicyviolation`` event), all of which must stay empty unless a test expects one.
"""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Locator, Page

from tests.support.gunicorn import REPO_ROOT

ARTIFACTS = REPO_ROOT / "test-artifacts" / "browser"
TIMEOUT_MS = 15_000
#: Runs in every document before the page's own scripts; the binding is not subject to the CSP.
_REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.reportCspViolation(`${event.violatedDirective} blocked ${event.blockedURI || "inline"}`);
});
"""


class IntakePage:
    def __init__(self, page: Page):
        self.page = page
        self.console_errors: list[str] = []
        self.page_errors: list[str] = []
        self.csp_violations: list[str] = []
        #: Console errors a test expects (regular expressions), e.g. a 400 the page provoked.
        self.expected_console: list[str] = []
        page.set_default_timeout(TIMEOUT_MS)
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.page_errors.append(str(error)))
        page.expose_function("reportCspViolation", self._on_csp_violation)
        page.add_init_script(_REPORT_CSP_VIOLATIONS)

    def _on_console(self, message) -> None:
        if message.type == "error":
            self.console_errors.append(message.text)

    def _on_csp_violation(self, text: str) -> None:
        self.csp_violations.append(text)

    def unexpected_problems(self) -> list[str]:
        """Console errors nobody expected, uncaught exceptions and CSP violations."""
        console = [
            text for text in self.console_errors
            if not any(re.search(pattern, text) for pattern in self.expected_console)
        ]
        return console + self.page_errors + [f"CSP: {each}" for each in self.csp_violations]

    # ---- the form ------------------------------------------------------------------------------

    def open(self) -> IntakePage:
        """Load the page and wait until the form is built from the service's Questionnaire."""
        self.page.goto("/")
        self.field("locations").wait_for()
        self.page.wait_for_selector("#submit:enabled")
        return self

    def field(self, name: str) -> Locator:
        """The fieldset (or labelled box) of a request field."""
        return self.page.locator(f"#field-{name}")

    def check(self, name: str, *labels: str) -> None:
        """Tick checkboxes, or choose a radio button, by their visible labels."""
        for label in labels:
            self.field(name).get_by_label(label, exact=True).check()

    def fill(self, name: str, value: object) -> None:
        self.field(name).get_by_role("spinbutton").fill(str(value))

    def tab_until(self, selector: str, presses: int = 80) -> None:
        """Press Tab until the focus is on an element that matches ``selector``."""
        for _ in range(presses):
            self.page.keyboard.press("Tab")
            if self.page.evaluate("(s) => document.activeElement.matches(s)", selector):
                return
        raise AssertionError(f"Tab never reached {selector}")

    def send(self, *, keyboard: bool = False) -> None:
        """Press "Get advice" (with the mouse, or tabbing to it and pressing Enter) and wait
        until the answer or an error shows."""
        if keyboard:
            self.tab_until("#submit")
            self.page.keyboard.press("Enter")
        else:
            self.page.get_by_role("button", name="Get advice").click()
        self.page.wait_for_selector("#answer:not([hidden]), #error-summary:not([hidden])")
        self.page.wait_for_selector("#submit:enabled")

    # ---- the answer ----------------------------------------------------------------------------

    @property
    def answer(self) -> Locator:
        return self.page.locator("#answer")

    def outline(self) -> list[str]:
        """The answer's urgency (or emergency) title and part headings, in the order they
        appear."""
        return self.answer.locator(".urgency-title, h3, h4").all_inner_texts()

    def part(self, heading: str) -> Locator:
        """A part of the answer, found by its heading."""
        return self.answer.locator("section.answer-part").filter(
            has=self.page.get_by_role("heading", name=heading, exact=True)
        )

    def items(self, heading: str) -> Locator:
        """The items of a part of the answer (not the lists inside their sources)."""
        return self.part(heading).locator(".items > li")

    def screenshot(self, name: str, *, full_page: bool = True) -> Path:
        """The whole page, or only what the window shows, as test-artifacts/browser/<name>.png."""
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=path, full_page=full_page)
        return path
