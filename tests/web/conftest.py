"""A real assistant with its demo web page, and Chromium driven by Playwright, for widget tests.

The browser is the one scripts/ensure_chromium.sh finds (CHROMIUM, Debian's /usr/bin/chromium, or
Playwright's own if the user downloaded it); nothing is installed or downloaded, so the tests run offline.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Dialog,
    Locator,
    Page,
    sync_playwright,
)

from tests.servers import ROOT, Assistant

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = ROOT / "reports" / "screenshots"
DOCS = ROOT / "docs"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="session")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Assistant]:
    """Action server, Rasa (with the origin-checked socket.io channel) and web/serve.py on free ports."""
    running = Assistant(workdir=tmp_path_factory.mktemp("web-assistant"), with_web=True).start()
    yield running
    running.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Headless Chromium, the one scripts/ensure_chromium.sh finds (it says how to get one when none is)."""
    found = subprocess.run([str(ROOT / "scripts" / "ensure_chromium.sh"), "--print"],
                           capture_output=True, text=True)
    if found.returncode != 0:
        pytest.fail(found.stderr.strip())
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=found.stdout.strip(), args=CHROMIUM_ARGS, headless=True
        )
        yield launched
        launched.close()


@dataclass
class BrowserTab:
    """A page in its own browser context (fresh storage), with what it reported."""

    page: Page
    context: BrowserContext
    dialogs: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)


@pytest.fixture
def new_tab(browser: Browser) -> Iterator[Callable[..., BrowserTab]]:
    """Opens isolated tabs (desktop size unless told), recording dialogs, console errors and JS errors."""
    contexts: list[BrowserContext] = []

    def open_tab(viewport: dict[str, int] | None = None, **options: object) -> BrowserTab:
        context = browser.new_context(viewport=viewport or DESKTOP, **options)  # type: ignore[arg-type]
        context.set_default_timeout(20_000)
        contexts.append(context)
        tab = BrowserTab(page=context.new_page(), context=context)

        def on_dialog(dialog: Dialog) -> None:
            tab.dialogs.append(dialog.message)
            dialog.dismiss()

        def on_console(message: ConsoleMessage) -> None:
            if message.type == "error":
                tab.console_errors.append(message.text)

        tab.page.on("dialog", on_dialog)
        tab.page.on("console", on_console)
        tab.page.on("pageerror", lambda error: tab.page_errors.append(str(error)))
        return tab

    yield open_tab
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    """reports/screenshots/ (git-ignored), where the tests save what the widget looks like."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


@pytest.fixture(scope="session")
def docs_screenshot() -> Callable[[Page | Locator, str], None]:
    """With DOCS_SCREENSHOTS=1 (`make docs-screenshots`), saves a picture for the README as docs/NAME;
    otherwise does nothing. Pictures of the chat panel rather than the page keep them small."""

    def save(target: Page | Locator, name: str) -> None:
        if os.environ.get("DOCS_SCREENSHOTS") == "1":
            DOCS.mkdir(exist_ok=True)
            target.screenshot(path=str(DOCS / name))

    return save
