"""RSS 2.0, Atom 1.0 and JSON Feed 1.1 for the site, sections, authors and tags."""

import calendar
import io
import json
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path

import feedparser
import jsonschema
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from cms.page_cache import store
from tests.factories import (
    body_with_every_block,
    make_article,
    make_author,
    make_embed,
    make_image,
    make_section,
)

pytestmark = pytest.mark.django_db

JSON_FEED_SCHEMA = json.loads(
    (Path(__file__).parent / "schemas" / "jsonfeed-1.1.schema.json").read_text()
)
FORMATS = {
    "rss": ("", "application/rss+xml", "rss20"),
    "atom": ("atom/", "application/atom+xml", "atom10"),
    "json": ("json/", "application/feed+json", "json11"),
}
NOW = datetime.now(tz=UTC).replace(microsecond=0)


def feed_path(scope, fmt, newsroom):
    prefix = {
        "site": "",
        "section": f"sections/{newsroom['world'].slug}/",
        "author": f"authors/{newsroom['ada'].slug}/",
        "tag": "tags/climate/",
    }[scope]
    return f"/{prefix}feed/{FORMATS[fmt][0]}"


def parse(response):
    # feedparser tells JSON Feed from XML by the Content-Type header.
    parsed = feedparser.parse(
        response.content, response_headers={"content-type": response["Content-Type"]}
    )
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    return parsed


def timestamp(struct_time):
    return calendar.timegm(struct_time)


def feed_id(article):
    """The id every feed gives `article`: a tag: URI (RFC 4151), see test_feed_ids_*."""
    article.refresh_from_db()
    day = article.first_published_at.astimezone(UTC).date().isoformat()
    return f"tag:byline.invalid,{day}:article:{article.translation_key}"


def entry_titles(response):
    """Item titles of a feed in any format, checking it parses (or validates) first."""
    if response["Content-Type"].startswith("application/feed+json"):
        document = response.json()
        validate_json_feed(document)
        return [item["title"] for item in document["items"]]
    return [entry.title for entry in parse(response).entries]


@pytest.fixture
def newsroom():
    world = make_section("World", introduction="News from around the globe.")
    science = make_section("Science")
    ada = make_author("Ada Reporter", role="Science editor")
    ben = make_author("Ben Writer")
    photo = make_image(
        "Harbour",
        width=400,
        height=300,
        description="Boats moored in the harbour at dawn",
        credit="Jo Lens/Byline",
    )
    lead = make_article(
        world,
        title="Harbour & tides: a <new> plan",
        standfirst="The board votes for dredging.",
        authors=[ada, ben],
        tags=["Climate", "Harbour"],
        lead_image=photo,
        publication_date=NOW - timedelta(hours=1),
        body=[
            (
                "paragraph",
                f'<p>See <a linktype="page" id="{science.pk}">our science desk</a>, '
                '<a href="/tags/climate/">the tag</a> and '
                '<a href="https://example.org/report">the report</a>.</p>',
            ),
            (
                "image",
                {"image": photo, "caption": "", "credit": "", "alt_text": "", "alignment": "full"},
            ),
        ],
    )
    second = make_article(
        science,
        title="Comet seen over the bay",
        authors=[ada],
        tags=["Climate"],
        publication_date=NOW - timedelta(hours=3),
        body=[("paragraph", "<p>A bright comet.</p>")],
    )
    older = make_article(
        world,
        title="Ferry timetable changes",
        authors=[ben],
        publication_date=NOW - timedelta(days=3),
    )
    draft = make_article(
        world, title="Unpublished draft", authors=[ada], tags=["Climate"], publish=False
    )
    private = make_article(
        world,
        title="Members-only story",
        authors=[ada],
        tags=["Climate"],
        publication_date=NOW - timedelta(minutes=5),
    )
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="x")
    return {
        "world": world,
        "science": science,
        "ada": ada,
        "ben": ben,
        "photo": photo,
        "lead": lead,
        "second": second,
        "older": older,
        "draft": draft,
        "private": private,
    }


