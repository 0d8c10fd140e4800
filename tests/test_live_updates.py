"""Live updates on a developing story: newest first in the page, the APIs and the feeds."""

import calendar
import datetime

import feedparser
import pytest
from bs4 import BeautifulSoup
from django.utils import timezone
from wagtail.blocks import StreamBlockValidationError, StructBlockValidationError

from news.blocks import LIVE_UPDATE_TIME_REQUIRED
from news.models import ArticlePage
from tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db

NEWSROOM = datetime.UTC


def get_json(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    return response.json()


def moment(hour, minute, day=None):
    """An aware time today (UTC) at hour:minute, in the past for the test."""
    day = day or (timezone.now() - datetime.timedelta(days=1)).date()
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=NEWSROOM)


def entry(time, body, headline="", author=""):
    return {
        "time": time.isoformat() if time else None,
        "headline": headline,
        "body": f"<p>{body}</p>",
        "author": author,
    }


@pytest.fixture
def story(settings):
    settings.TIME_ZONE = "UTC"
    timezone.activate("UTC")
    # Typed in the order an editor might: not by time.
    updates = {
        "title": "Flood: live updates",
        "is_live": True,
        "entries": [
            entry(moment(9, 15), "The river rose overnight.", headline="River rising"),
            entry(moment(11, 40), "The bridge is closed.", "Bridge closed", "Mara Okafor"),
            entry(moment(10, 5), "Schools are open as usual."),
        ],
    }
    article = make_article(
        make_section("Local"),
        title="Flood warning for the valley",
        body=[
            ("paragraph", "<p>What we know so far.</p>"),
            ("live_updates", updates),
        ],
        publication_date=moment(8, 0),
    )
    return article


def times_in_html(node):
    return [time["datetime"] for time in node.select("article.live-update time")]


def test_the_page_shows_updates_newest_first_each_with_anchor_heading_and_time(client, story):
    response = client.get(story.url)
    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    block = page.select_one("section.live-updates")
    assert block["aria-label"] == "Flood: live updates"
    assert block.select_one("h2").get_text(strip=True) == "Flood: live updates"
    status = block.select_one(".live-updates__status")
    assert status.select_one(".live-updates__badge").get_text(strip=True) == "Live"
    assert status.select_one("time").get_text(strip=True) == "Last updated 11:40"
    assert status.select_one("time")["datetime"] == moment(11, 40).isoformat()

    entries = block.select("article.live-update")
    assert [entry.select_one("p").get_text() for entry in entries] == [
        "The bridge is closed.",
        "Schools are open as usual.",
        "The river rose overnight.",
    ]
    assert times_in_html(block) == [
        moment(11, 40).isoformat(),
        moment(10, 5).isoformat(),
        moment(9, 15).isoformat(),
    ]
    day = f"{moment(0, 0):%Y%m%d}"
    assert [entry["id"] for entry in entries] == [
        f"update-{day}-1140",
        f"update-{day}-1005",
        f"update-{day}-0915",
    ]
    # Each entry is told apart by an h3 that starts with its time and links to itself.
    first = entries[0].select_one("h3")
    assert first.select_one("a")["href"] == f"#update-{day}-1140"
    assert first.select_one("time").get_text() == "11:40"
    assert first.select_one(".live-update__headline").get_text() == "Bridge closed"
    assert entries[0].select_one(".live-update__author").get_text() == "Mara Okafor"
    assert entries[1].select_one(".live-update__headline") is None
    assert entries[1].select_one(".live-update__author") is None


def test_updates_over_several_days_show_the_date_and_ended_stories_stop_saying_live(
    client, settings
):
    settings.TIME_ZONE = "UTC"
    timezone.activate("UTC")
    yesterday = (timezone.now() - datetime.timedelta(days=2)).date()
    article = make_article(
        body=[
            (
                "live_updates",
                {
                    "is_live": False,
                    "entries": [
                        entry(moment(23, 50, day=yesterday), "Late news."),
                        entry(moment(7, 5), "Morning news."),
                    ],
                },
            )
        ]
    )
    page = BeautifulSoup(client.get(article.url).content, "html.parser")
    block = page.select_one("section.live-updates")
    assert block.select_one("h2").get_text(strip=True) == "Live updates"
    assert block.select_one(".live-updates__badge").get_text(strip=True) == "Updates ended"
    assert "live-updates--live" not in block["class"]
    labels = [time.get_text() for time in block.select("article.live-update h3 time")]
    assert labels == [f"{moment(7, 5):%-d %b}, 07:05", f"{yesterday:%-d %b}, 23:50"]


