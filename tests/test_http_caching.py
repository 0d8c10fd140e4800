"""HTTP caching: every public GET can be kept by a browser or CDN and revalidated.

Each surface (HTML pages, both APIs, feeds in every format, sitemaps, robots.txt)
answers with an ETag, a Last-Modified, ``Cache-Control: public`` with the
configured ages and ``Vary: Accept-Encoding``; a matching If-None-Match or
If-Modified-Since gets a 304; a published change gives a new ETag; text is
gzipped. Personal answers are ``private, no-store``, anonymous article pages set
no cookie, and the comment form still refuses cross-site posts without one.
"""

import datetime as dt
import gzip
import json
import os
import re
import subprocess
import sys
import time
from types import SimpleNamespace

import feedparser
import pytest
import time_machine
from byline_comments.models import Comment, CommentStatus
from byline_comments.services import moderate
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date, parse_http_date
from wagtail.models import PageViewRestriction

from cms.page_cache.store import purge
from tests.comment_support import aged_token, form_data, make_comment, relaxed_settings, soup
from tests.factories import make_article, make_author, make_section

pytestmark = pytest.mark.django_db

MAX_AGE, STALE = 123, 456
FEED_MAX_AGE, FEED_STALE = 789, 1011


@pytest.fixture(autouse=True)
def cache_ages(settings):
    settings.BYLINE_CACHE_MAX_AGE = MAX_AGE
    settings.BYLINE_CACHE_STALE_WHILE_REVALIDATE = STALE
    settings.BYLINE_FEED_CACHE_MAX_AGE = FEED_MAX_AGE
    settings.BYLINE_FEED_CACHE_STALE_WHILE_REVALIDATE = FEED_STALE


@pytest.fixture(autouse=True)
def morning():
    """A fixed, ticking clock, well inside one form-token epoch (cms.http_cache)."""
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=True):
        yield


@pytest.fixture
def newsroom():
    relaxed_settings()
    section = make_section("World", slug="world")
    author = make_author("Ada Reporter")
    article = make_article(
        section,
        title="Harbour reopens after the storm",
        authors=[author],
        tags=["Harbour"],
        body=[("paragraph", "<p>The harbour reopened on Monday.</p>")],
    )
    make_comment(article, body="Good news for the ferries.")
    published = timezone.localtime(article.publication_date)
    return SimpleNamespace(section=section, author=author, article=article, published=published)


# (id, kind, url from the newsroom): "page" surfaces use BYLINE_CACHE_*, "feed"
# surfaces (feeds, sitemaps, robots.txt) BYLINE_FEED_CACHE_*.
SURFACES = [
    ("home", "page", lambda n: "/"),
    ("section", "page", lambda n: n.section.url),
    ("article", "page", lambda n: n.article.url),
    ("tag", "page", lambda n: "/tags/harbour/"),
    ("author", "page", lambda n: n.author.url),
    ("author list", "page", lambda n: "/authors/"),
    ("year archive", "page", lambda n: f"/{n.published:%Y}/"),
    ("month archive", "page", lambda n: f"/{n.published:%Y/%m}/"),
    ("search", "page", lambda n: "/search/?q=harbour"),
    ("rss", "feed", lambda n: "/feed/"),
    ("atom", "feed", lambda n: "/feed/atom/"),
    ("json feed", "feed", lambda n: "/feed/json/"),
    ("section feed", "feed", lambda n: "/sections/world/feed/"),
    ("author feed", "feed", lambda n: f"/authors/{n.author.slug}/feed/atom/"),
    ("tag feed", "feed", lambda n: "/tags/harbour/feed/json/"),
    ("sitemap index", "feed", lambda n: "/sitemap.xml"),
    ("pages sitemap", "feed", lambda n: "/sitemap-pages.xml"),
    ("authors sitemap", "feed", lambda n: "/sitemap-authors.xml"),
    ("tags sitemap", "feed", lambda n: "/sitemap-tags.xml"),
    ("news sitemap", "feed", lambda n: "/news-sitemap.xml"),
    ("robots.txt", "feed", lambda n: "/robots.txt"),
    ("v2 articles", "page", lambda n: "/api/v2/articles/"),
    ("v2 pages", "page", lambda n: "/api/v2/pages/?type=news.ArticlePage&fields=*"),
    ("v2 page", "page", lambda n: f"/api/v2/pages/{n.article.pk}/"),
    ("v2 authors", "page", lambda n: "/api/v2/authors/"),
    ("v2 tags", "page", lambda n: "/api/v2/tags/"),
    ("v2 comments", "page", lambda n: f"/api/v2/comments/?article={n.article.pk}"),
    ("v3 articles", "page", lambda n: "/api/v3/articles/"),
    ("v3 page", "page", lambda n: f"/api/v3/pages/{n.article.pk}/"),
    ("v3 authors", "page", lambda n: "/api/v3/authors/"),
    ("v3 tags", "page", lambda n: "/api/v3/tags/"),
    ("v3 comments", "page", lambda n: f"/api/v3/comments/?article={n.article.pk}"),
]
SURFACE_IDS = [surface[0] for surface in SURFACES]
# What publishing another article does not change: their ETag must stay.
UNCHANGED_BY_ARTICLES = {"author list", "robots.txt", "v2 comments", "v3 comments"}
# Listings that show the newly published article.
LISTINGS = {
    *("home", "section", "tag", "author", "year archive", "month archive", "search"),
    *("rss", "atom", "json feed", "section feed", "author feed", "tag feed"),
    *("pages sitemap", "news sitemap", "v2 articles", "v2 pages", "v3 articles"),
}


