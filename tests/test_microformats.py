"""Microformats2 on the reader site, read with mf2py as IndieWeb readers and receivers do.

h-entry on articles (and on every card of a listing), h-card for authors
(their page and the boxes under articles), h-feed on the home, section, tag
and author pages.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

import mf2py
import pytest

from tests.factories import make_article, make_author, make_image, make_section

pytestmark = pytest.mark.django_db

BASE = "http://testserver"
PUBLISHED = datetime(2024, 3, 12, 9, 30, tzinfo=ZoneInfo("Europe/London"))


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return mf2py.parse(doc=response.content.decode(), url=BASE + url, html_parser="html.parser")


def items_of(parsed, kind):
    """Every item of `kind`, at the top level or nested (children or property values)."""
    found = []

    def walk(items):
        for item in items:
            if not isinstance(item, dict):
                continue
            if kind in item.get("type", []):
                found.append(item)
            walk(item.get("children", []))
            for values in item.get("properties", {}).values():
                walk(values)

    walk(parsed["items"])
    return found


def value(prop):
    return prop["value"] if isinstance(prop, dict) else prop


@pytest.fixture
def newsroom():
    politics = make_section("Politics", introduction="Votes, councils and campaigns.")
    ada = make_author(
        "Ada Quill",
        role="Political editor",
        short_bio="Ada has covered the council for ten years.",
        portrait=make_image("Ada Quill", width=400, height=400),
        profile_links=[
            ("link", {"service": "mastodon", "url": "https://social.example/@ada"}),
            ("link", {"service": "website", "url": "https://ada.example/"}),
        ],
    )
    ben = make_author("Ben Ledger", role="Reporter")
    older = make_article(
        politics,
        title="Harbour board sets a date",
        authors=[ben],
        tags=["harbour"],
        publication_date=PUBLISHED.replace(day=2),
    )
    article = make_article(
        politics,
        title="Harbour dredging plan approved",
        standfirst="The board voted seven to two on Tuesday night.",
        authors=[ada, ben],
        tags=["harbour", "council"],
        body=[("paragraph", "<p>The harbour board met on <b>Tuesday</b>.</p>")],
        lead_image=make_image("Dredger", description="A dredger"),
        publication_date=PUBLISHED,
    )
    return {"article": article, "older": older, "ada": ada}


def test_article_is_a_complete_h_entry(client, newsroom):
    article = newsroom["article"]
    parsed = parse(client, article.url)
    entries = [item for item in parsed["items"] if "h-entry" in item["type"]]
    assert len(entries) == 1
    props = entries[0]["properties"]
    assert props["name"] == ["Harbour dredging plan approved"]
    assert props["summary"] == ["The board voted seven to two on Tuesday night."]
    content = props["content"][0]
    assert content["value"] == "The harbour board met on Tuesday."
    assert "<b>Tuesday</b>" in content["html"]
    assert [datetime.fromisoformat(d) for d in props["published"]] == [PUBLISHED]
    updated = datetime.fromisoformat(props["updated"][0])
    assert updated >= PUBLISHED  # the last publish, never before the publication date
    assert props["url"] == [BASE + article.url]  # absolute, as the canonical link
    assert props["uid"] == props["url"]
    assert props["category"] == ["Politics", "council", "harbour"]
    authors = props["author"]
    assert [a["type"] for a in authors] == [["h-card"], ["h-card"]]
    assert [a["properties"]["name"] for a in authors] == [["Ada Quill"], ["Ben Ledger"]]
    assert [a["properties"]["url"] for a in authors] == [
        [f"{BASE}/authors/ada-quill/"],
        [f"{BASE}/authors/ben-ledger/"],
    ]


def test_author_boxes_under_an_article_are_h_cards(client, newsroom):
    parsed = parse(client, newsroom["article"].url)
    cards = [
        card
        for card in items_of(parsed, "h-card")
        if "photo" in card["properties"] or "note" in card["properties"]
    ]
    by_name = {card["properties"]["name"][0]: card["properties"] for card in cards}
    ada = by_name["Ada Quill"]
    assert ada["job-title"] == ["Political editor"] and ada["role"] == ["Political editor"]
    assert ada["note"] == ["Ada has covered the council for ten years."]
    assert value(ada["photo"][0]).startswith(f"{BASE}/media/images/")
    assert ada["url"] == [
        f"{BASE}/authors/ada-quill/",
        "https://social.example/@ada",
        "https://ada.example/",
    ]
    assert by_name["Ben Ledger"]["job-title"] == ["Reporter"]


def test_author_page_has_a_representative_h_card_with_rel_me(client, newsroom):
    parsed = parse(client, "/authors/ada-quill/")
    cards = [item for item in parsed["items"] if "h-card" in item["type"]]
    assert len(cards) == 1
    props = cards[0]["properties"]
    assert props["name"] == ["Ada Quill"]
    assert props["uid"] == [f"{BASE}/authors/ada-quill/"]
    assert props["job-title"] == ["Political editor"]
    assert props["note"][0].startswith("Ada has covered the council")
    assert value(props["photo"][0]).endswith(".webp")
    assert "https://social.example/@ada" in props["url"]
    # rel="me" tells Mastodon (and IndieAuth) the profile is the same person.
    assert parsed["rels"]["me"] == ["https://social.example/@ada"]
    # Her articles are an h-feed of h-entries.
    feeds = [item for item in parsed["items"] if "h-feed" in item["type"]]
    assert len(feeds) == 1
    assert feeds[0]["properties"]["name"] == ["Articles by Ada Quill"]
    assert [e["properties"]["name"] for e in feeds[0]["children"]] == [
        ["Harbour dredging plan approved"]
    ]


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("/", "The Byline Courier"),
        ("/politics/", "Politics"),
        ("/tags/harbour/", "Articles tagged “harbour”"),
    ],
)
def test_listings_are_h_feeds_of_complete_h_entries(client, newsroom, url, name):
    from tests.factories import home_page

    if url == "/":
        name = home_page().title
    parsed = parse(client, url)
    feeds = [item for item in parsed["items"] if "h-feed" in item["type"]]
    assert len(feeds) == 1
    feed = feeds[0]
    assert feed["properties"]["name"] == [name]
    entries = items_of(parsed, "h-entry")
    titles = {e["properties"]["name"][0] for e in entries}
    assert titles == {"Harbour dredging plan approved", "Harbour board sets a date"}
    for entry in entries:
        props = entry["properties"]
        assert props["url"][0].startswith(BASE + "/politics/"), props
        assert datetime.fromisoformat(props["published"][0]).month == 3
        assert props["author"][0]["type"] == ["h-card"]
        assert props["author"][0]["properties"]["url"][0].startswith(BASE + "/authors/")
    full = [e for e in entries if "summary" in e["properties"]]
    assert full, "at least the grid cards carry a summary"
