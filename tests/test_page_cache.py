"""The page cache: what is served from it, what never is, and how answers are keyed.

Each test starts with an empty cache (tests/conftest.py). ``X-Byline-Cache``
says whether an answer came from the cache (hit), was rendered and possibly
stored (miss), or was kept out of it (bypass); a hit is checked to cost no
SQL query and to be the same answer the miss gave.
"""

import dataclasses
import datetime as dt
import gzip

import pytest
import time_machine
from byline_comments.display import POSTED_PARAM
from byline_comments.models import CommentStatus
from byline_comments.tokens import posted_token
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import PageViewRestriction

from cms.page_cache import keys, store
from cms.plugins.discovery import DISABLED
from tests.comment_support import make_comment
from tests.factories import make_article, make_author, make_section

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.BYLINE_PAGE_CACHE = True  # off by default in tests (cms/settings/test.py)


HEADER = "X-Byline-Cache"


@pytest.fixture
def newsroom():
    author = make_author("Ada Reporter", slug="ada-reporter")
    world = make_section("World")
    article = make_article(
        world, title="Harbour reopens after the storm", authors=[author], tags=["harbour"]
    )
    other = make_article(world, title="Council votes on the budget", authors=[author])
    return article, other


def get(client, url, **headers):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, headers=headers)
    return response, len(queries)


def body(response):
    content = response.content
    if response.get("Content-Encoding") == "gzip":
        content = gzip.decompress(content)
    return content


READER_URLS = [
    lambda a: "/",
    lambda a: a.url,
    lambda a: "/world/",
    lambda a: "/tags/harbour/",
    lambda a: "/authors/ada-reporter/",
    lambda a: "/search/?q=harbour",
    lambda a: "/feed/",
    lambda a: "/feed/atom/",
    lambda a: "/news-sitemap.xml",
    lambda a: "/api/v2/articles/",
    lambda a: f"/api/v2/pages/{a.pk}/",
    lambda a: "/api/v3/articles/",
    lambda a: f"/api/v3/pages/{a.pk}/",
]
READER_IDS = [
    "home",
    "article",
    "section",
    "tag",
    "author",
    "search",
    "rss",
    "atom",
    "sitemap",
    "api-v2-listing",
    "api-v2-detail",
    "api-v3-listing",
    "api-v3-detail",
]


@pytest.mark.parametrize("url_of", READER_URLS, ids=READER_IDS)
def test_a_second_anonymous_get_is_a_hit_without_a_query(client, newsroom, url_of):
    url = url_of(newsroom[0])
    first, _ = get(client, url)
    second, queries = get(client, url)
    assert first.status_code == 200, url
    assert (first[HEADER], second[HEADER]) == ("miss", "hit")
    assert queries == 0
    assert second.content == first.content
    for header in ("Content-Type", "ETag", "Last-Modified", "Cache-Control", "Vary"):
        assert second[header] == first[header], header
    assert b"harbour" in body(second).lower()  # the title, or the slug in a sitemap


def test_a_hit_answers_a_matching_if_none_match_with_304_without_a_query(client, newsroom):
    url = newsroom[0].url
    first, _ = get(client, url)
    again, queries = get(client, url, if_none_match=first["ETag"])
    assert again.status_code == 304
    assert again[HEADER] == "hit"
    assert queries == 0
    assert again.content == b""
    assert again["ETag"] == first["ETag"]
    assert again["Cache-Control"] == first["Cache-Control"]
    # Another validator gets the whole page, still from the cache.
    other, _ = get(client, url, if_none_match='W/"something-else"')
    assert (other.status_code, other[HEADER]) == (200, "hit")
    assert other.content == first.content


def test_head_and_get_share_one_entry(client, newsroom):
    url = newsroom[0].url
    first = client.get(url)
    head = client.head(url)
    assert (first[HEADER], head[HEADER]) == ("miss", "hit")
    assert head.status_code == 200
    assert head["ETag"] == first["ETag"]


