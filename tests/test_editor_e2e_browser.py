"""From a writer's first draft to readers, in a real browser (Playwright driving Debian's Chromium).

A writer signs in and writes an article in a section: a paragraph, a quotation,
an image with its caption and credit, an embed and two authors; she submits it
for review ("Editorial review" workflow, news migration 0005). An editor signs
in, approves it with a comment and schedules it with a publication date a few
minutes ahead. The article goes live through the runtime, as in production:
the clock queues its `publish_scheduled` job once time has come, and the
worker runs it. Readers then find the whole article on the site and in both
APIs. Every admin page used passes axe-core without serious violations.

The embed comes from an oEmbed provider on the loopback interface
(pytest-httpserver), named in WAGTAILEMBEDS_FINDERS for this test only: the
machine never leaves itself.
"""

import re
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail.models import Revision, WorkflowState

from cms.runtime import clock
from news.models import ArticlePage
from tests.browser_support import serve_media
from tests.factories import make_author, make_image, make_section
from tests.runtime_support import run_worker
from tests.test_accessibility import only_local_requests, serious

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TIMEOUT_MS = 60_000
PASSWORD = "newsroom-pass-1234"
VIDEO_URL = "https://video.example/watch/lock-gates"
PLAYER = "https://video.example/player/lock-gates"

HEADLINE = "Lock gates reopen after winter repairs"
STANDFIRST = "Barges queued from dawn as the canal opened for the season."
PARAGRAPH = "The first barge passed the lower gate at seven."
QUOTE = "We replaced every hinge by hand."
SPEAKER = "Nia Brandt, lock keeper"
CAPTION = "The lower gate, rehung"
CREDIT = "Photo: Tomas Reed"
EMBED_CAPTION = "The gates open for the first time this year"
REVIEW_COMMENT = "Good to go: schedule it for the morning."


def member(username, group):
    user = get_user_model().objects.create_user(
        username, password=PASSWORD, first_name=username.title(), last_name=group
    )
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def video_provider(httpserver, settings):
    """A loopback oEmbed provider for video.example, the only embed finder."""
    httpserver.expect_request("/oembed").respond_with_json(
        {
            "type": "video",
            "version": "1.0",
            "title": "Lock gates open",
            "provider_name": "Video Example",
            "width": 640,
            "height": 360,
            "html": f'<iframe title="Lock gates open" src="{PLAYER}" width="640" '
            'height="360"></iframe>',
        }
    )
    settings.WAGTAILEMBEDS_FINDERS = [
        {
            "class": "wagtail.embeds.finders.oembed",
            "providers": [
                {
                    "endpoint": httpserver.url_for("/oembed"),
                    "urls": [r"^https://video\.example/watch/.+$"],
                }
            ],
        }
    ]
    return httpserver


class Admin:
    """One person's browser tab in the admin, checked by axe-core on every page it shows."""

    def __init__(self, browser, live_server, username):
        from axe_playwright_python.sync_playwright import Axe

        self.url = live_server.url
        self.context = browser.new_context()
        self.page = self.context.new_page()
        self.page.route("**/*", only_local_requests(live_server.url))
        self.page.route("**/media/**", serve_media)
        self.axe = Axe()
        self.problems = {}
        self.page.goto(f"{self.url}/admin/login/")
        self.page.fill("input[name=username]", username)
        self.page.fill("input[name=password]", PASSWORD)
        self.page.click("button[type=submit]")
        self.page.wait_for_url(f"{self.url}/admin/", timeout=TIMEOUT_MS)
        self.check(f"{username}: dashboard")

    def check(self, name):
        found = serious(self.axe, self.page)
        if found:
            self.problems[name] = found

    def tab(self, name):
        self.page.get_by_role("tab", name=name).click()

    def choose(self, button, text):
        """Open a chooser with `button` and pick the row showing `text`."""
        button.click()
        modal = self.page.locator(".modal.in")
        modal.locator("[data-chooser-modal-choice]", has_text=text).first.click(timeout=TIMEOUT_MS)
        modal.wait_for(state="hidden", timeout=TIMEOUT_MS)

    def insert_block(self, label):
        """Append a block of type `label` to the story (the last insert button)."""
        self.page.locator("button[title='Insert a block']").filter(visible=True).last.click()
        self.page.locator("[role=option]", has_text=re.compile(f"^\\s*{label}", re.I)).first.click()

    def close(self):
        self.context.close()


