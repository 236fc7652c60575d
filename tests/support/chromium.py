"""Debian's Chromium, driven by Playwright for Python: how the browser tests start a browser.

Playwright cannot download its own browsers here, so it launches ``/usr/bin/chromium`` (Debian's
``chromium`` package, which ``make test`` installs) headless, with a fresh, empty profile per
launch, and with Chromium's own background traffic (updates, sync, QUIC, first-run pages) off:
the machine's network is closed, and the tests must only see the page under test. A missing
Chromium fails the tests instead of skipping them, so a green run always means a browser ran.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
FLAGS = (
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


def launch_flags() -> list[str]:
    """Chromium's flags; as root, Chromium refuses to start without ``--no-sandbox``."""
    root = hasattr(os, "geteuid") and os.geteuid() == 0
    return [*FLAGS, "--no-sandbox"] if root else list(FLAGS)


def require_chromium() -> Path:
    """The Chromium executable, or a failed test that says how to install it."""
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(
            f"{CHROMIUM} is missing: the browser tests need Debian's chromium package. "
            "`make test` installs it (as root: apt-get update && apt-get install -y chromium).",
            pytrace=False,
        )
    return CHROMIUM


def launch(playwright):
    """A headless Chromium; Playwright gives each launch a new, empty user-data-dir."""
    return playwright.chromium.launch(
        executable_path=str(require_chromium()), headless=True, args=launch_flags()
    )
