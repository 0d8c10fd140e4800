"""Headless Chromium for browser tests: Debian's /usr/bin/chromium through Playwright.

Never a downloaded browser (`playwright install` is not used). On a laptop
without Chromium or Playwright the browser tests skip; in CI (CI set) they fail.
"""

import os

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def missing(reason):
    """Skip on a developer's machine without the tool; fail in CI, where it must be."""
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture
def browser(live_server):
    """Headless Chromium driven by Playwright's sync API.

    Started after the test database and live server are set up, and stopped
    before they are torn down: Playwright runs an event loop in this thread,
    and inside it Django hands out a different connection object, which would
    skip the transactional test's serialized rollback.
    """
    if not os.path.exists(CHROMIUM):
        missing(f"needs Debian's Chromium at {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright import sync_api
    except ImportError:
        missing("needs Playwright (pip install -r requirements-test.txt)")
    # Playwright's sync API runs an event loop in this thread; the test's own
    # database calls are still synchronous.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous
