"""The example frontend (docs/example-frontend/) in Chromium, reading a live Byline through CORS.

The frontend is served by Python's http.server on a loopback port of its own,
Byline by pytest-django's live server on another: two origins, as in
production. Byline lets the frontend's origin in because it is the site's
headless frontend (Settings → Headless frontends), and previews open it with
a token the way Wagtail's preview panel does.
"""

import functools
import http.server
import threading
from datetime import datetime
from pathlib import Path
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from wagtail.models import Site

from cms.headless.models import HeadlessFrontend, HeadlessSettings
from news.models import ArticlePage
from tests.factories import (
    body_with_every_block,
    make_article,
    make_author,
    make_embed,
    make_image,
    make_section,
)

FRONTEND_DIR = Path(__file__).resolve().parent.parent / "docs" / "example-frontend"
PUBLISHED = datetime(2024, 3, 12, 9, 30, tzinfo=ZoneInfo("Europe/London"))
ARTICLE_PATH = "/politics/harbour-dredging-plan-approved/"
TIMEOUT_MS = 15_000

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the stdlib's signature
        pass


@pytest.fixture
def frontend_url():
    """docs/example-frontend served on 127.0.0.1 at a free port, as its README says."""
    handler = functools.partial(QuietHandler, directory=str(FRONTEND_DIR))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture
def newsroom(live_server, frontend_url):
    """A published article using every block, with two authors and a lead image; the
    frontend set up as the site's headless frontend (its origin may read the API)."""
    politics = make_section("Politics", slug="politics", introduction="Votes and councils.")
    ada = make_author(
        "Ada Quill",
        role="Political editor",
        long_bio="<p>Ada has covered the <b>council</b> since 2012.</p>",
        portrait=make_image("Ada Quill", width=400, height=400, description="Ada Quill, smiling"),
        profile_links=[
            ("link", {"service": "mastodon", "url": "https://social.example/@ada"}),
            ("link", {"service": "website", "url": "https://ada.example/"}),
        ],
    )
    ben = make_author("Ben Ledger", role="Reporter")
    earlier = make_article(
        politics,
        title="Harbour board sets a date",
        authors=[ben],
        publication_date=PUBLISHED.replace(day=2),
    )
    make_embed()
    quay = make_image(
        "Quay",
        width=800,
        height=450,
        description="Boats along the quay",
        default_caption="The quay at low tide",
        credit="Sam Harbour/Byline",
    )
    article = make_article(
        politics,
        title="Harbour dredging plan approved",
        slug="harbour-dredging-plan-approved",
        standfirst="The board voted seven to two on Tuesday night.",
        authors=[ada, ben],
        tags=["harbour", "council"],
        lead_image=make_image(
            "Dredger",
            width=800,
            height=450,
            description="A dredger in the harbour mouth",
            default_caption="The dredger arrives",
            credit="Jo Lens",
        ),
        body=body_with_every_block(image=quay, related_article=earlier),
        publication_date=PUBLISHED,
    )
    settings = HeadlessSettings.for_site(Site.objects.get(is_default_site=True))
    address = f"{frontend_url}index.html?{urlencode({'api': live_server.url})}"
    settings.frontends = [HeadlessFrontend(name="Example frontend", url=address, sort_order=0)]
    settings.save()
    return {"article": article, "earlier": earlier, "address": address}


def open_page(browser, url, allowed):
    page = browser.new_page()

    def only_local(route):
        # Embedded players and the like: this test never leaves the machine.
        if route.request.url.startswith(tuple(allowed)):
            route.continue_()
        else:
            route.abort()

    page.route("**/*", only_local)
    page.goto(url)
    page.wait_for_selector("body[data-ready=true]", timeout=TIMEOUT_MS)
    return page


def frontend(newsroom, **params):
    return newsroom["address"] + ("&" + urlencode(params) if params else "")


def texts(page, selector):
    return [" ".join(text.split()) for text in page.locator(selector).all_inner_texts()]


