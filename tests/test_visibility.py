"""Time that takes effect: go-live, expiry and publication dates are honoured when read.

Every reader surface (pages, listings, archives, tags, authors, feeds, sitemaps, search,
both APIs, related-article blocks, comment and mention endpoints) shows an article only
while it is visible now (`cms.visibility`), whether or not Wagtail's `publish_scheduled`
job has run. The clock is frozen with time-machine; no test runs the job unless it says so.
"""

import json
import uuid
import xmlrpc.client
from datetime import UTC, datetime, timedelta

import feedparser
import pytest
import time_machine
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from wagtail.models import Page, PageViewRestriction
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from cms.visibility import is_visible, visible
from news.models import ArticlePage, NewsIndexPage
from tests.api_support import token_for
from tests.comment_support import aged_token, form_data, relaxed_settings
from tests.factories import make_article, make_author, make_section

pytestmark = pytest.mark.django_db

# Noon UTC is noon in London in March, so the archive periods are plain.
NOW = datetime(2025, 3, 12, 12, 0, tzinfo=UTC)
ORIGIN = "https://frontend.example"
WORD = "xylophonic"  # in the hidden article only: what searches look for


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def build_newsroom(hidden_state):
    """A section, an author, a visible article and the article under test (`hidden`).

    `hidden` carries a tag nothing else has ("Xylotag") and one it shares with the
    visible article ("Shared"); the visible article links to it in a related_article block.
    """
    relaxed_settings(api_allowed_origins=ORIGIN)
    section = make_section("Harbour", slug="harbour")
    author = make_author("Ada Quill")
    when = NOW + timedelta(hours=1) if hidden_state == "future" else NOW - timedelta(hours=1)
    hidden = make_article(
        section,
        title="Dredging plan agreed",
        slug="dredging-plan-agreed",
        standfirst=f"The {WORD} dredging plan is agreed.",
        authors=[author],
        tags=["Xylotag", "Shared"],
        body=[("paragraph", f"<p>The {WORD} channel will be dredged in spring.</p>")],
        publication_date=when,
    )
    rows = ArticlePage.objects.filter(pk=hidden.pk)
    if hidden_state == "expired":
        # Past its expiry time; publish_scheduled has not run, so the row still says live.
        rows.update(expire_at=NOW - timedelta(minutes=1))
    else:
        # Imported data: a live row with a future publication date, no go-live time
        # and no scheduled revision, so nothing but the clock can make it appear.
        hidden.revisions.update(approved_go_live_at=None)
        rows.update(
            live=True,
            go_live_at=None,
            has_unpublished_changes=False,
            live_revision=hidden.latest_revision,
            first_published_at=NOW - timedelta(minutes=5),
            last_published_at=NOW - timedelta(minutes=5),
        )
    keeper = make_article(
        section,
        title="Harbour board meets",
        slug="harbour-board-meets",
        authors=[author],
        tags=["Shared"],
        body=[("related_article", {"article": rows.get(), "label": ""})],
        publication_date=NOW - timedelta(hours=2),
    )
    return {
        "hidden": rows.get(),
        "keeper": keeper,
        "section": section,
        "author": author,
        "path": "/harbour/dredging-plan-agreed/",
    }


# Surfaces: each answers whether the hidden article shows there ------------------------------


def _status(response, *, shown, hidden):
    assert response.status_code in (shown, hidden), (response.status_code, response.content[:500])
    return response.status_code == shown


def html_lists(url):
    def shown(client, news):
        response = client.get(url.format(**_names(news)))
        if response.status_code == 404:
            return False
        assert response.status_code == 200, response.status_code
        return news["path"] in response.content.decode()

    return shown


def feed_lists(url):
    def shown(client, news):
        response = client.get(url.format(**_names(news)))
        if response.status_code == 404:
            return False
        assert response.status_code == 200, response.status_code
        if url.endswith("json/"):
            links = [item["url"] for item in json.loads(response.content)["items"]]
        else:
            feed = feedparser.parse(response.content)
            assert not feed.bozo, feed.bozo_exception
            links = [entry.link for entry in feed.entries]
        return any(news["path"] in link for link in links)

    return shown


def xml_lists(url):
    def shown(client, news):
        response = client.get(url)
        assert response.status_code == 200
        return news["path"] in response.content.decode()

    return shown


