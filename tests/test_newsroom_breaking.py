"""Breaking news: a flag on articles, a banner on the front page, a field and filter in the API.

The banner links the newest breaking articles published within the window
(BYLINE_BREAKING_NEWS_HOURS, 24 by default) and drops each one when its time is
up, with no command: the front page reads the clock, and a stored copy of it
(cms.page_cache) lives no longer than the banner's first link.
"""

import datetime as dt

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from home.models import BREAKING_COUNT, LATEST_COUNT
from news.models import ArticlePage
from tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db

HEADER = "X-Byline-Cache"


def ago(hours):
    return timezone.now() - dt.timedelta(hours=hours)


def banner(client):
    """(title, href) of each link in the front page's banner, or None without one."""
    soup = BeautifulSoup(client.get("/").content.decode(), "html.parser")
    aside = soup.find("aside", class_="breaking-news")
    if aside is None:
        return None
    assert aside.find(id="breaking-news-heading").get_text() == "Breaking news"
    return [(a.get_text(), a["href"]) for a in aside.select("a.breaking-news__link")]


@pytest.fixture
def world():
    return make_section("World")


def test_the_banner_links_recent_breaking_articles_newest_first(client, world):
    older = make_article(world, title="Dam breach upstream", breaking=True, publication_date=ago(5))
    newer = make_article(world, title="Town evacuated", breaking=True, publication_date=ago(1))
    make_article(world, title="Ordinary story", publication_date=ago(0.5))
    make_article(world, title="Yesterday's alarm", breaking=True, publication_date=ago(30))
    make_article(world, title="Draft alarm", breaking=True, publish=False)
    make_article(
        world,
        title="Scheduled alarm",
        breaking=True,
        publication_date=timezone.now() + dt.timedelta(hours=1),
    )
    assert banner(client) == [("Town evacuated", newer.url), ("Dam breach upstream", older.url)]


def test_no_banner_without_recent_breaking_news(client, world):
    make_article(world, title="Quiet day")
    make_article(world, title="Old alarm", breaking=True, publication_date=ago(25))
    assert banner(client) is None
    assert "breaking-news" not in client.get("/").content.decode()


def test_at_most_a_few_links(client, world):
    for n in range(BREAKING_COUNT + 2):
        make_article(world, title=f"Alarm {n}", breaking=True, publication_date=ago(n + 1))
    assert [title for title, _ in banner(client)] == [f"Alarm {n}" for n in range(BREAKING_COUNT)]


def test_it_drops_off_by_itself_when_the_window_passes(client, world):
    make_article(world, title="Storm makes landfall", breaking=True, publication_date=ago(2))
    assert [t for t, _ in banner(client)] == ["Storm makes landfall"]
    with time_machine.travel(timezone.now() + dt.timedelta(hours=22, minutes=1)):
        assert banner(client) is None


def test_the_window_is_a_setting(client, world, settings):
    make_article(world, title="Three hours ago", breaking=True, publication_date=ago(3))
    settings.BYLINE_BREAKING_NEWS_HOURS = 2
    assert banner(client) is None
    settings.BYLINE_BREAKING_NEWS_HOURS = 4
    assert [t for t, _ in banner(client)] == ["Three hours ago"]


def test_a_busy_day_still_finds_an_earlier_breaking_story(client, world):
    make_article(world, title="Morning alarm", breaking=True, publication_date=ago(10))
    for n in range(LATEST_COUNT + 3):  # more recent stories than the front page loads
        make_article(world, title=f"Later story {n}", publication_date=ago(1 + n * 0.1))
    assert [t for t, _ in banner(client)] == ["Morning alarm"]


def test_cards_of_the_breaking_story_say_so_on_the_front_page(client, world):
    make_article(world, title="Calm story", publication_date=ago(3))
    make_article(world, title="Bridge collapse", breaking=True, publication_date=ago(2))
    soup = BeautifulSoup(client.get("/").content.decode(), "html.parser")
    flagged = {
        card.select_one(".card__title").get_text()
        for card in soup.select("article.card")
        if card.select_one(".card__flag")
    }
    assert flagged == {"Bridge collapse"}
    assert soup.select_one("article.card .card__flag").get_text() == "Breaking"


def home_queries(client):
    client.get("/")
    with CaptureQueriesContext(connection) as context:
        assert client.get("/").status_code == 200
    return len(context.captured_queries)