# What each scope lists, newest first.
EXPECTED_TITLES = {
    "site": ["Harbour & tides: a <new> plan", "Comet seen over the bay", "Ferry timetable changes"],
    "section": ["Harbour & tides: a <new> plan", "Ferry timetable changes"],
    "author": ["Harbour & tides: a <new> plan", "Comet seen over the bay"],
    "tag": ["Harbour & tides: a <new> plan", "Comet seen over the bay"],
}
EXPECTED_FEED_TITLES = {
    "site": "The Byline Courier",
    "section": "World | The Byline Courier",
    "author": "Ada Reporter | The Byline Courier",
    "tag": "Articles tagged “Climate” | The Byline Courier",
}


@pytest.mark.parametrize("scope", EXPECTED_TITLES)
def test_every_feed_parses_with_the_scopes_articles_newest_first(client, newsroom, scope):
    for fmt in FORMATS:
        check_feed(client, newsroom, scope, fmt)


def check_feed(client, newsroom, scope, fmt):
    path = feed_path(scope, fmt, newsroom)
    response = client.get(path)

    assert response.status_code == 200
    assert response["Content-Type"].startswith(FORMATS[fmt][1])
    body = response.content.decode()
    assert "Unpublished draft" not in body
    assert "Members-only story" not in body
    if fmt == "json":
        # feedparser 6 reads XML feeds only: JSON Feed is checked against its schema.
        document = response.json()
        validate_json_feed(document)
        title, feed_url = document["title"], document["feed_url"]
        items = [(i["title"], i["url"], i["id"], i["date_published"]) for i in document["items"]]
    else:
        parsed = parse(response)
        assert parsed.version == FORMATS[fmt][2]
        title = parsed.feed.title
        feed_url = next(link.href for link in parsed.feed.links if link.rel == "self")
        items = [(e.title, e.link, e.id, e.published_parsed) for e in parsed.entries]
    assert title == EXPECTED_FEED_TITLES[scope], path
    assert feed_url == "http://testserver" + path
    assert [item[0] for item in items] == EXPECTED_TITLES[scope], path
    for _title, link, guid, published in items:
        assert link.startswith("http://testserver/")
        assert guid.startswith("tag:byline.invalid,")  # not the link: see test_feed_ids_*
        assert published


def validate_json_feed(document):
    checker = jsonschema.FormatChecker()

    @checker.checks("date-time", raises=ValueError)
    def is_rfc3339(value):
        if "T" not in value or datetime.fromisoformat(value).tzinfo is None:
            raise ValueError(value)
        return True

    @checker.checks("uri", raises=ValueError)
    def is_absolute_uri(value):
        if not value.startswith(("http://", "https://")):
            raise ValueError(value)
        return True

    jsonschema.validate(document, JSON_FEED_SCHEMA, format_checker=checker)


def test_the_json_feed_schema_rejects_what_the_specification_forbids():
    good = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "T",
        "items": [{"id": "1", "content_text": "x"}],
    }
    validate_json_feed(good)
    for bad in (
        {**good, "version": "https://jsonfeed.org/version/1"},
        {**good, "items": [{"id": "1"}]},  # neither content_html nor content_text
        {**good, "items": [{"id": "1", "content_text": "x", "date_published": "yesterday"}]},
        {**good, "items": [{"id": "1", "content_text": "x", "image": "/relative.jpg"}]},
        {**good, "author": {"name": "1.0 key, gone in 1.1"}},
    ):
        with pytest.raises(jsonschema.ValidationError):
            validate_json_feed(bad)


def test_rss_items_carry_dates_authors_categories_permalink_and_enclosure(client, newsroom):
    lead = newsroom["lead"]
    response = client.get("/feed/")
    entry = parse(response).entries[0]
    xml = response.content.decode()

    assert entry.link == lead.get_full_url() == "http://testserver/world/harbour-tides-a-new-plan/"
    assert entry.id == feed_id(lead)
    assert f'<guid isPermaLink="false">{entry.id}</guid>' in xml
    assert timestamp(entry.published_parsed) == lead.publication_date.timestamp()
    assert [author.name for author in entry.authors] == ["Ada Reporter", "Ben Writer"]
    assert [tag.term for tag in entry.tags] == ["World", "Climate", "Harbour"]
    assert entry.summary == "The board votes for dredging."

    (enclosure,) = entry.enclosures
    assert enclosure.type == "image/jpeg"
    assert enclosure.href.startswith("http://testserver/media/images/")
    assert int(enclosure.length) > 0
    (media,) = entry.media_content
    assert media["url"] == enclosure.href
    assert media["medium"] == "image"
    assert (media["width"], media["height"]) == ("400", "300")
    assert entry.media_credit[0]["content"] == "Jo Lens/Byline"
    assert "Boats moored in the harbour at dawn" in xml

    channel = parse(response).feed
    assert channel.link == "http://testserver/"
    assert channel.language == "en-gb"