def _names(news):
    return {"author": news["author"].slug, "id": news["hidden"].pk, "path": news["path"]}


def api_ids(url):
    def shown(client, news):
        response = client.get(url.format(**_names(news)))
        assert response.status_code == 200, response.content[:500]
        return news["hidden"].pk in [item["id"] for item in response.json()["items"]]

    return shown


def api_detail(url):
    def shown(client, news):
        return _status(client.get(url.format(**_names(news))), shown=200, hidden=404)

    return shown


def api_find(url):
    def shown(client, news):
        return _status(client.get(url.format(**_names(news))), shown=302, hidden=404)

    return shown


def api_count(url, expected_with_hidden):
    # The keeper counts 1; the hidden article would make it 2.
    def shown(client, news):
        [item] = client.get(url.format(**_names(news))).json()["items"]
        return item["article_count"] == expected_with_hidden

    return shown


def api_tag_names(url):
    def shown(client, news):
        return "Xylotag" in [item["name"] for item in client.get(url).json()["items"]]

    return shown


def related_block_in_api(url):
    def shown(client, news):
        data = client.get(url.format(id=news["keeper"].pk)).json()
        [related] = [block for block in data["body"] if block["type"] == "related_article"]
        return related["value"] is not None

    return shown


def related_block_in_html(client, news):
    response = client.get(news["keeper"].url)
    assert response.status_code == 200
    return news["path"] in response.content.decode()


def article_page(client, news):
    return _status(client.get(news["path"]), shown=200, hidden=404)


def comment_form_post(client, news):
    url = reverse("byline_comments:post", args=[news["hidden"].pk])
    return _status(client.post(url, form_data(news["hidden"])), shown=302, hidden=404)


def comments_api_post(prefix):
    def shown(client, news):
        article = news["hidden"]
        payload = {
            "article": article.pk,
            "author_name": "Ola Nordmann",
            "author_email": "ola@example.org",
            "author_url": "",
            "body": f"Will the dredgers work at night? {uuid.uuid4().hex}",
            "form_token": aged_token(article.pk, origin=ORIGIN),
        }
        response = Client().generic(
            "POST", prefix, json.dumps(payload), "application/json", HTTP_ORIGIN=ORIGIN
        )
        if response.status_code == 201:
            return True
        assert response.status_code == 400, response.content
        assert f"there is no published article with id {article.pk}" in response.content.decode()
        return False

    return shown


def comments_api_list(prefix):
    def shown(client, news):
        response = client.get(prefix, {"article": news["hidden"].pk})
        return _status(response, shown=200, hidden=400)

    return shown


def webmention_target(client, news):
    source = "http://127.0.0.1:9/post"  # loopback, nothing listens: never leaves the machine
    response = client.post("/webmention/", {"source": source, "target": news["hidden"].full_url})
    refused = (
        response.status_code == 400
        and "target is not a published article" in (response.json()["message"])
    )
    return not refused


def pingback_target(client, news):
    body = xmlrpc.client.dumps(
        ("http://127.0.0.1:9/post", news["hidden"].full_url), "pingback.ping"
    )
    response = client.post("/xmlrpc/", body, content_type="text/xml")
    try:
        xmlrpc.client.loads(response.content)
    except xmlrpc.client.Fault as fault:
        return fault.faultCode != 0x0020  # "the target is not a live article"
    return True