def cache_control(response):
    return {
        part.strip().split("=")[0]: (part.split("=", 1)[1] if "=" in part else True)
        for part in response.get("Cache-Control", "").split(",")
        if part.strip()
    }


def vary(response):
    return {name.strip().lower() for name in response.get("Vary", "").split(",") if name.strip()}


def body(response):
    """The plain body, whether or not it came gzipped."""
    content = response.content
    if response.get("Content-Encoding") == "gzip":
        content = gzip.decompress(content)
    return content


@pytest.mark.parametrize(("name", "kind", "url_of"), SURFACES, ids=SURFACE_IDS)
def test_public_answers_carry_validators_and_public_cache_control(
    client, newsroom, name, kind, url_of
):
    response = client.get(url_of(newsroom))
    assert response.status_code == 200, response.content[:300]
    assert response["ETag"].startswith('W/"') and response["ETag"].endswith('"')
    assert parse_http_date(response["Last-Modified"]) <= time.time()
    control = cache_control(response)
    max_age, stale = (MAX_AGE, STALE) if kind == "page" else (FEED_MAX_AGE, FEED_STALE)
    assert control == {
        "public": True,
        "max-age": str(max_age),
        "stale-while-revalidate": str(stale),
    }
    assert "accept-encoding" in vary(response)
    assert not response.cookies, "a public answer sets no cookie"
    # Only the HTML shows who is signed in (Wagtail's user bar); the API, feeds and
    # sitemaps read no cookie, so caches must not keep a copy per cookie.
    assert ("cookie" in vary(response)) == response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize(("name", "kind", "url_of"), SURFACES, ids=SURFACE_IDS)