def test_atom_entries_have_published_updated_authors_with_uris_and_enclosure(client, newsroom):
    lead = newsroom["lead"]
    lead.save_revision().publish()  # republished later: updated moves on, published stays
    lead.refresh_from_db()

    entry = parse(client.get("/feed/atom/")).entries[0]

    assert timestamp(entry.published_parsed) == lead.publication_date.timestamp()
    assert timestamp(entry.updated_parsed) == int(lead.last_published_at.timestamp())
    assert entry.updated_parsed > entry.published_parsed
    assert [(a.name, a.href) for a in entry.authors] == [
        ("Ada Reporter", f"http://testserver/authors/{newsroom['ada'].slug}/"),
        ("Ben Writer", f"http://testserver/authors/{newsroom['ben'].slug}/"),
    ]
    (enclosure,) = entry.enclosures
    assert enclosure.type == "image/jpeg" and int(enclosure.length) > 0
    assert [tag.term for tag in entry.tags] == ["World", "Climate", "Harbour"]


def test_json_feed_items(client, newsroom):
    lead = newsroom["lead"]
    document = client.get("/feed/json/").json()
    item = document["items"][0]

    assert document["version"] == "https://jsonfeed.org/version/1.1"
    assert document["home_page_url"] == "http://testserver/"
    assert item["url"] == lead.get_full_url()
    assert item["id"] == feed_id(lead)
    assert item["title"] == "Harbour & tides: a <new> plan"
    assert item["summary"] == "The board votes for dredging."
    assert datetime.fromisoformat(item["date_published"]) == lead.publication_date
    assert datetime.fromisoformat(item["date_modified"]) >= lead.publication_date
    assert item["authors"] == [
        {"name": "Ada Reporter", "url": f"http://testserver/authors/{newsroom['ada'].slug}/"},
        {"name": "Ben Writer", "url": f"http://testserver/authors/{newsroom['ben'].slug}/"},
    ]
    assert item["tags"] == ["World", "Climate", "Harbour"]
    assert item["image"].startswith("http://testserver/media/images/")
    assert "image" not in document["items"][1]  # the comet story has no lead image