SURFACES = {
    "article page": article_page,
    "home page": html_lists("/"),
    "section page": html_lists("/harbour/"),
    "year archive": html_lists("/2025/"),
    "month archive": html_lists("/2025/03/"),
    "tag page, its own tag": html_lists("/tags/xylotag/"),
    "tag page, a shared tag": html_lists("/tags/shared/"),
    "author page": html_lists("/authors/{author}/"),
    "search page": html_lists(f"/search/?q={WORD}"),
    "related article block": related_block_in_html,
    "site feed (RSS)": feed_lists("/feed/"),
    "site feed (Atom)": feed_lists("/feed/atom/"),
    "site feed (JSON)": feed_lists("/feed/json/"),
    "section feed": feed_lists("/sections/harbour/feed/"),
    "author feed": feed_lists("/authors/{author}/feed/"),
    "tag feed, its own tag": feed_lists("/tags/xylotag/feed/"),
    "tag feed, a shared tag": feed_lists("/tags/shared/feed/atom/"),
    "pages sitemap": xml_lists("/sitemap-pages.xml"),
    "news sitemap": xml_lists("/news-sitemap.xml"),
    "v2 articles": api_ids("/api/v2/articles/"),
    "v2 pages": api_ids("/api/v2/pages/?limit=50"),
    "v2 pages of type article": api_ids("/api/v2/pages/?type=news.ArticlePage"),
    "v2 articles search": api_ids(f"/api/v2/articles/?search={WORD}"),
    "v2 pages search": api_ids(f"/api/v2/pages/?search={WORD}"),
    "v2 article detail": api_detail("/api/v2/articles/{id}/"),
    "v2 page detail": api_detail("/api/v2/pages/{id}/"),
    "v2 find": api_find("/api/v2/pages/find/?html_path={path}"),
    "v2 tags": api_tag_names("/api/v2/tags/"),
    "v2 related article": related_block_in_api("/api/v2/pages/{id}/"),
    "v3 articles": api_ids("/api/v3/articles/"),
    "v3 pages": api_ids("/api/v3/pages/?limit=50"),
    "v3 articles search": api_ids(f"/api/v3/articles/?search={WORD}"),
    "v3 pages search": api_ids(f"/api/v3/pages/?search={WORD}"),
    "v3 article detail": api_detail("/api/v3/articles/{id}/"),
    "v3 page detail": api_detail("/api/v3/pages/{id}/"),
    "v3 find": api_find("/api/v3/pages/find/?html_path={path}"),
    "v3 tags": api_tag_names("/api/v3/tags/"),
    "v3 tag article count": api_count("/api/v3/tags/?slug=shared", 2),
    "v3 author article count": api_count("/api/v3/authors/?slug={author}", 2),
    "v3 related article": related_block_in_api("/api/v3/pages/{id}/"),
    "comment form": comment_form_post,
    "v2 comments list": comments_api_list("/api/v2/comments/"),
    "v2 comment post": comments_api_post("/api/v2/comments/"),
    "v3 comment post": comments_api_post("/api/v3/comments/"),
    "webmention target": webmention_target,
    "pingback target": pingback_target,
}


@pytest.mark.parametrize("surface", SURFACES)
def test_an_expired_article_is_on_no_surface_before_the_job_runs(client, clock, surface):
    news = build_newsroom("expired")
    assert news["hidden"].live  # the row was never unpublished
    assert not SURFACES[surface](client, news)


@pytest.mark.parametrize("surface", SURFACES)
def test_a_future_publication_date_is_a_schedule_that_takes_effect_by_itself(
    client, clock, surface
):
    news = build_newsroom("future")
    assert news["hidden"].live and news["hidden"].go_live_at is None
    assert not SURFACES[surface](client, news)

    clock.shift(timedelta(hours=2))  # no job runs

    assert SURFACES[surface](client, news)


@pytest.mark.parametrize("state", ["expired", "future"])
def test_a_tag_only_hidden_articles_carry_has_no_page_or_feed(client, clock, state):
    build_newsroom(state)
    assert client.get("/tags/xylotag/").status_code == 404
    assert client.get("/tags/xylotag/feed/").status_code == 404
    assert client.get("/tags/shared/").status_code == 200


# Sections and other pages follow the generic go-live and expiry rules ----------------------


@pytest.mark.parametrize("state", ["expired", "not yet live"])
def test_a_section_outside_its_publishing_window_is_hidden(client, clock, state):
    relaxed_settings()
    world = make_section("World", slug="world")
    make_article(world, title="World story", publication_date=NOW - timedelta(days=1))
    coast = make_section("Coast", slug="coast")
    make_article(coast, title="Coast story", publication_date=NOW - timedelta(days=1))
    if state == "expired":
        NewsIndexPage.objects.filter(pk=coast.pk).update(expire_at=NOW - timedelta(minutes=1))
    else:
        NewsIndexPage.objects.filter(pk=coast.pk).update(go_live_at=NOW + timedelta(hours=1))

    assert client.get("/coast/").status_code == 404
    assert client.get("/sections/coast/feed/").status_code == 404
    assert section_links(client) == {"navigation": ["/world/"], "front page": ["/world/"]}
    assert 'value="coast"' not in client.get("/search/").content.decode()
    assert "/coast/</loc>" not in client.get("/sitemap-pages.xml").content.decode()
    assert coast.pk not in [p["id"] for p in client.get("/api/v3/pages/").json()["items"]]

    clock.shift(timedelta(hours=2))
    if state == "not yet live":
        assert client.get("/coast/").status_code == 200
        assert section_links(client)["navigation"] == ["/world/", "/coast/"]


