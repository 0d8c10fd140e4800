"""`manage.py screenshots`: the README's pictures, taken from the demo site in headless Chromium.

Serves this project (the configured database: `make run`'s demo) on a free
local port, or uses a running site (`--url`), and writes PNGs of the home
page, an article on a desktop and a phone, and the admin's editor (signed in
as the first superuser) into docs/screenshots/. The visual regression test
(tests/test_visual_regression.py) shoots every page type the same way
(news.demo.screenshots) and compares them with its baselines.
"""

import threading
import time
from pathlib import Path

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.management.base import BaseCommand, CommandError
from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
from django.core.wsgi import get_wsgi_application
from django.urls import reverse

from news.demo import content, screenshots
from news.models import ArticlePage

DEFAULT_OUTPUT = Path(settings.BASE_DIR) / "docs" / "screenshots"


class QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


class Command(BaseCommand):
    help = (
        "Take the README's screenshots (home page, an article on desktop and phone, the admin "
        "editor) of the demo site in headless Chromium and write them to docs/screenshots/."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--url", help="A running site to shoot (default: serve this project on a free port)."
        )
        parser.add_argument("--output", default=str(DEFAULT_OUTPUT), help="Folder for the PNGs.")

    def handle(self, *args, url, output, **options):
        article = ArticlePage.objects.live().filter(slug=content.LEAD_STORY_SLUG).first()
        article = article or ArticlePage.objects.live().order_by("-publication_date").first()
        if article is None:
            raise CommandError(
                "There is no article to photograph: run `python manage.py load_demo_content` "
                "(or `make setup`) first."
            )
        user = get_user_model().objects.filter(is_superuser=True, is_active=True).first()
        if user is None:
            raise CommandError(
                "There is no admin account for the editor's picture: run "
                "`python manage.py demo_admin` first."
            )
        try:
            from playwright.sync_api import sync_playwright
        except ImportError as error:
            raise CommandError(
                "Playwright is missing: pip install -r requirements-test.txt"
            ) from error
        if not Path(screenshots.CHROMIUM).exists():
            raise CommandError(
                f"Chromium is missing at {screenshots.CHROMIUM}: apt-get install chromium"
            )

        server = None
        if not url:
            server = self._serve()
            url = f"http://127.0.0.1:{server.server_port}"
        paths = {
            "article": article.url,
            "article_edit": reverse("wagtailadmin_pages:edit", args=[article.pk]),
        }
        started = time.monotonic()
        # Before Playwright starts: its event loop makes database calls refuse to run.
        cookies = [session_cookie(user, url)]
        try:
            with sync_playwright() as playwright:
                browser = screenshots.launch(playwright)
                written = screenshots.take_readme_shots(
                    browser, url, output, paths, cookies, say=self.stdout.write
                )
                browser.close()
        finally:
            if server is not None:
                server.shutdown()
                server.server_close()
        elapsed = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(f"Wrote {len(written)} screenshots to {output} in {elapsed:.1f} s.")
        )

    def _serve(self):
        """This project on a free local port, in a thread (static and media files included)."""
        server = ThreadedWSGIServer(("127.0.0.1", 0), QuietHandler, allow_reuse_address=False)
        server.set_app(StaticFilesHandler(get_wsgi_application()))
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        return server


def session_cookie(user, url):
    """A signed-in admin session for `user`, without their password."""
    from importlib import import_module

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]  # not axes: it only counts
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.save()
    return {"name": settings.SESSION_COOKIE_NAME, "value": store.session_key, "url": url}