def test_matching_validators_get_304_without_a_body(client, newsroom, name, kind, url_of):
    url = url_of(newsroom)
    first = client.get(url)
    etag, last_modified = first["ETag"], first["Last-Modified"]

    again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    assert again["Last-Modified"] == last_modified
    assert again["Cache-Control"] == first["Cache-Control"]
    assert vary(again) == vary(first)

    assert client.get(url, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304
    # A strong form of the tag, and one of several, match too (weak comparison).
    assert client.get(url, HTTP_IF_NONE_MATCH=etag.removeprefix("W/")).status_code == 304
    assert client.get(url, HTTP_IF_NONE_MATCH=f'"other", {etag}').status_code == 304
    # HEAD answers like GET.
    head = client.head(url, HTTP_IF_NONE_MATCH=etag)
    assert head.status_code == 304 and head["ETag"] == etag


@pytest.mark.parametrize(("name", "kind", "url_of"), SURFACES, ids=SURFACE_IDS)
def test_a_published_change_gives_a_new_etag_and_a_later_last_modified(
    client, newsroom, name, kind, url_of
):
    url = url_of(newsroom)
    before = client.get(url)
    # Ten seconds on: the computed stamps are still cached, so the change itself
    # must date the answer (cms.http_cache's "changed since" floor).
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=10), tick=False):
        article = newsroom.article
        article.title = "Harbour reopens for good"
        article.save_revision().publish()
        make_article(
            newsroom.section,
            title="Ferries back on the timetable",
            authors=[newsroom.author],
            tags=["Harbour"],
        )
        after = client.get(url, HTTP_IF_NONE_MATCH=before["ETag"])
        by_date = client.get(url, HTTP_IF_MODIFIED_SINCE=before["Last-Modified"])

    if name in UNCHANGED_BY_ARTICLES:
        # Nothing it shows changed: the copy a client keeps is still right.
        assert after.status_code == 304
        return
    assert after.status_code == 200
    assert after["ETag"] != before["ETag"]
    assert by_date.status_code == 200
    assert parse_http_date(after["Last-Modified"]) > parse_http_date(before["Last-Modified"])
    if name in LISTINGS:
        assert b"Ferries back on the timetable" in body(after) or b"ferries-back" in body(after)


def test_the_author_list_changes_with_an_author(client, newsroom):
    before = client.get("/authors/")
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=10), tick=False):
        newsroom.author.name = "Ada Reporter-Lind"
        newsroom.author.save()
        after = client.get("/authors/", HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert "Ada Reporter-Lind" in after.content.decode()


@pytest.mark.parametrize(("name", "kind", "url_of"), SURFACES, ids=SURFACE_IDS)
def test_text_is_gzipped_for_clients_that_accept_it(client, newsroom, name, kind, url_of):
    url = url_of(newsroom)
    plain = client.get(url)
    packed = client.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert plain.get("Content-Encoding") is None
    assert packed["ETag"] == plain["ETag"], "one representation, one (weak) ETag"
    if packed.get("Content-Encoding") is None:
        # Django's gzip pads with up to 100 random bytes against BREACH, so a short
        # answer (robots.txt, a sitemap of one author) may not be worth it.
        assert len(plain.content) < 1000
        assert same_text(packed.content, plain.content)
        return
    assert packed["Content-Encoding"] == "gzip"
    assert same_text(gzip.decompress(packed.content), plain.content)
    assert int(packed["Content-Length"]) == len(packed.content) < len(plain.content)


def same_text(one, other):
    """Equal but for the comment form's token, signed afresh on every render."""
    token = re.compile(rb'(name="form_token" value=")[^"]*"')
    return token.sub(rb"\1", one) == token.sub(rb"\1", other)


# The article page and its comment form -------------------------------------------


def test_an_anonymous_article_view_with_comments_open_sets_no_cookie(newsroom):
    browser = Client(enforce_csrf_checks=True)
    response = browser.get(newsroom.article.url)
    page = soup(response)
    assert page.select_one("form.comment-form") is not None, "comments are open"
    assert page.select_one('input[name="csrfmiddlewaretoken"]') is None
    assert not response.cookies
    assert "Set-Cookie" not in response.headers
    assert cache_control(response)["public"] is True


def test_the_article_is_dated_by_its_publishing_and_its_comments(client, newsroom):
    article = newsroom.article
    # Another section, with no tag in common: its articles are not this one's related ones.
    elsewhere = make_section("Weather", slug="weather")
    response = client.get(article.url)
    newest = max(article.last_published_at, Comment.objects.get().created_at)
    assert response["Last-Modified"] == http_date(int(newest.timestamp()))

    # Publishing another article leaves this one's copy valid...
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=5), tick=False):
        make_article(elsewhere, title="Unrelated story", tags=[])
        assert client.get(article.url, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
    # ...a comment removed by a moderator does not.
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=10), tick=False):
        moderate([Comment.objects.get()], CommentStatus.SPAM)
        later = client.get(article.url, HTTP_IF_MODIFIED_SINCE=response["Last-Modified"])
        assert later.status_code == 200
        assert parse_http_date(later["Last-Modified"]) == int(time.time())
        assert "Good news for the ferries" not in later.content.decode()


