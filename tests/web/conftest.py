"""The chat page in real headless Chromium (Debian's `chromium`, driven by Playwright through
executable_path; scripts/setup-web.sh installs it) against the whole system as `make run` starts it
(the servers: tests/servers.py)."""
from __future__ import annotations

import os
import shutil

import pytest

from tests import servers
from tests.web.widget import Widget

# The real assistant's fixtures (tests/servers.py), this folder's own instances: its own database and ports.
e2e_settings, trained_model, kb = servers.e2e_settings, servers.trained_model, servers.kb
web_settings, web_assistant = servers.web_settings, servers.web_assistant

CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
DESKTOP = {"width": 1280, "height": 800}


def chromium_path() -> str | None:
    return os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    path = chromium_path()
    if not path:
        pytest.fail("No chromium found: run scripts/setup-web.sh (make setup) to install Debian's chromium.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def web_url(web_assistant, web_settings):
    return f"{web_settings.web_url}/"


@pytest.fixture
def new_visitor(browser, web_url, web_settings):
    """new_visitor(viewport=...) -> a Widget on the page in a fresh browser context (a new visitor:
    empty storage). Every request the page makes is recorded, and so are CSP violations."""
    contexts = []

    def make(viewport=DESKTOP) -> Widget:
        context = browser.new_context(viewport=viewport)
        contexts.append(context)
        page = context.new_page()
        return Widget(page, web_url, web_settings)

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def visitor(new_visitor) -> Widget:
    return new_visitor()