def section_links(client):
    page = BeautifulSoup(client.get("/").content, "html.parser")
    return {
        "navigation": [
            a["href"] for a in page.select(".masthead__nav a") if a["href"] != "/authors/"
        ],
        "front page": [a["href"] for a in page.select(".front-section h2 a")],
    }


def test_previews_still_show_a_scheduled_article(admin_client, clock):
    section = make_section("Harbour", slug="harbour")
    article = make_article(section, title="Coming soon", publication_date=NOW + timedelta(days=1))
    assert admin_client.get(article.url).status_code == 404
    preview = admin_client.get(reverse("wagtailadmin_pages:view_draft", args=(article.pk,)))
    assert preview.status_code == 200
    assert "Coming soon" in preview.content.decode()


# One definition: the SQL and the Python forms agree ------------------------------------------


def test_the_queryset_and_the_single_page_forms_of_the_predicate_agree(clock):
    section = make_section("Harbour", slug="harbour")
    past, future = NOW - timedelta(hours=1), NOW + timedelta(hours=1)
    cases = {
        "visible": ({}, True),
        "draft": ({"live": False}, False),
        "expired": ({"expire_at": past}, False),
        "expires later": ({"expire_at": future}, True),
        "go-live later": ({"go_live_at": future}, False),
        "went live": ({"go_live_at": past}, True),
        "publication date later": ({"publication_date": future}, False),
    }
    pages = {}
    for name, (changes, _) in cases.items():
        article = make_article(section, title=name, publication_date=past)
        ArticlePage.objects.filter(pk=article.pk).update(
            **{"live": True, "go_live_at": None, **changes}
        )
        pages[name] = article.pk
    restricted = make_article(section, title="restricted", publication_date=past)
    PageViewRestriction.objects.create(page=restricted, restriction_type="login")
    pages["restricted"] = restricted.pk
    cases["restricted"] = ({}, False)

    article_ids = set(ArticlePage.objects.visible().values_list("pk", flat=True))
    page_ids = set(visible(Page.objects.all()).values_list("pk", flat=True))
    for name, pk in pages.items():
        expected = cases[name][1]
        assert (pk in article_ids) is expected, name
        assert (pk in page_ids) is expected, name
        assert is_visible(ArticlePage.objects.get(pk=pk)) is expected, name
        assert is_visible(Page.objects.get(pk=pk)) is expected, name  # a plain Page instance


# The admin makes a future publication date a real schedule ------------------------------------


def edit_form(author, **overrides):
    data = {
        "title": "Ferry timetable changes",
        "slug": "ferry-timetable-changes",
        "standfirst": "Winter sailings start a week early.",
        "publication_date": "2025-03-12 13:00",  # an hour ahead (London is on UTC in March)
        "article_authors": inline_formset([{"author": author.pk}]),
        "lead_image": "",
        "lead_image_caption": "",
        "lead_image_credit": "",
        "lead_image_alt": "",
        "body": streamfield([("paragraph", rich_text("<p>The ferry company decided.</p>"))]),
        "tags": "Ferries",
        "go_live_at": "",
        "expire_at": "",
    }
    data.update(overrides)
    # The editor's other inline panels (corrections, related links) are sent empty.
    for name in ArticlePage.get_edit_handler().get_form_class().formsets:
        data.setdefault(name, inline_formset([]))
    return nested_form_data(data)