def test_the_query_string_is_part_of_the_key_in_any_order(client, newsroom):
    assert client.get("/search/?q=harbour&page=1")[HEADER] == "miss"
    assert client.get("/search/?page=1&q=harbour")[HEADER] == "hit"
    budget = client.get("/search/?q=budget")
    assert budget[HEADER] == "miss"
    assert b"Council votes on the budget" in budget.content
    assert b"Harbour reopens" not in budget.content
    assert client.get("/search/?q=harbour")[HEADER] == "miss"


def test_api_answers_are_keyed_by_accept(client, newsroom):
    url = "/api/v2/articles/"
    assert client.get(url, headers={"accept": "application/json"})[HEADER] == "miss"
    assert client.get(url, headers={"accept": "application/json"})[HEADER] == "hit"
    assert client.get(url)[HEADER] == "miss"
    # HTML pages ignore Accept: browsers send many different ones.
    assert client.get("/", headers={"accept": "text/html"})[HEADER] == "miss"
    assert client.get("/", headers={"accept": "*/*"})[HEADER] == "hit"


def test_gzip_and_identity_are_kept_apart(client, newsroom):
    plain = client.get("/feed/")
    zipped = client.get("/feed/", headers={"accept-encoding": "gzip"})
    assert (plain[HEADER], zipped[HEADER]) == ("miss", "miss")
    again = client.get("/feed/", headers={"accept-encoding": "gzip, br"})
    assert again[HEADER] == "hit"
    assert again["Content-Encoding"] == "gzip"
    assert gzip.decompress(again.content) == plain.content
    assert "Content-Encoding" not in client.get("/feed/")


def test_signed_in_editors_are_never_served_from_nor_stored_in_the_cache(client, newsroom):
    url = newsroom[0].url
    assert client.get(url)[HEADER] == "miss"
    editor = get_user_model().objects.create_superuser("editor", "e@example.com", "pw")
    signed_in = Client()
    signed_in.force_login(editor)
    answers = [signed_in.get(url) for _ in range(2)]
    assert [answer[HEADER] for answer in answers] == ["bypass", "bypass"]
    assert all(answer["Cache-Control"] == "private, no-store" for answer in answers)
    # The editor's page was not stored over the readers' one, nor theirs served to them.
    store.clear()
    signed_in.get(url)
    assert client.get(url)[HEADER] == "miss"


def test_authorization_header_bypasses(client, newsroom):
    url = "/api/v2/articles/"
    client.get(url)
    response = client.get(url, headers={"authorization": "Bearer abc"})
    assert response[HEADER] == "bypass"
    assert client.get(url)[HEADER] == "hit"


@pytest.mark.parametrize(
    "url",
    [
        "/api/v2/preview/?preview_token=abc",
        "/api/v3/preview/?preview_token=abc",
        "/world/?preview_token=abc",
        "/?x=1&preview_token=abc",
    ],
)
def test_previews_bypass(client, newsroom, url):
    first, second = client.get(url), client.get(url)
    assert (first[HEADER], second[HEADER]) == ("bypass", "bypass")


def test_posts_bypass_and_store_nothing(client, newsroom):
    url = newsroom[0].url
    posted = client.post(url, {"name": "Reader", "body": "Hello"})
    assert posted[HEADER] == "bypass"
    assert client.get(url)[HEADER] == "miss"


def test_the_posted_comment_notice_is_not_stored(client, newsroom):
    """ "Your comment awaits moderation" is for the poster only (mark_private)."""
    article = newsroom[0]
    comment = make_comment(article, status=CommentStatus.PENDING)
    url = f"{article.url}?{POSTED_PARAM}={posted_token(comment, CommentStatus.PENDING)}"
    answers = [client.get(url) for _ in range(2)]
    assert [answer[HEADER] for answer in answers] == ["miss", "miss"]
    assert answers[1]["Cache-Control"] == "private, no-store"
    assert client.get(article.url)[HEADER] == "miss"