def test_the_form_token_does_not_change_the_etag_but_is_fresh_on_every_200(client, newsroom):
    url = newsroom.article.url
    first, second = client.get(url), client.get(url)
    token = soup(first).select_one('input[name="form_token"]')["value"]
    assert first["ETag"] == second["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    # Half a token lifetime later the page is sent again, with a token that will
    # outlive the copy a browser keeps.
    with time_machine.travel(timezone.now() + dt.timedelta(hours=13), tick=False):
        renewed = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert renewed.status_code == 200
    assert soup(renewed).select_one('input[name="form_token"]')["value"] != token


def test_a_cross_site_comment_post_is_refused_with_a_message(newsroom):
    article = newsroom.article
    browser = Client(enforce_csrf_checks=True)
    url = reverse("byline_comments:post", args=[article.pk])
    data = form_data(article, body="Forged by another site.")

    refused = browser.post(url, data, HTTP_ORIGIN="https://evil.example")
    assert refused.status_code == 403
    assert "not sent from a page of this site" in soup(refused).get_text()
    assert "Forged by another site." in refused.content.decode(), "the text is kept"
    assert cache_control(refused) == {"private": True, "no-store": True}
    # A page that hides its origin, over HTTPS, and a foreign Referer: refused too.
    assert browser.post(url, data, HTTP_ORIGIN="null").status_code == 403
    assert browser.post(url, data, secure=True).status_code == 403
    assert browser.post(url, data, HTTP_REFERER="https://evil.example/page").status_code == 403
    assert not Comment.objects.filter(body="Forged by another site.").exists()

    # The same form from the article page, with its signed token, is accepted.
    token = soup(browser.get(article.url)).select_one('input[name="form_token"]')["value"]
    assert token
    accepted = browser.post(
        url, {**data, "form_token": aged_token(article.pk)}, HTTP_ORIGIN="http://testserver"
    )
    assert accepted.status_code == 302
    assert cache_control(accepted) == {"private": True, "no-store": True}
    secure = browser.post(
        url,
        form_data(article),
        secure=True,
        HTTP_REFERER=f"https://testserver{article.url}",
    )
    assert secure.status_code == 302
    assert Comment.objects.filter(body="Forged by another site.").count() == 1


def test_the_signed_token_is_still_required_from_this_site(newsroom):
    article = newsroom.article
    url = reverse("byline_comments:post", args=[article.pk])
    response = Client().post(
        url, form_data(article, form_token="forged"), HTTP_ORIGIN="http://testserver"
    )
    assert response.status_code == 400
    assert "The form token is not valid" in soup(response).get_text()
    assert cache_control(response) == {"private": True, "no-store": True}


# Personal answers ------------------------------------------------------------------


def test_signed_in_readers_get_private_uncached_pages(client, newsroom, django_user_model):
    editor = django_user_model.objects.create_superuser("editor", "editor@example.org", "pw")
    client.force_login(editor)
    for url in (newsroom.article.url, "/", "/feed/", "/api/v2/articles/"):
        response = client.get(url)
        assert cache_control(response) == {"private": True, "no-store": True}, url
    admin = client.get(reverse("wagtailadmin_home"))
    assert cache_control(admin) == {"private": True, "no-store": True}
    preview = client.get(reverse("wagtailadmin_pages:preview_on_edit", args=[newsroom.article.pk]))
    assert cache_control(preview) == {"private": True, "no-store": True}


def test_api_requests_with_authorization_are_private(client, newsroom):
    response = client.get("/api/v3/articles/", HTTP_AUTHORIZATION="Bearer not-a-token")
    assert cache_control(response) == {"private": True, "no-store": True}


def test_a_password_protected_page_is_never_public(client, newsroom):
    PageViewRestriction.objects.create(
        page=newsroom.article, restriction_type=PageViewRestriction.PASSWORD, password="s3cret"
    )
    form = client.get(newsroom.article.url)
    assert cache_control(form) == {"private": True, "no-store": True}
    # A reader who unlocked it has a session: what they see is theirs alone.
    client.cookies["sessionid"] = "any"
    assert cache_control(client.get("/")) == {"private": True, "no-store": True}


def test_the_posted_comment_notice_is_private(client, newsroom):
    article = newsroom.article
    posted = client.post(
        reverse("byline_comments:post", args=[article.pk]),
        form_data(article),
        HTTP_ORIGIN="http://testserver",
    )
    notice = client.get(posted["Location"])
    assert "Thank you" in notice.content.decode()
    assert cache_control(notice) == {"private": True, "no-store": True}


def test_health_and_posting_endpoints_stay_uncached(client, newsroom):
    health = client.get("/health/")
    assert "no-store" in health["Cache-Control"] and "ETag" not in health
    webmention = client.post("/webmention/", {"source": "x", "target": "y"})
    assert cache_control(webmention) == {"private": True, "no-store": True}
    xmlrpc = client.post("/xmlrpc/", "<methodCall/>", content_type="text/xml")
    assert cache_control(xmlrpc) == {"private": True, "no-store": True}
    token = client.get(f"/api/v3/comments/form-token/?article={newsroom.article.pk}")
    assert "no-store" in token["Cache-Control"] and "public" not in token["Cache-Control"]


# Conditional requests, odd and bad ----------------------------------------------------


def test_if_none_match_takes_precedence_over_if_modified_since(client, newsroom):
    first = client.get("/feed/")
    stale_tag = client.get(
        "/feed/", HTTP_IF_NONE_MATCH='W/"old"', HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]
    )
    assert stale_tag.status_code == 200
    fresh_tag = client.get(
        "/feed/",
        HTTP_IF_NONE_MATCH=first["ETag"],
        HTTP_IF_MODIFIED_SINCE="Mon, 01 Jan 2001 00:00:00 GMT",
    )
    assert fresh_tag.status_code == 304


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_IF_MODIFIED_SINCE": "yesterday, probably"},
        {"HTTP_IF_MODIFIED_SINCE": "Mon, 32 Foo 99999 25:61:61 GMT"},
        {"HTTP_IF_MODIFIED_SINCE": "\x00" * 100},
        {"HTTP_IF_NONE_MATCH": 'W/"' + "a" * 200_000 + '"'},
        {"HTTP_IF_NONE_MATCH": ", ".join(f'"{n}"' for n in range(20_000))},
        {"HTTP_IF_NONE_MATCH": 'no quotes, W/, "unterminated'},
        {"HTTP_IF_NONE_MATCH": ""},
    ],
    ids=["words", "impossible date", "nul", "huge tag", "many tags", "malformed", "empty"],
)
def test_bad_conditional_headers_get_a_normal_200(client, newsroom, headers):
    for url in ("/", newsroom.article.url, "/feed/", "/api/v3/articles/"):
        response = client.get(url, **headers)
        assert response.status_code == 200, url