def test_publishing_in_the_admin_with_a_future_date_schedules_the_article(admin_client, clock):
    section = make_section("Harbour", slug="harbour")
    author = make_author("Nia Berg")
    draft = make_article(section, slug="ferry-timetable-changes", publish=False)
    data = edit_form(author)
    data["action-publish"] = "Publish"

    response = admin_client.post(reverse("wagtailadmin_pages:edit", args=(draft.pk,)), data)

    assert response.status_code == 302, response.content[:3000]
    article = ArticlePage.objects.get(pk=draft.pk)
    due = NOW + timedelta(hours=1)
    assert not article.live
    assert article.go_live_at == due
    assert article.latest_revision.approved_go_live_at == due
    assert article.status_string == "scheduled"
    listing = BeautifulSoup(
        admin_client.get(reverse("wagtailadmin_explore", args=(section.pk,))).content,
        "html.parser",
    )
    # The editor's message after the redirect, and the page's status in the listing.
    assert "has been scheduled for publishing" in listing.get_text()
    statuses = [" ".join(tag.get_text().split()) for tag in listing.select("td .w-status")]
    assert statuses == ["Current page status: scheduled"]
    reader = Client()
    assert reader.get("/harbour/ferry-timetable-changes/").status_code == 404

    clock.shift(timedelta(hours=2))
    call_command("publish_scheduled")

    article.refresh_from_db()
    assert article.live
    assert reader.get("/harbour/ferry-timetable-changes/").status_code == 200
    assert article.pk in [item["id"] for item in reader.get("/api/v3/articles/").json()["items"]]


def test_save_revision_publish_schedules_and_the_go_live_time_follows_the_date(clock):
    section = make_section("Harbour", slug="harbour")
    due = NOW + timedelta(hours=3)
    # make_article() publishes with save_revision().publish().
    article = make_article(section, title="Later", publication_date=due)
    article.refresh_from_db()
    assert not article.live and article.go_live_at == due
    assert article.latest_revision.approved_go_live_at == due

    # Moved later: the go-live time taken from the date moves with it.
    draft = article.get_latest_revision_as_object()
    draft.publication_date = due + timedelta(hours=1)
    draft.save_revision().publish()
    article.refresh_from_db()
    assert article.go_live_at == due + timedelta(hours=1) and not article.live

    # Moved to the past: published now, no go-live time left behind.
    draft = article.get_latest_revision_as_object()
    draft.publication_date = NOW - timedelta(minutes=10)
    draft.save_revision().publish()
    article.refresh_from_db()
    assert article.live and article.go_live_at is None
    assert is_visible(article)


def test_a_revision_stored_without_validation_still_publishes_as_a_schedule(clock):
    section = make_section("Harbour", slug="harbour")
    article = make_article(section, title="API draft", publish=False)
    due = NOW + timedelta(hours=1)
    article.publication_date = due
    revision = article.save_revision(clean=False)  # as API v3 stores a draft
    assert revision.content["go_live_at"] is None

    revision.publish()

    article.refresh_from_db()
    assert not article.live
    assert article.go_live_at == due
    assert ArticlePage.objects.get(pk=article.pk).latest_revision.approved_go_live_at == due


def test_a_go_live_time_the_editor_chose_is_kept(clock):
    section = make_section("Harbour", slug="harbour")
    chosen = NOW + timedelta(hours=5)
    article = make_article(
        section, title="Chosen", publication_date=NOW + timedelta(hours=1), go_live_at=chosen
    )
    article.refresh_from_db()
    assert article.go_live_at == chosen and not article.live


def test_a_publication_date_after_the_expiry_time_is_refused(clock):
    from django.core.exceptions import ValidationError

    section = make_section("Harbour", slug="harbour")
    article = make_article(section, publish=False)
    article.publication_date = NOW + timedelta(days=2)
    article.expire_at = NOW + timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        article.full_clean()
    assert "publication_date" in error.value.message_dict


def test_an_api_v3_write_with_a_future_date_schedules_the_article(client, admin_user, clock):
    section = make_section("Harbour", slug="harbour")
    article = make_article(section, title="Via the API", publication_date=NOW - timedelta(days=1))
    due = NOW + timedelta(hours=1)
    response = client.patch(
        f"/api/v3/pages/{article.pk}/",
        json.dumps({"meta": {"action": "publish"}, "publication_date": due.isoformat()}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token_for(admin_user)}",
    )
    assert response.status_code == 200, response.content
    article.refresh_from_db()
    # It was live: the old version stays until the new one's go-live time.
    assert article.latest_revision.approved_go_live_at == due
    assert article.publication_date == NOW - timedelta(days=1)

    clock.shift(timedelta(hours=2))
    call_command("publish_scheduled")
    article.refresh_from_db()
    assert article.live and article.publication_date == due
