"""Visual regression: every reader page type, shot in Chromium, against committed baselines.

The demo site is loaded with its clock frozen (dates on the pages never
change) and small pictures (fast), then each page type is shot at desktop
and phone width by news.demo.screenshots, the code behind `manage.py
screenshots`, with animations off. A page fails when more than
DIFFERENCE_THRESHOLD of its pixels differ by more than CHANNEL_TOLERANCE,
which antialiasing never reaches; the actual picture and a red difference
map are written next to the test's temporary files.

After an intended change of the design, update the baselines and commit them:

    make screenshots UPDATE=1
"""

import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from news.demo import images, screenshots
from tests.browser_support import serve_media
from tests.demo_support import load_demo

BASELINES = Path(__file__).parent / "visual" / "baselines"
UPDATE = os.environ.get("BYLINE_UPDATE_BASELINES") == "1"
# The demo's "now": every date it shows counts back from here.
FROZEN_AT = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)

PAGE_TYPES = {
    "home": "/",
    "section": "/world/",
    "article": "/world/estmark-meridian-fishing-truce/",
    "tag": "/tags/oceans/",
    "author": "/authors/ines-varga/",
    "authors": "/authors/",
    # One match: SQLite and PostgreSQL rank several matches in different orders.
    "search": "/search/?q=truce",
    "not-found": "/no/such/page/",
}
SHOTS = [
    screenshots.Shot(f"{name}-{viewport}", path, viewport)
    for name, path in PAGE_TYPES.items()
    for viewport in ("desktop", "phone")
] + [screenshots.Shot("article-phone-full", PAGE_TYPES["article"], "phone", full_page=True)]


@pytest.fixture
def frozen_demo(monkeypatch, settings, tmp_path):
    import time_machine

    monkeypatch.setattr(images, "ILLUSTRATION_SIZE", (320, 180))
    monkeypatch.setattr(images, "PORTRAIT_SIZE", 200)
    settings.MEDIA_ROOT = str(tmp_path / "media")
    with time_machine.travel(FROZEN_AT, tick=False):
        load_demo("--skip-renditions")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_every_page_type_looks_like_its_baseline(frozen_demo, browser, live_server, tmp_path):
    if not UPDATE and not BASELINES.exists():
        pytest.fail("No baselines: run `make screenshots UPDATE=1` and commit tests/visual/")
    context_routes = [("**/media/**", serve_media)]
    different, missing = {}, []
    for shot in SHOTS:
        actual = tmp_path / f"{shot.name}.png"
        screenshots.capture(
            browser,
            live_server.url + shot.path,
            actual,
            viewport=shot.viewport,
            full_page=shot.full_page,
            routes=context_routes,
        )
        baseline = BASELINES / actual.name
        if UPDATE:
            BASELINES.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(actual, baseline)
            continue
        if not baseline.exists():
            missing.append(baseline.name)
            continue
        share = screenshots.difference(actual, baseline)
        if share > screenshots.DIFFERENCE_THRESHOLD:
            marked = tmp_path / f"{shot.name}-diff.png"
            screenshots.difference_image(actual, baseline, marked)
            different[shot.name] = f"{share:.2%} of pixels differ (see {actual} and {marked})"
    assert missing == [], "new page types: run `make screenshots UPDATE=1` and commit the files"
    assert different == {}, "\n".join(f"{name}: {why}" for name, why in different.items())


def test_the_comparison_tolerates_antialiasing_but_not_a_changed_layout(tmp_path):
    from PIL import Image, ImageDraw

    def page(path, *, shift=0, nudge=0):
        image = Image.new("RGB", (400, 300), (255, 253, 249))
        draw = ImageDraw.Draw(image)
        draw.rectangle((20 + shift, 20, 380 + shift, 120), fill=(138, 28, 28))
        draw.text((30, 200), "The Byline Courier", fill=(26 + nudge, 26 + nudge, 26 + nudge))
        image.save(path)
        return path

    base = page(tmp_path / "base.png")
    assert screenshots.difference(base, page(tmp_path / "same.png")) == 0
    # Text rendered a shade lighter (antialiasing, gamma): tolerated.
    assert screenshots.difference(base, page(tmp_path / "aa.png", nudge=30)) == 0
    # A block moved by 8 px: 2 strips of 8 x 100 px change, over the threshold.
    moved = screenshots.difference(base, page(tmp_path / "moved.png", shift=8))
    assert moved == pytest.approx(2 * 8 * 100 / (400 * 300), rel=0.05)
    assert moved > screenshots.DIFFERENCE_THRESHOLD
    # Another size: everything differs.
    Image.new("RGB", (400, 301)).save(tmp_path / "taller.png")
    assert screenshots.difference(base, tmp_path / "taller.png") == 1.0


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_readme_pictures_come_from_the_screenshots_script(
    frozen_demo, browser, live_server, tmp_path
):
    """`manage.py screenshots` (make screenshots): home, an article on desktop and phone,
    and the admin's editor, signed in, from the running demo."""
    from django.contrib.auth import get_user_model
    from django.urls import reverse
    from PIL import Image

    from news.management.commands.screenshots import session_cookie
    from news.models import ArticlePage

    article = ArticlePage.objects.get(url_path__endswith="/estmark-meridian-fishing-truce/")
    admin = get_user_model().objects.create_superuser("shooter", "shooter@example.com", "pw")
    paths = {
        "article": article.url,
        "article_edit": reverse("wagtailadmin_pages:edit", args=[article.pk]),
    }
    cookie = session_cookie(admin, live_server.url)
    written = screenshots.take_readme_shots(
        browser,
        live_server.url,
        tmp_path,
        paths,
        [cookie],
        say=lambda line: None,
        routes=[("**/media/**", serve_media)],
    )
    sizes = {path.stem: Image.open(path).size for path in written}
    assert sizes == {
        "home-desktop": screenshots.VIEWPORTS["desktop"],
        "article-desktop": screenshots.VIEWPORTS["desktop"],
        "article-phone": screenshots.VIEWPORTS["phone"],
        "admin-editor": screenshots.VIEWPORTS["desktop"],
    }
    # The editor's picture is the signed-in editor, not the login page.
    context = browser.new_context()
    context.add_cookies([cookie])
    page = context.new_page()
    page.goto(live_server.url + paths["article_edit"])
    assert page.locator("form#page-edit-form").count() == 1
    context.close()