def test_the_frontend_renders_an_article_from_the_api(browser, live_server, frontend_url, newsroom):
    page = open_page(
        browser, frontend(newsroom, path=ARTICLE_PATH), [frontend_url, live_server.url]
    )
    try:
        assert page.title() == "Harbour dredging plan approved – The Byline Courier"
        assert texts(page, ".masthead__nav a") == ["Politics"]
        assert texts(page, "h1.headline") == ["Harbour dredging plan approved"]
        assert texts(page, ".standfirst") == ["The board voted seven to two on Tuesday night."]
        assert texts(page, ".article__header .byline") == ["By Ada Quill and Ben Ledger"]
        assert texts(page, ".article__meta time") == ["12 March 2024 at 09:30"]
        # The lead image: caption, credit, and a file from Byline's media.
        assert texts(page, ".lead-image figcaption") == ["The dredger arrives Image: Jo Lens"]
        lead = page.locator(".lead-image img")
        assert lead.get_attribute("alt") == "A dredger in the harbour mouth"
        assert lead.get_attribute("src").startswith(f"{live_server.url}/media/")

        # Every block of the body.
        assert "The harbour board met on Tuesday to settle the dredging plan." in texts(
            page, ".block--paragraph"
        )
        assert page.locator(".block--paragraph b").inner_text() == "Tuesday"
        assert texts(page, "h2.block--heading") == ["What the board decided"]
        assert texts(page, "h3.block--heading") == ["The cost"]
        assert texts(page, ".block--quotation blockquote") == [
            "We dredge in spring or we lose the autumn sailings."
        ]
        assert texts(page, ".block--quotation figcaption") == [
            "— Edda Morrow, harbour master, Board minutes"
        ]
        source = page.locator(".block--quotation cite a")
        assert source.get_attribute("href") == "https://harbour.example/minutes"
        assert texts(page, ".block--pull-quote p") == ["Spring or nothing.", "Edda Morrow"]
        assert texts(page, ".block--image figcaption") == [
            "The quay at low tide Image: Sam Harbour/Byline"
        ]
        assert page.locator(".block--image img").get_attribute("alt") == "Boats along the quay"
        assert texts(page, ".block--embed figcaption") == ["A tour of the harbour works"]
        assert page.locator(".block--embed iframe").get_attribute("title") == "Harbour tour"
        assert texts(page, "ol.block--list li") == ["Survey the channel", "Dredge the berth"]
        assert texts(page, ".block--table caption") == ["Dredging costs by year"]
        assert texts(page, ".block--table th") == ["Year", "Cost"]
        assert texts(page, ".block--table td") == ["2022", "£1.2m", "2023", "£1.9m"]
        assert texts(page, ".block--fact-box h2") == ["The harbour in numbers"]
        assert texts(page, ".block--fact-box .fact-box__body") == ["Four berths, one channel."]
        related = page.locator(".block--related a")
        assert related.inner_text() == "Harbour board sets a date"
        assert "path=%2Fpolitics%2Fharbour-board-sets-a-date%2F" in related.get_attribute("href")
        assert texts(page, ".article__tags li") == ["council", "harbour"]

        # The author boxes.
        assert texts(page, ".author-box__name") == ["Ada Quill", "Ben Ledger"]
        assert texts(page, ".author-box__role") == ["Political editor", "Reporter"]
        assert texts(page, ".author-box__bio")[0] == "Ada has covered the council since 2012."
        portrait = page.locator(".author-box__portrait")
        assert portrait.count() == 1 and portrait.get_attribute("alt") == "Ada Quill, smiling"
        assert texts(page, ".author-box__links a") == ["Mastodon", "Website"]
        mastodon = page.locator(".author-box__links a").first
        assert mastodon.get_attribute("href") == "https://social.example/@ada"
        assert mastodon.get_attribute("rel") == "me"

        # The related article, followed within the frontend.
        related.click()
        page.wait_for_selector("h1.headline >> text=Harbour board sets a date", timeout=TIMEOUT_MS)
    finally:
        page.close()