def test_a_date_from_the_future_proves_nothing(client, newsroom):
    future = http_date(time.time() + 86_400)
    assert client.get("/feed/", HTTP_IF_MODIFIED_SINCE=future).status_code == 200
    assert client.get("/feed/", HTTP_IF_NONE_MATCH="*").status_code == 304


def test_an_article_expiring_dates_the_listings_at_that_moment(client, newsroom):
    expires = timezone.now() + dt.timedelta(minutes=30)
    make_article(newsroom.section, title="Short-lived notice", expire_at=expires)
    before = client.get("/feed/")
    assert b"Short-lived notice" in before.content
    with time_machine.travel(expires + dt.timedelta(minutes=1), tick=False):
        after = client.get("/feed/", HTTP_IF_MODIFIED_SINCE=before["Last-Modified"])
    assert after.status_code == 200
    assert b"Short-lived notice" not in after.content
    assert parse_http_date(after["Last-Modified"]) == int(expires.timestamp())


# Cost -------------------------------------------------------------------------------


def count_queries(client, url, **headers):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)
    return len(queries), response


@pytest.mark.parametrize(
    "url_of",
    [
        lambda n: n.article.url,
        lambda n: "/",
        lambda n: "/feed/",
        lambda n: "/sitemap-pages.xml",
        lambda n: "/api/v2/articles/?fields=*",
        lambda n: f"/api/v3/pages/{n.article.pk}/",
    ],
    ids=["article", "home", "feed", "sitemap", "v2 articles", "v3 page"],
)
def test_a_304_costs_no_more_queries_than_the_200(client, newsroom, url_of):
    url = url_of(newsroom)
    client.get(url)  # warm: renditions, the site root and the content-changed times
    full, response = count_queries(client, url)
    conditional, not_modified = count_queries(client, url, HTTP_IF_NONE_MATCH=response["ETag"])
    assert response.status_code == 200 and not_modified.status_code == 304
    assert conditional <= full