def test_a_writers_article_goes_through_review_and_the_worker_to_readers(
    browser, live_server, video_provider, task_queue, settings
):
    # One request at a time: the tests' SQLite database, shared in memory with the
    # live server's threads, locks a table for any second writer, and autosave and
    # the editing-session pings would write while the test clicks. (Autosave in the
    # browser is tested in test_editor_day_browser.py.)
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0
    settings.WAGTAIL_EDITING_SESSION_PING_INTERVAL = 3_600_000
    section = make_section("Canals")
    make_author("Ada Quill")
    make_author("Ben Ledger")
    make_image("Lower lock gate", description="A wooden lock gate rehung on new hinges")
    member("wren", "Writer")
    member("eddie", "Editor")

    # The writer drafts the article and submits it for review.
    writer = Admin(browser, live_server, "wren")
    page = writer.page
    try:
        page.goto(f"{writer.url}/admin/pages/add/news/articlepage/{section.pk}/")
        page.fill("input[name=title]", HEADLINE)
        page.fill("[name=standfirst]", STANDFIRST)

        writer.insert_block("Paragraph")
        page.locator("[contenteditable=true][role=textbox]").filter(visible=True).last.click()
        page.keyboard.type(PARAGRAPH)

        writer.insert_block("Quotation")
        page.fill("[name='body-1-value-quote']", QUOTE)
        page.fill("[name='body-1-value-attribution']", SPEAKER)

        writer.insert_block("Image")
        writer.choose(
            page.locator("[data-chooser-action-choose]").filter(visible=True).last,
            "Lower lock gate",
        )
        page.fill("[name='body-2-value-caption']", CAPTION)
        page.fill("[name='body-2-value-credit']", CREDIT)

        writer.insert_block("Embed")
        page.fill("[name='body-3-value-embed']", VIDEO_URL)
        page.fill("[name='body-3-value-caption']", EMBED_CAPTION)
        writer.check("writer: new article, content")

        writer.tab("Authors & media")
        for position, name in enumerate(["Ada Quill", "Ben Ledger"]):
            page.locator("#id_article_authors-ADD").click()
            writer.choose(
                page.locator(
                    f"#inline_child_article_authors-{position} [data-chooser-action-choose]"
                ),
                name,
            )
        writer.check("writer: new article, authors")

        page.get_by_role("button", name="More actions").click()
        with page.expect_navigation(timeout=TIMEOUT_MS):
            page.locator("button[name='action-submit']").click()
        assert "submitted" in page.locator(".messages").inner_text()
        writer.check("writer: after submitting")
    finally:
        writer.close()

    article = ArticlePage.objects.get(title=HEADLINE)
    assert not article.live
    state = WorkflowState.objects.get(base_content_type__model="page", object_id=str(article.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS

    # The editor approves it with a comment and schedules it a few minutes ahead.
    go_live = (timezone.now() + timedelta(minutes=3)).replace(second=0, microsecond=0)
    editor = Admin(browser, live_server, "eddie")
    page = editor.page
    try:
        page.goto(f"{editor.url}/admin/pages/{article.pk}/edit/")
        editor.check("editor: article in review")
        editor.tab("Settings")
        date_field = page.locator("[name=publication_date]")
        date_field.fill(timezone.localtime(go_live).strftime("%Y-%m-%d %H:%M"))
        date_field.press("Tab")
        editor.check("editor: settings")
        page.get_by_role("button", name="More actions").click()
        page.get_by_role("button", name="Approve with comment").click()
        modal = page.locator(".modal.in")
        modal.locator("textarea[name=comment]").fill(REVIEW_COMMENT)
        editor.check("editor: approving with a comment")
        with page.expect_navigation(timeout=TIMEOUT_MS):
            modal.locator("[type=submit]").click()
        assert "has been updated" in page.locator(".messages").inner_text()
        editor.check("editor: after approving")
    finally:
        editor.close()
    assert writer.problems == {} and editor.problems == {}, (writer.problems, editor.problems)

    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED
    assert [task.comment for task in state.task_states.all()] == [REVIEW_COMMENT]
    article.refresh_from_db()
    assert not article.live  # scheduled, not published
    scheduled = Revision.page_revisions.filter(object_id=str(article.pk)).exclude(
        approved_go_live_at=None
    )
    assert [revision.approved_go_live_at for revision in scheduled] == [go_live]

    reader = browser.new_page()
    reader.route("**/*", only_local_requests(live_server.url))
    reader.route("**/media/**", serve_media)
    try:
        url = f"{live_server.url}/canals/{article.slug}/"
        assert reader.goto(url).status == 404
        assert reader.request.get(f"{live_server.url}/api/v2/articles/{article.pk}/").status == 404

        # Time comes: the clock queues publish_scheduled, the worker publishes.
        with time_machine.travel(go_live + timedelta(seconds=5), tick=True):
            assert "publish_scheduled" in clock.tick()
            article.refresh_from_db()
            assert not article.live  # queued, for the worker
            run_worker()
            article.refresh_from_db()
            assert article.live

            assert reader.goto(url).status == 200
            check_article_page(reader)
            # The embed's HTML came from the loopback provider.
            asked = [request.args.get("url") for request, _ in video_provider.log]
            assert VIDEO_URL in asked
            for api in (f"/api/v2/articles/{article.pk}/", f"/api/v3/articles/{article.pk}/"):
                answer = reader.request.get(live_server.url + api)
                assert answer.status == 200, api
                check_api_article(answer.json(), api)
    finally:
        reader.close()


def check_article_page(page):
    """The published article as readers get it, block by block."""
    assert page.locator("h1").first.inner_text().strip() == HEADLINE
    byline = page.locator("p.byline").inner_text()
    assert 0 <= byline.find("Ada Quill") < byline.find("Ben Ledger"), byline
    story = page.locator("main")
    assert story.locator("p", has_text="first barge").first.inner_text().strip() == PARAGRAPH
    quotation = story.locator("figure.block-quotation")
    assert quotation.locator("blockquote").inner_text().strip() == QUOTE
    assert SPEAKER in quotation.locator("figcaption").inner_text()
    image = story.locator("figure", has=page.locator("img[alt^='A wooden lock gate']"))
    caption = image.locator("figcaption").inner_text()
    assert CAPTION in caption and CREDIT in caption, caption
    embed = story.locator("figure.block-embed")
    assert embed.locator(f"iframe[src='{PLAYER}']").count() == 1
    assert embed.locator("figcaption").inner_text().strip() == EMBED_CAPTION


def check_api_article(data, api):
    assert data["title"] == HEADLINE, api
    assert data["standfirst"] == STANDFIRST, api
    assert [author["name"] for author in data["authors"]] == ["Ada Quill", "Ben Ledger"], api
    blocks = {block["type"]: block["value"] for block in data["body"]}
    assert list(blocks) == ["paragraph", "quotation", "image", "embed"], api
    assert PARAGRAPH in blocks["paragraph"], api
    assert blocks["quotation"]["quote"] == QUOTE and blocks["quotation"]["attribution"] == SPEAKER
    image = blocks["image"]["image"]
    assert (image["caption"], image["credit"]) == (CAPTION, CREDIT), api
    assert image["alt"] == "A wooden lock gate rehung on new hinges", api
    assert blocks["embed"]["url"] == VIDEO_URL and PLAYER in blocks["embed"]["html"], api
    assert blocks["embed"]["caption"] == EMBED_CAPTION, api