def test_the_frontend_renders_the_front_page_and_a_section(
    browser, live_server, frontend_url, newsroom
):
    page = open_page(browser, frontend(newsroom), [frontend_url, live_server.url])
    try:
        assert texts(page, ".lead-story__title") == ["Harbour dredging plan approved"]
        assert texts(page, ".lead-story .byline") == ["By Ada Quill and Ben Ledger"]
        assert texts(page, ".lead-story figcaption .credit") == ["Image: Jo Lens"]
        assert texts(page, ".latest .card__title") == ["Harbour board sets a date"]
        page.locator(".masthead__nav a", has_text="Politics").click()
        page.wait_for_selector("h1.section__title", timeout=TIMEOUT_MS)
        assert texts(page, "h1.section__title") == ["Politics"]
        assert texts(page, ".section__introduction") == ["Votes and councils."]
        assert texts(page, ".card__title") == [
            "Harbour dredging plan approved",
            "Harbour board sets a date",
        ]
    finally:
        page.close()


def test_a_draft_previews_in_the_frontend_while_readers_keep_the_published_article(
    browser, live_server, frontend_url, newsroom
):
    article = newsroom["article"]
    draft = article.get_latest_revision_as_object()
    draft.title = "Dredging plan approved after a night vote"
    draft.save_revision()  # saved, not published

    # What the preview panel's iframe gets when the editor picks the frontend mode.
    editing = ArticlePage.objects.get(pk=article.pk).get_latest_revision_as_object()
    answer = editing.make_preview_request(
        preview_mode="frontend", extra_request_attrs={"is_editing": True, "in_preview_panel": True}
    )
    assert answer.status_code == 302
    assert answer["Location"].startswith(newsroom["address"] + "&preview_token=")

    allowed = [frontend_url, live_server.url]
    page = open_page(browser, answer["Location"], allowed)
    try:
        assert texts(page, "h1.headline") == ["Dredging plan approved after a night vote"]
        assert page.locator(".preview-banner").is_visible()
        assert texts(page, ".block--fact-box h2") == ["The harbour in numbers"]
        # Readers of the frontend still get the published article.
        page.goto(frontend(newsroom, path=ARTICLE_PATH))
        page.wait_for_selector("body[data-ready=true]", timeout=TIMEOUT_MS)
        assert texts(page, "h1.headline") == ["Harbour dredging plan approved"]
        assert not page.locator(".preview-banner").is_visible()
        # A token that was tampered with is refused, with a way forward.
        page.goto(answer["Location"][:-3] + "xyz")
        page.wait_for_selector("body[data-ready=true]", timeout=TIMEOUT_MS)
        assert "Open the preview again in the Wagtail admin" in page.locator(".error").inner_text()
    finally:
        page.close()


def test_the_admin_preview_panel_shows_the_frontend(browser, live_server, frontend_url, newsroom):
    """Wagtail's own preview panel, frontend mode chosen: the iframe shows the saved draft."""
    article = newsroom["article"]
    draft = article.get_latest_revision_as_object()
    draft.title = "Dredging plan approved after a night vote"
    draft.save_revision()
    get_user_model().objects.create_superuser("editor", "editor@example.com", "correct horse")

    page = browser.new_page()
    page.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url.startswith((frontend_url, live_server.url))
            else route.abort()
        ),
    )
    try:
        page.goto(f"{live_server.url}/admin/login/")
        page.fill("input[name=username]", "editor")
        page.fill("input[name=password]", "correct horse")
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/admin/", timeout=TIMEOUT_MS)
        page.goto(f"{live_server.url}/admin/pages/{article.pk}/edit/")
        page.click("[data-side-panel-toggle=preview]")
        frame = page.frame_locator("#w-preview-iframe")
        # The panel first shows the default, server-rendered mode; choosing another
        # mode before its script is ready would be lost, so wait for that first.
        frame.locator("h1.article__title").wait_for(timeout=TIMEOUT_MS)
        page.select_option("#id_preview_mode", "frontend")
        headline = frame.locator("h1.headline")
        headline.wait_for(timeout=TIMEOUT_MS)
        assert headline.inner_text() == "Dredging plan approved after a night vote"
        assert frame.locator(".preview-banner").is_visible()
    finally:
        page.close()
