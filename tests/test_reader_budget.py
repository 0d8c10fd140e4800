"""A performance budget per reader page type, measured from Chromium's network events.

For each page type on a 390 px phone and a 1280 px desktop: the HTML, the
CSS and the images above the fold (those whose box starts inside the first
screen) must stay under a budget, and no resource from another host may block
rendering (a stylesheet, a synchronous script or a font). Images are photos
made of noise, the hardest to compress, so the figures are a worst case.
"""

import io
import random

import pytest
from django.core.files.images import ImageFile
from PIL import Image

from news.models import NewsImage
from news.models.images import rendition_specs
from news.seo import SOCIAL_IMAGE_SPECS
from tests.browser_support import serve_media
from tests.test_reader_responsive import PAGES, build_newsroom, only_local

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

KB = 1024
# Bytes as the browser decodes them (before gzip, which the site also applies).
BUDGETS = {
    "html": 80 * KB,
    "css": 32 * KB,
    "images above the fold": {390: 120 * KB, 1280: 320 * KB},
}
RENDER_BLOCKING_TYPES = {"stylesheet", "script", "font"}

# The pictures a reader sees before scrolling, by the URLs the browser loaded.
ABOVE_THE_FOLD = """
() => Array.from(document.images)
    .filter(img => img.currentSrc && img.getBoundingClientRect().top < innerHeight)
    .map(img => img.currentSrc)
"""


def noisy_photo(title):
    """A 1600 x 900 JPEG of noise: compresses like a busy photograph, or worse."""
    generator = random.Random(title)
    pixels = bytes(generator.getrandbits(8) for _ in range(160 * 90 * 3))
    picture = Image.frombytes("RGB", (160, 90), pixels).resize((1600, 900), Image.BICUBIC)
    buffer = io.BytesIO()
    picture.save(buffer, format="JPEG", quality=85)
    image = NewsImage(title=title, file=ImageFile(buffer, name=f"{title}.jpg"), description=title)
    image.save()
    return image


FOREIGN_IN_HEAD = """
Array.from(document.querySelectorAll(
    'link[rel~=stylesheet], script[src]:not([async]):not([defer])'
)).map(e => e.href || e.src).filter(u => new URL(u).origin !== location.origin)
"""


def measure(page, url, origin):
    """(html, css, image bytes above the fold), and what blocks rendering from elsewhere."""
    responses = []

    def listener(response):
        responses.append(response)

    page.on("response", listener)
    try:
        page.goto(url, wait_until="load")
        page.wait_for_load_state("networkidle")
    finally:
        page.remove_listener("response", listener)
    size, blocking = {}, list(page.evaluate(FOREIGN_IN_HEAD))
    for response in responses:
        kind = response.request.resource_type
        if not response.url.startswith(origin) and kind in RENDER_BLOCKING_TYPES:
            blocking.append(response.url)
        if response.request.method == "GET" and (response.status < 300 or kind == "document"):
            size[response.url] = (kind, len(response.body()))
    html = sum(n for kind, n in size.values() if kind == "document")
    css = sum(n for kind, n in size.values() if kind == "stylesheet")
    images = sum(size[src][1] for src in page.evaluate(ABOVE_THE_FOLD) if src in size)
    return (html, css, images), blocking


def test_every_page_type_keeps_to_its_budget(browser, live_server):
    from news.models import ArticlePage

    build_newsroom()
    photo = noisy_photo("Harbour at dawn")
    ArticlePage.objects.update(lead_image=photo)
    # Made before the first page view, as `load_demo_content` does for the demo: a busy
    # machine can take longer than a page load's timeout to resize a photo six times.
    specs = [spec for pairs in rendition_specs().values() for _, spec in pairs]
    photo.get_renditions(*specs, *SOCIAL_IMAGE_SPECS)
    over, blocking, figures = {}, {}, {}
    for width in (390, 1280):
        context = browser.new_context(viewport={"width": width, "height": 844})
        context.route("**/*", only_local(live_server.url))  # an embed's player stays out
        context.route("**/media/**", serve_media)
        page = context.new_page()
        page.set_default_navigation_timeout(90_000)
        limits = {
            "html": BUDGETS["html"],
            "css": BUDGETS["css"],
            "images": BUDGETS["images above the fold"][width],
        }
        try:
            for name, url in PAGES.items():
                measured, blockers = measure(page, live_server.url + url, live_server.url)
                figures[(name, width)] = measured
                if blockers:
                    blocking[name] = blockers
                for (label, limit), value in zip(limits.items(), measured, strict=True):
                    if value > limit:
                        over[(name, width, label)] = f"{value / KB:.0f} KB > {limit / KB:.0f} KB"
        finally:
            context.close()
    assert over == {}, figures
    assert blocking == {}
    # The measurement saw real bytes: the front page has HTML, CSS and its lead picture.
    html, css, images = figures[("home", 390)]
    assert html > 5 * KB and css > 5 * KB and images > 10 * KB, figures
    assert figures[("not found", 390)][0] > 2 * KB  # a 404's HTML counts too