def test_missing_pages_are_not_stored(client, newsroom):
    assert [client.get("/no-such-page/")[HEADER] for _ in range(2)] == ["miss", "miss"]


def test_answers_setting_a_cookie_are_not_stored(client, newsroom):
    article = newsroom[0]
    PageViewRestriction.objects.create(page=article, restriction_type="password", password="x")
    answers = [client.get(article.url) for _ in range(2)]
    assert [answer[HEADER] for answer in answers] == ["miss", "miss"]
    assert b'name="password"' in answers[1].content


def test_a_session_cookie_bypasses(client, newsroom):
    client.cookies["sessionid"] = "anything"
    assert [client.get("/")[HEADER] for _ in range(2)] == ["bypass", "bypass"]


def test_the_switch_turns_the_cache_off(client, newsroom, settings):
    settings.BYLINE_PAGE_CACHE = False
    first, _ = get(client, "/")
    second, queries = get(client, "/")
    assert (first[HEADER], second[HEADER]) == ("bypass", "bypass")
    assert queries > 0


def test_nothing_is_served_older_than_the_max_age(client, newsroom, settings):
    settings.BYLINE_PAGE_CACHE_MAX_AGE = 30
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        assert client.get("/world/")[HEADER] == "miss"
        clock.shift(dt.timedelta(seconds=25))
        assert client.get("/world/")[HEADER] == "hit"
        clock.shift(dt.timedelta(seconds=10))
        assert client.get("/world/")[HEADER] == "miss"


def test_an_entry_does_not_outlive_the_next_scheduled_go_live(client, newsroom, settings):
    """Visibility is decided at read time: an article dated a minute from now appears
    on its section a minute from now, with no event; the entry expires by then."""
    settings.BYLINE_PAGE_CACHE_MAX_AGE = 3600
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        make_article(
            make_section("Sport"),
            title="Cup final tonight",
            publication_date=start + dt.timedelta(seconds=60),
        )
        first = client.get("/sport/")
        assert b"Cup final tonight" not in first.content
        clock.shift(dt.timedelta(seconds=30))
        assert client.get("/sport/")[HEADER] == "hit"
        clock.shift(dt.timedelta(seconds=40))
        later = client.get("/sport/")
        assert later[HEADER] == "miss"
        assert b"Cup final tonight" in later.content


def test_a_hit_keeps_the_outer_headers_of_its_own_request(client, newsroom):
    first, second = client.get("/"), client.get("/")
    assert second[HEADER] == "hit"
    assert second["X-Request-ID"] != first["X-Request-ID"]
    assert "Content-Security-Policy" in second


def test_entry_keys_respect_host_path_query_and_encoding(rf):
    def key(path, **headers):
        return keys.entry_key(rf.get(path, headers=headers))

    assert key("/a/?x=1&y=2") == key("/a/?y=2&x=1")
    assert key("/a/?x=1") != key("/a/?x=2") != key("/a/")
    assert key("/a/") != key("/b/")
    assert key("/a/", host="other.example") != key("/a/")
    assert key("/a/", accept_encoding="gzip") != key("/a/")
    assert key("/a/", accept="text/html") == key("/a/")
    assert key("/api/v2/pages/", accept="text/html") != key("/api/v2/pages/")


def test_switching_a_plugin_off_or_on_does_not_reuse_earlier_answers(client, newsroom, settings):
    article, _ = newsroom
    assert get(client, article.url)[0][HEADER] == "miss"
    assert get(client, article.url)[0][HEADER] == "hit"
    # The process restarted with the comments plugin switched off: its answers differ.
    settings.BYLINE_PLUGINS = [
        dataclasses.replace(plugin, state=DISABLED) if plugin.name == "comments" else plugin
        for plugin in settings.BYLINE_PLUGINS
    ]
    assert get(client, article.url)[0][HEADER] == "miss"
    assert get(client, article.url)[0][HEADER] == "hit"