def made_home_queries(client):
    """The queries of the first front page after a publication: made afresh, not kept."""
    with CaptureQueriesContext(connection) as context:
        assert client.get("/").status_code == 200
    return len(context.captured_queries)


def test_the_banner_costs_no_query_on_a_normal_day_and_one_on_a_busy_one(client, world, settings):
    settings.BYLINE_PAGE_CACHE = False
    for n in range(4):
        make_article(world, title=f"Story {n}", publication_date=ago(30 + n))
    client.get("/")  # the site, its sections and content types looked up
    make_article(world, title="Story 4", publication_date=ago(35))
    without = made_home_queries(client)
    make_article(world, title="Alarm", breaking=True, publication_date=ago(1))
    assert made_home_queries(client) == without
    assert banner(client) == [("Alarm", ArticlePage.objects.get(title="Alarm").url)]
    for n in range(LATEST_COUNT + 1):
        make_article(world, title=f"Busy {n}", publication_date=ago(0.5))
    assert made_home_queries(client) == without + 1
    # Kept, the front page reads no article at all (home.models.FrontPage).
    assert home_queries(client) < without


def test_the_api_flags_and_filters_breaking_articles(client, world):
    alarm = make_article(world, title="Alarm", breaking=True, publication_date=ago(1))
    calm = make_article(world, title="Calm", publication_date=ago(2))
    for prefix in ("/api/v2/articles/", "/api/v3/articles/"):
        items = client.get(prefix).json()["items"]
        assert {item["id"]: item["breaking"] for item in items} == {alarm.pk: True, calm.pk: False}
        assert client.get(f"{prefix}{alarm.pk}/").json()["breaking"] is True
        only = client.get(f"{prefix}?breaking=true").json()["items"]
        assert [item["id"] for item in only] == [alarm.pk]
        others = client.get(f"{prefix}?breaking=false").json()["items"]
        assert [item["id"] for item in others] == [calm.pk]
        bad = client.get(f"{prefix}?breaking=maybe")
        assert bad.status_code == 400, prefix
        assert "true or false" in bad.content.decode()
    assert client.get("/api/v2/pages/?breaking=true").status_code == 400


def test_publishing_a_breaking_article_purges_the_cached_front_page(client, world, settings):
    settings.BYLINE_PAGE_CACHE = True
    make_article(world, title="Earlier story", publication_date=ago(3))
    assert client.get("/")[HEADER] == "miss"
    assert client.get("/")[HEADER] == "hit"
    story = make_article(world, title="Quiet report", publication_date=ago(1))
    assert client.get("/")[HEADER] == "miss"
    assert client.get("/")[HEADER] == "hit"
    # Flipping the flag is a publish: the front page is rendered afresh with the banner.
    story = ArticlePage.objects.get(pk=story.pk)
    story.breaking = True
    story.save_revision().publish()
    response = client.get("/")
    assert response[HEADER] == "miss"
    assert [t for t, _ in banner(client)] == ["Quiet report"]


def test_a_stored_front_page_keeps_no_banner_past_its_time(client, world, settings):
    settings.BYLINE_PAGE_CACHE = True
    # Five minutes of banner left: less than the cache's own staleness bound.
    assert settings.BYLINE_PAGE_CACHE_MAX_AGE >= 10 * 60
    make_article(world, title="Fading alarm", breaking=True, publication_date=ago(24 - 5 / 60))
    assert client.get("/")[HEADER] == "miss"
    assert client.get("/")[HEADER] == "hit"
    assert [t for t, _ in banner(client)] == ["Fading alarm"]
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=6)):
        response = client.get("/")
        assert response[HEADER] == "miss"
        assert "breaking-news" not in response.content.decode()


def test_the_site_api_gives_the_banner_to_headless_frontends(client, world):
    alarm = make_article(world, title="Alarm", breaking=True, publication_date=ago(1))
    make_article(world, title="Old alarm", breaking=True, publication_date=ago(30))
    make_article(world, title="Calm", publication_date=ago(0.5))
    for url in ("/api/v2/site/", "/api/v3/site/"):
        banner_data = client.get(url).json()["breaking_news"]
        assert [(b["id"], b["title"], b["url"]) for b in banner_data] == [
            (alarm.pk, "Alarm", alarm.url)
        ]
        assert banner_data[0]["html_url"] == f"http://testserver{alarm.url}"
    ArticlePage.objects.filter(pk=alarm.pk).update(breaking=False)
    assert client.get("/api/v3/site/").json()["breaking_news"] == []