class ContentAttributes(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in {"href", "src"}:
                self.urls.append(value)
            elif name == "srcset":
                self.urls += [candidate.split()[0] for candidate in value.split(",")]


def urls_in(html):
    parser = ContentAttributes()
    parser.feed(html)
    return parser.urls


def test_full_content_feeds_carry_the_body_with_absolute_urls(client, newsroom):
    rss_entry = parse(client.get("/feed/")).entries[0]
    atom_entry = parse(client.get("/feed/atom/")).entries[0]
    json_item = client.get("/feed/json/").json()["items"][0]

    for html in (
        rss_entry.content[0].value,
        atom_entry.content[0].value,
        json_item["content_html"],
    ):
        assert "our science desk" in html
        urls = urls_in(html)
        assert "http://testserver/science/" in urls  # a rich text page link
        assert "http://testserver/tags/climate/" in urls  # a relative link made absolute
        assert "https://example.org/report" in urls
        images = [url for url in urls if "/media/images/" in url]
        assert images, html  # the body's image block, with its srcset
        assert all(url.startswith(("http://", "https://")) for url in urls), urls


def test_summary_feeds_carry_the_standfirst_only(client, newsroom, settings):
    settings.BYLINE_FEED_FULL_CONTENT = False

    rss = client.get("/feed/")
    atom_entry = parse(client.get("/feed/atom/")).entries[0]
    json_item = client.get("/feed/json/").json()["items"][0]

    assert "content:encoded" not in rss.content.decode()
    assert parse(rss).entries[0].summary == "The board votes for dredging."
    assert "content" not in atom_entry
    assert atom_entry.summary == "The board votes for dredging."
    assert "content_html" not in json_item
    assert json_item["content_text"] == json_item["summary"] == "The board votes for dredging."
    validate_json_feed(client.get("/feed/json/").json())


def test_feeds_list_a_fixed_number_of_the_newest_articles(client, newsroom, settings):
    settings.BYLINE_FEED_ITEMS = 2

    for fmt in FORMATS:
        response = client.get(feed_path("site", fmt, newsroom))
        assert entry_titles(response) == EXPECTED_TITLES["site"][:2]


@pytest.mark.parametrize(
    "path",
    [
        "/sections/no-such-section/feed/",
        "/authors/nobody/feed/atom/",
        "/tags/no-such-tag/feed/json/",
    ],
)
def test_unknown_scopes_answer_404(client, newsroom, path):
    assert client.get(path).status_code == 404


def test_an_unpublished_section_has_no_feed(client, newsroom):
    newsroom["science"].unpublish()
    assert client.get("/sections/science/feed/").status_code == 404


# <link rel="alternate"> --------------------------------------------------------


class AlternateLinks(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and attrs.get("rel") == "alternate":
            self.links.append((attrs["type"], attrs["href"], attrs["title"]))


def alternate_links(response):
    assert response.status_code == 200
    parser = AlternateLinks()
    parser.feed(response.content.decode())
    return parser.links


SITE_LINKS = [
    ("application/rss+xml", "/feed/", "The Byline Courier (RSS)"),
    ("application/atom+xml", "/feed/atom/", "The Byline Courier (Atom)"),
    ("application/feed+json", "/feed/json/", "The Byline Courier (JSON Feed)"),
]


def scope_links(prefix, title):
    return [
        ("application/rss+xml", f"{prefix}feed/", f"The Byline Courier: {title} (RSS)"),
        ("application/atom+xml", f"{prefix}feed/atom/", f"The Byline Courier: {title} (Atom)"),
        (
            "application/feed+json",
            f"{prefix}feed/json/",
            f"The Byline Courier: {title} (JSON Feed)",
        ),
    ]


def test_pages_advertise_their_feeds(client, newsroom):
    ada = newsroom["ada"]

    assert alternate_links(client.get("/")) == SITE_LINKS
    assert (
        alternate_links(client.get("/world/"))
        == scope_links("/sections/world/", "World") + SITE_LINKS
    )
    assert (
        alternate_links(client.get(f"/authors/{ada.slug}/"))
        == scope_links(f"/authors/{ada.slug}/", "Ada Reporter") + SITE_LINKS
    )
    assert (
        alternate_links(client.get("/tags/climate/"))
        == scope_links("/tags/climate/", "articles tagged “Climate”") + SITE_LINKS
    )
    assert alternate_links(client.get(newsroom["lead"].url)) == SITE_LINKS


def test_advertised_feeds_resolve(client, newsroom):
    for page in ("/", "/world/", f"/authors/{newsroom['ada'].slug}/", "/tags/climate/"):
        for _type, href, _title in alternate_links(client.get(page)):
            assert entry_titles(client.get(href))


# Query budget ------------------------------------------------------------------


def feed_queries(client, path):
    """Queries of a feed made afresh (the first request makes any missing renditions)."""
    client.get(path)
    store.purge("feeds")  # as a publication would: the kept document is made again
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


def add_rich_articles(section, authors, count, *, start):
    image = make_image("Body image", width=320, height=200)
    related = make_article(section, title=f"Related {start}", authors=authors[:1])
    embed_url = f"https://video.example/watch/{start}"
    make_embed(embed_url)
    for n in range(count):
        make_article(
            section,
            title=f"Rich article {start + n}",
            authors=authors,
            tags=[f"tag-{start + n}", f"extra-{start + n}", "Climate"],
            lead_image=make_image(f"Lead {start + n}", width=320, height=200),
            publication_date=NOW - timedelta(minutes=start + n),
            body=[
                *body_with_every_block(image=image, related_article=related, embed_url=embed_url),
                (
                    "paragraph",
                    f'<p><a linktype="page" id="{related.pk}">Related</a> and '
                    f'<a linktype="page" id="{section.pk}">section</a>.</p>',
                ),
            ],
        )


def test_a_feed_costs_the_same_queries_whatever_its_articles_hold(client, newsroom):
    world, ada, ben = newsroom["world"], newsroom["ada"], newsroom["ben"]
    paths = {scope: feed_path(scope, "rss", newsroom) for scope in EXPECTED_TITLES}
    add_rich_articles(world, [ada], 1, start=100)
    small = {scope: feed_queries(client, path) for scope, path in paths.items()}

    more_authors = [ada, ben, make_author("Cy Third"), make_author("Di Fourth")]
    add_rich_articles(world, more_authors, 5, start=200)
    large = {scope: feed_queries(client, path) for scope, path in paths.items()}

    assert large == small
    # +1 over the bare minimum: related-article blocks check view restrictions once.
    assert max(small.values()) <= 17, small


def test_every_feed_format_costs_the_same_queries(client, newsroom):
    counts = {fmt: feed_queries(client, feed_path("site", fmt, newsroom)) for fmt in FORMATS}
    assert len(set(counts.values())) == 1, counts


# Item ids ------------------------------------------------------------------------


def item_ids(client, path="/feed/"):
    """{title: id} of the site feed in every format: RSS <guid> and Atom <id> read
    by feedparser, JSON Feed "id" from the document."""
    ids = {}
    for fmt, (suffix, _media_type, _version) in FORMATS.items():
        response = client.get(path + suffix)
        assert response.status_code == 200, path + suffix
        if fmt == "json":
            ids[fmt] = {item["title"]: item["id"] for item in response.json()["items"]}
        else:
            ids[fmt] = {entry.title: entry.id for entry in parse(response).entries}
    return ids


def test_feed_ids_survive_slug_changes_moves_and_a_new_host(client, newsroom, settings):
    lead, science = newsroom["lead"], newsroom["science"]
    title = lead.title
    before = item_ids(client)
    ids = {fmt: by_title[title] for fmt, by_title in before.items()}
    # The same id in every format, not the address, and another one for each article.
    assert set(ids.values()) == {feed_id(lead)}
    assert ids["rss"].startswith("tag:byline.invalid,") and lead.url not in ids["rss"]
    for by_title in before.values():
        assert len(set(by_title.values())) == len(by_title) == 3

    lead.slug = "harbour-dredging-plan"
    lead.save_revision().publish()  # a new slug...
    lead.refresh_from_db()
    lead.move(science, pos="last-child")  # ...and another section
    lead.refresh_from_db()
    assert lead.url == "/science/harbour-dredging-plan/"
    settings.BYLINE_BASE_URL = "https://courier.example"  # ...and another host
    settings.ALLOWED_HOSTS = ["*"]

    after = item_ids(client)
    assert after == before
    response = client.get("/feed/")
    (entry,) = [e for e in parse(response).entries if e.title == title]
    assert entry.link == "https://courier.example/science/harbour-dredging-plan/"
    assert entry.id == ids["rss"]
    assert f'<guid isPermaLink="false">{entry.id}</guid>' in response.content.decode()
    section_ids = item_ids(client, "/sections/science/feed/")
    assert section_ids["atom"][title] == ids["atom"]


def test_feed_ids_use_the_configured_authority_and_first_publication_day(
    client, newsroom, settings
):
    lead = newsroom["lead"]
    settings.BYLINE_FEED_ID_AUTHORITY = "newsroom@courier.example"
    settings.TIME_ZONE = "Pacific/Kiritimati"  # UTC+14: the day is the UTC one all the same
    day = lead.first_published_at.astimezone(UTC).date().isoformat()
    ids = item_ids(client)
    assert ids["atom"][lead.title] == (
        f"tag:newsroom@courier.example,{day}:article:{lead.translation_key}"
    )


@pytest.mark.parametrize(
    "authority, valid",
    [
        ("courier.example", True),
        ("newsroom@courier.example", True),
        ("byline.invalid", True),
        ("https://courier.example", False),
        ("courier.example:8000", False),
        ("courier.example/feeds", False),
        ("two words", False),
    ],
)
def test_the_feed_id_authority_is_checked(settings, authority, valid):
    from news.feeds.identity import check_feed_id_authority

    settings.BYLINE_FEED_ID_AUTHORITY = authority
    errors = check_feed_id_authority(None)
    assert (errors == []) is valid
    if not valid:
        assert errors[0].id == "byline.E010"


# The paper's logo ---------------------------------------------------------------------


def static_file_served(client, url):
    """The bytes behind an absolute static URL, read through the static files finders."""
    from django.contrib.staticfiles import finders

    path = url.removeprefix("http://testserver/static/")
    found = finders.find(path)
    assert found, url
    return Path(found).read_bytes()


@pytest.mark.parametrize("scope", ["site", "section"])
def test_every_feed_format_carries_the_logo(client, newsroom, scope):
    from PIL import Image

    rss = parse(client.get(feed_path(scope, "rss", newsroom))).feed
    atom = parse(client.get(feed_path(scope, "atom", newsroom))).feed
    document = client.get(feed_path(scope, "json", newsroom)).json()
    validate_json_feed(document)

    # RSS <image>: at most 144 px wide, with the channel's title and link.
    assert rss.image.href == "http://testserver/static/icons/icon-144.png"
    assert rss.image.title == rss.title
    assert rss.image.link == rss.link
    assert (rss.image.width, rss.image.height) == (144, 144)
    # Atom <logo> and <icon>, JSON Feed "icon" and "favicon".
    assert atom.logo == document["icon"] == "http://testserver/static/img/logo.png"
    assert atom.icon == document["favicon"] == rss.image.href
    # Each is a real image of the size it says.
    for url, size in ((rss.image.href, (144, 144)), (atom.logo, (512, 512))):
        with Image.open(io.BytesIO(static_file_served(client, url))) as image:
            assert image.size == size


# Kept documents ----------------------------------------------------------------------


def feed_titles(client, path="/feed/"):
    return [entry.title for entry in parse(client.get(path)).entries]


def test_a_feed_is_made_once_for_every_reader(client, newsroom):
    first = client.get("/feed/")
    with CaptureQueriesContext(connection) as kept:
        again = client.get("/feed/")
    assert len(kept) == 0, [query["sql"][:120] for query in kept.captured_queries]
    assert again.content == first.content
    assert again["Content-Type"] == first["Content-Type"]
    assert again["Last-Modified"] == first["Last-Modified"]


def test_a_kept_feed_follows_what_it_lists_and_shows(client, newsroom):
    world, ada, lead = newsroom["world"], newsroom["ada"], newsroom["lead"]
    section_feed = f"/sections/{world.slug}/feed/"
    before = feed_titles(client)
    assert before[0] == lead.title and feed_titles(client, section_feed)[0] == lead.title
    # Published: at the top of the feeds it belongs to.
    fresh = make_article(world, title="Lighthouse relit", authors=[ada])
    assert feed_titles(client)[0] == "Lighthouse relit"
    assert feed_titles(client, section_feed)[0] == "Lighthouse relit"
    # An author renamed: their name on every item.
    ada.name = "Ada Harbourside"
    ada.save_revision().publish()
    entry = parse(client.get("/feed/")).entries[0]
    assert [author["name"] for author in entry.authors] == ["Ada Harbourside"]
    # Made private, then unpublished: gone.
    restriction = PageViewRestriction.objects.create(
        page=fresh, restriction_type="password", password="x"
    )
    assert "Lighthouse relit" not in feed_titles(client)
    restriction.delete()
    assert feed_titles(client)[0] == "Lighthouse relit"
    fresh.unpublish()
    assert feed_titles(client) == before


def test_a_kept_feed_lives_no_longer_than_the_next_scheduled_article(client, newsroom):
    import time_machine

    soon = datetime.now(tz=UTC) + timedelta(minutes=2)
    make_article(newsroom["world"], title="Tide tables for the week", publication_date=soon)
    assert "Tide tables for the week" not in feed_titles(client)
    with time_machine.travel(soon + timedelta(seconds=1)):
        assert feed_titles(client)[0] == "Tide tables for the week"