def test_api_v2_and_v3_give_entries_newest_first_with_iso_times(client, story):
    for url in (f"/api/v2/pages/{story.pk}/", f"/api/v3/pages/{story.pk}/"):
        body = get_json(client, url)["body"]
        live = next(block for block in body if block["type"] == "live_updates")["value"]
        day = f"{moment(0, 0):%Y%m%d}"
        assert live["title"] == "Flood: live updates"
        assert live["is_live"] is True
        assert live["updated_at"] == moment(11, 40).isoformat()
        assert [e["time"] for e in live["entries"]] == [
            moment(11, 40).isoformat(),
            moment(10, 5).isoformat(),
            moment(9, 15).isoformat(),
        ]
        first, second = live["entries"][:2]
        assert first == {
            "id": f"update-{day}-1140",
            "time": moment(11, 40).isoformat(),
            "headline": "Bridge closed",
            "body": "<p>The bridge is closed.</p>",
            "author": "Mara Okafor",
        }, url
        assert second["headline"] is None and second["author"] is None


def test_the_v3_schema_describes_the_live_updates_block(client):
    document = get_json(client, "/api/v3/openapi.json")
    schemas = document["components"]["schemas"]
    entry_schema = schemas["LiveUpdateAPIValue"]
    assert set(entry_schema["properties"]) == {"id", "time", "headline", "body", "author"}
    assert set(schemas["LiveUpdatesAPIValue"]["properties"]) == {
        "title",
        "is_live",
        "updated_at",
        "entries",
    }


def parse(response):
    parsed = feedparser.parse(
        response.content, response_headers={"content-type": response["Content-Type"]}
    )
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    return parsed


def test_feeds_carry_the_latest_updates_and_date_the_entry_by_the_newest(client, story):
    # Published before the updates were written: the newest one dates the entry.
    ArticlePage.objects.filter(pk=story.pk).update(last_published_at=moment(8, 0))
    for path in ("/feed/", "/feed/atom/"):
        parsed = parse(client.get(path))
        (feed_entry,) = [e for e in parsed.entries if e.title == story.title]
        html = BeautifulSoup(feed_entry.content[0].value, "html.parser")
        assert [a.find("p").get_text() for a in html.select("article.live-update")] == [
            "The bridge is closed.",
            "Schools are open as usual.",
            "The river rose overnight.",
        ]
        anchor = html.select_one("article.live-update h3 a")["href"]
        assert anchor.startswith("http://testserver" + story.url + "#update-"), anchor
        if path.endswith("atom/"):
            assert calendar.timegm(feed_entry.updated_parsed) == int(moment(11, 40).timestamp())
        assert calendar.timegm(feed_entry.published_parsed) == int(moment(8, 0).timestamp())
    item = client.get("/feed/json/").json()["items"][0]
    assert item["date_modified"].startswith(f"{moment(11, 40):%Y-%m-%dT11:40:00}")


def test_an_update_without_a_time_is_refused_with_a_message_that_says_what_to_do():
    stream_block = ArticlePage._meta.get_field("body").stream_block
    block = stream_block.child_blocks["live_updates"]
    value = block.to_python(
        {"entries": [entry(moment(9, 0), "Timed."), entry(None, "When was this?")]}
    )
    with pytest.raises(StructBlockValidationError) as error:
        block.clean(value)
    entries_error = error.value.block_errors["entries"]
    assert 0 not in entries_error.block_errors
    (message,) = entries_error.block_errors[1].block_errors["time"].messages
    assert message == LIVE_UPDATE_TIME_REQUIRED
    assert "date and time" in message

    # Through the whole body, as the admin and API writes validate it.
    body = stream_block.to_python(
        [{"type": "live_updates", "value": {"entries": [entry(None, "No time.")]}}]
    )
    with pytest.raises(StreamBlockValidationError):
        stream_block.clean(body)


def test_an_update_needs_some_text_and_the_block_at_least_one_update():
    block = ArticlePage._meta.get_field("body").stream_block.child_blocks["live_updates"]
    with pytest.raises(StructBlockValidationError) as error:
        block.clean(block.to_python({"entries": []}))
    assert "entries" in error.value.block_errors
    empty = {"time": moment(9, 0).isoformat(), "headline": "", "body": "", "author": ""}
    with pytest.raises(StructBlockValidationError) as error:
        block.clean(block.to_python({"entries": [empty]}))
    assert "body" in error.value.block_errors["entries"].block_errors[0].block_errors
