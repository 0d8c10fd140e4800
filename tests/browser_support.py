"""Headless Chromium for browser tests: Debian's /usr/bin/chromium through Playwright.

Never a downloaded browser (`playwright install` is not used). On a laptop
without Chromium or Playwright the browser tests skip; in CI (CI set) they fail.
"""

import os

import pytest

from news.demo.screenshots import CHROMIUM, CHROMIUM_ARGS  # one list for tests and pictures


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


def serve_media(route):
    """A Playwright route handler for `**/media/**`: files from MEDIA_ROOT.

    The live server serves static files only (DEBUG is off in tests); pages
    whose pictures must really load (screenshots, byte budgets) route media here.
    """
    from pathlib import Path

    from django.conf import settings

    relative = route.request.url.split("/media/", 1)[1].split("?", 1)[0]
    path = Path(settings.MEDIA_ROOT) / relative
    if path.is_file():
        route.fulfill(path=str(path))
    else:
        route.fulfill(status=404)


def wait_until(page, expression, timeout_ms=30_000, interval_ms=100):
    """Poll ``expression`` in the page until it is truthy.

    Playwright's ``wait_for_function`` compiles its predicate with ``eval`` inside the
    page, which Byline's Content-Security-Policy (no 'unsafe-eval') refuses; ``evaluate``
    goes through the DevTools protocol, which the policy does not govern.
    """
    waited = 0
    while not page.evaluate(expression):
        if waited >= timeout_ms:
            raise AssertionError(f"still false after {timeout_ms} ms: {expression}")
        page.wait_for_timeout(interval_ms)
        waited += interval_ms


def settle(page):
    """Wait for the page's CSS transitions (a message sliding in, a panel opening) to end.

    axe-core measures colours as painted, and text caught mid-fade has too little
    contrast; call this before every accessibility check. Keyframe animations (a
    spinner, the admin's badge that pings for 25 s) do not count.
    """
    wait_until(
        page,
        "document.getAnimations().every("
        "(a) => !(a instanceof CSSTransition) || a.playState !== 'running')",
        timeout_ms=10_000,
    )
