"""Shared fixtures. Browser tests drive Debian's Chromium through Playwright; no browser is downloaded."""

import os
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",  # CI runs as root, where Chromium's sandbox will not start
    "--disable-gpu",
    "--disable-dev-shm-usage",
    # The machine has no network beyond loopback: keep Chromium from calling home.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: requests counted by earlier tests' rate limits do not carry over."""
    from django.core.cache import cache

    cache.clear()


@contextmanager
def _chromium_page(live_server, monkeypatch, **context_options):
    """Launch headless Chromium and open one tab whose relative URLs point at the live server."""
    if not CHROMIUM.exists():
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in this thread, so Django would refuse
    # the test's own database queries as coming from async code.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        context = browser.new_context(base_url=live_server.url, **context_options)
        context.set_default_timeout(15_000)
        try:
            yield context.new_page()
        finally:
            context.close()
            browser.close()


@pytest.fixture
def page(live_server, monkeypatch):
    """A headless Chromium tab whose relative URLs point at the live server."""
    with _chromium_page(live_server, monkeypatch) as tab:
        yield tab


@pytest.fixture
def audit_page(live_server, monkeypatch):
    """Like `page`, but ignoring the Content Security Policy so a test can inject axe-core.

    Only for the accessibility audit: every other browser test runs under the site's real CSP.
    """
    with _chromium_page(live_server, monkeypatch, bypass_csp=True) as tab:
        yield tab


@pytest.fixture
def page_without_js(live_server, monkeypatch):
    """Like `page`, with JavaScript turned off: for checking that a page works as plain HTML."""
    with _chromium_page(live_server, monkeypatch, java_script_enabled=False) as tab:
        yield tab