@pytest.mark.parametrize("url", ["/", "/feed/", "/api/v2/articles/"])
def test_a_change_costs_readers_no_extra_query(client, newsroom, url, settings):
    # Renders compared with renders: the page cache would answer `before` itself.
    settings.BYLINE_PAGE_CACHE = False
    client.get(url)
    # One article's kept parts made again, as the new article's will be (kept fragments
    # and API representations cost the queries of the articles not kept, all at once),
    # and the listings' kept counts counted again, as a publication makes them.
    purge(f"page:{newsroom.article.pk}", "articles", "api-pages")
    before, _ = count_queries(client, url)
    make_article(newsroom.section, title="Ferries back on the timetable")
    after, response = count_queries(client, url)
    assert b"Ferries back on the timetable" in response.content
    assert after == before


def test_cache_ages_come_from_the_environment():
    names = [
        "BYLINE_CACHE_MAX_AGE",
        "BYLINE_CACHE_STALE_WHILE_REVALIDATE",
        "BYLINE_FEED_CACHE_MAX_AGE",
        "BYLINE_FEED_CACHE_STALE_WHILE_REVALIDATE",
    ]
    script = (
        "import json, django; from django.conf import settings; django.setup(); "
        f"print(json.dumps([getattr(settings, name) for name in {names!r}]))"
    )
    env = {"PATH": os.environ.get("PATH", ""), "DJANGO_SETTINGS_MODULE": "cms.settings.dev"}
    defaults = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120
    )
    assert json.loads(defaults.stdout) == [60, 300, 300, 3600], defaults.stderr
    chosen = subprocess.run(
        [sys.executable, "-c", script],
        env={**env, **dict(zip(names, ["5", "6", "7", "8"], strict=True))},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert json.loads(chosen.stdout) == [5, 6, 7, 8], chosen.stderr


# Feed readers ------------------------------------------------------------------------


# Transactional, so the live server's thread sees the content; serialized_rollback
# gives the next tests back the pages and site the migrations made.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_feed_readers_get_304_with_their_etag_or_date(live_server):
    section = make_section("World", slug="world")
    make_article(section, title="Harbour reopens after the storm")
    url = live_server.url + "/feed/atom/"

    first = feedparser.parse(url)
    assert first.status == 200
    assert [entry.title for entry in first.entries] == ["Harbour reopens after the storm"]
    assert first.etag and first.modified

    by_etag = feedparser.parse(url, etag=first.etag)
    assert by_etag.status == 304 and not by_etag.entries
    by_date = feedparser.parse(url, modified=first.modified)
    assert by_date.status == 304
    both = feedparser.parse(url, etag=first.etag, modified=first.modified)
    assert both.status == 304

    make_article(section, title="Ferries back on the timetable")
    changed = feedparser.parse(url, etag=first.etag, modified=first.modified)
    assert changed.status == 200
    assert changed.entries[0].title == "Ferries back on the timetable"
