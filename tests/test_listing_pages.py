"""Listing pages: home, sections, tags, authors. What is listed, in which order, paginated."""

import datetime as dt
import itertools
import re

import pytest
from bs4 import BeautifulSoup
from wagtail.models import PageViewRestriction

from home.models import LATEST_COUNT, PER_SECTION_COUNT
from news.models import ArticlePage
from news.models.pages import ARTICLES_PER_PAGE
from tests.factories import home_page, make_article, make_author, make_image, make_section

pytestmark = pytest.mark.django_db

START = dt.datetime(2024, 5, 1, 9, 0, tzinfo=dt.UTC)


def parse(response):
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content, "html.parser")


def text(node):
    return " ".join(node.get_text(" ", strip=True).split())


def card_titles(container):
    return [text(a) for a in container.select("article.card .card__title a")]


def latest_titles(page):
    """The latest stories after the lead: "Also today" beside it, then "Most recent"."""
    secondary = page.select_one("section.front-secondary")
    recent = page.select_one("section.front-recent")
    return (card_titles(secondary) if secondary else []) + (card_titles(recent) if recent else [])


def articles(section, count, *, first=0, prefix=None, **fields):
    """`count` live articles in `section`, each an hour newer than the last (oldest first).

    Made live with one UPDATE instead of a revision each: listings only read `live`, and
    publishing through revisions is covered where it matters (the hidden_articles fixture).
    """
    prefix = prefix or section.title
    made = [
        make_article(
            section,
            title=f"{prefix} {first + n}",
            publication_date=START + dt.timedelta(hours=first + n),
            publish=False,
            **fields,
        )
        for n in range(count)
    ]
    ArticlePage.objects.filter(pk__in=[page.pk for page in made]).update(live=True)
    for page in made:
        page.live = True
    return made


def newest_first(pages):
    return [page.title for page in reversed(pages)]


def make_private(page):
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)


@pytest.fixture
def hidden_articles():
    """A draft, an unpublished and a private article: none may ever be listed."""
    section = make_section("Hidden desk")
    author = make_author("Hal Hidden")
    when = START + dt.timedelta(days=30)  # newer than everything else
    draft = make_article(
        section, title="Draft story", publish=False, authors=[author], tags=["Harbour"]
    )
    withdrawn = make_article(
        section, title="Withdrawn story", publication_date=when, authors=[author], tags=["Harbour"]
    )
    withdrawn.unpublish()
    (private,) = articles(
        section, 1, prefix="Private story", authors=[author], tags=["Harbour"], first=30 * 24
    )
    make_private(private)
    return [draft, withdrawn, private]


HIDDEN_TITLES = ["Draft story", "Withdrawn story", "Private story 720"]


def assert_none_listed(page):
    listed = card_titles(page)
    for title in HIDDEN_TITLES:
        assert title not in listed


# Home page ------------------------------------------------------------------------


def test_home_leads_with_the_newest_article_when_no_story_is_chosen(client):
    coast = articles(make_section("Coast"), 10)
    page = parse(client.get("/"))
    lead = page.select_one("section.front-lead")
    assert card_titles(lead) == ["Coast 9"]
    assert "card--lead" in lead.select_one("article")["class"]
    assert len(page.select("article.card--lead")) == 1  # only the lead is styled as the lead
    assert text(page.select_one("section.front-secondary h2")) == "Also today"
    assert text(page.select_one("section.front-recent h2")) == "Most recent"
    # Newest first, without the lead, at most LATEST_COUNT: three beside the lead.
    expected = newest_first(coast)[1 : 1 + LATEST_COUNT]
    assert card_titles(page.select_one("section.front-secondary")) == expected[:3]
    assert latest_titles(page) == expected
    # The stories beside the lead have no picture; "Most recent" is headlines and times.
    assert page.select(".front-secondary img, .front-recent img") == []
    assert page.select(".front-recent .card__standfirst") == []


def test_home_lead_image_loads_at_once_and_the_others_lazily(client):
    section = make_section("Coast")
    for n in range(3):
        make_article(section, title=f"Pictured {n}", lead_image=make_image(f"Picture {n}"))
    page = parse(client.get("/"))
    assert page.select_one("section.front-lead img").get("loading") is None
    others = page.select(".front-rails img")
    assert len(others) == 1  # the newest of the section's rail; "Also today" has no pictures
    assert all(img["loading"] == "lazy" for img in others)


def test_home_leads_with_the_story_the_editor_chose(client):
    coast = articles(make_section("Coast"), 12)
    chosen = coast[0]  # the oldest: not even in the latest list by date
    home = home_page()
    home.lead_story = chosen
    home.save_revision().publish()

    page = parse(client.get("/"))
    assert card_titles(page.select_one("section.front-lead")) == ["Coast 0"]
    latest = latest_titles(page)
    assert latest == newest_first(coast)[:LATEST_COUNT]
    assert "Coast 0" not in latest


def test_home_chosen_lead_is_not_repeated_in_latest(client):
    coast = articles(make_section("Coast"), 5)
    home = home_page()
    home.lead_story = coast[2]
    home.save_revision().publish()
    page = parse(client.get("/"))
    assert card_titles(page.select_one("section.front-lead")) == ["Coast 2"]
    assert latest_titles(page) == [
        "Coast 4",
        "Coast 3",
        "Coast 1",
        "Coast 0",
    ]


def test_home_falls_back_to_the_newest_when_the_chosen_lead_is_unpublished(client):
    coast = articles(make_section("Coast"), 3)
    home = home_page()
    home.lead_story = coast[0]
    home.save_revision().publish()
    coast[0].unpublish()
    page = parse(client.get("/"))
    assert card_titles(page.select_one("section.front-lead")) == ["Coast 2"]
    assert "Coast 0" not in text(page.select_one("main"))


def test_home_has_a_block_per_section_with_its_newest_articles(client):
    coast_section = make_section("Coast")
    city_section = make_section("City")
    make_section("Sport")  # no articles: no block
    coast = articles(coast_section, 6)
    city = articles(city_section, 2, first=100)

    page = parse(client.get("/"))
    blocks = page.select("section.front-section")
    headings = [(text(b.select_one("h2")), b.select_one("h2 a")["href"]) for b in blocks]
    assert headings == [("Coast", "/coast/"), ("City", "/city/")]
    coast_block, city_block = blocks
    assert card_titles(coast_block) == newest_first(coast)[:PER_SECTION_COUNT]
    assert card_titles(city_block) == newest_first(city)
    # The section blocks sit under h2 headings; their cards are h3.
    assert all(card.select_one("h3") for card in coast_block.select("article.card"))


def test_home_cards_show_byline_date_and_picture(client):
    author = make_author("Nia Berg")
    make_article(
        make_section("Coast"),
        title="Storm warning",
        standfirst="Gales are due tonight.",
        authors=[author],
        publication_date=START,
        lead_image=make_image(width=500, height=300, description="Waves over the wall"),
    )
    card = parse(client.get("/")).select_one("section.front-lead article.card")
    assert card.select_one(".card__title a")["href"] == "/coast/storm-warning/"
    assert text(card.select_one(".card__section a")) == "Coast"
    assert text(card.select_one(".card__standfirst")) == "Gales are due tonight."
    meta = card.select_one(".card__meta")
    assert meta.select_one("a[rel~=author]")["href"] == "/authors/nia-berg/"
    assert text(meta.select_one("time")) == "1 May 2024 at 10:00 am"
    assert card.select_one("picture img")["alt"] == "Waves over the wall"


def test_home_never_lists_unpublished_or_private_articles(client, hidden_articles):
    articles(make_section("Coast"), 2)
    page = parse(client.get("/"))
    assert_none_listed(page)
    assert card_titles(page.select_one("section.front-lead")) == ["Coast 1"]


def test_home_skips_sections_behind_a_login(client):
    private_section = make_section("Members")
    articles(private_section, 2)
    make_private(private_section)
    articles(make_section("Coast"), 1, first=-5)
    page = parse(client.get("/"))
    assert "Members" not in text(page)
    assert card_titles(page.select_one("section.front-lead")) == ["Coast -5"]


def test_home_without_articles(client):
    page = parse(client.get("/"))
    assert [text(h) for h in page.select("h1")] == ["The Byline Courier"]
    assert "No articles have been published yet." in text(page.select_one("main"))
    assert page.select("article.card") == []


# Section page ------------------------------------------------------------------------


def test_section_lists_only_its_own_articles_newest_first(client, hidden_articles):
    coast_section = make_section("Coast", introduction="News from the shore.")
    coast = articles(coast_section, 3)
    articles(make_section("City"), 3, first=50)
    page = parse(client.get("/coast/"))
    assert [text(h) for h in page.select("h1")] == ["Coast"]
    assert text(page.select_one(".section-header__intro")) == "News from the shore."
    assert card_titles(page.select_one("main")) == newest_first(coast)
    assert page.select("nav.pagination") == []


def test_section_hides_unpublished_and_private_articles(client, hidden_articles):
    page = parse(client.get(hidden_articles[0].get_parent().url))
    assert card_titles(page) == []
    assert "No articles yet." in text(page.select_one("main"))


@pytest.fixture
def long_section():
    section = make_section("Coast")
    return section, articles(section, ARTICLES_PER_PAGE + 2)


def test_section_is_paginated(client, long_section):
    section, coast = long_section
    first = parse(client.get(section.url))
    assert card_titles(first.select_one("main")) == newest_first(coast)[:ARTICLES_PER_PAGE]
    nav = first.select_one("nav.pagination")
    assert text(nav.select_one(".pagination__current")) == "Page 1 of 2"
    assert nav.select_one("a[rel=next]")["href"] == "?page=2"
    assert nav.select_one("a[rel=prev]") is None

    second = parse(client.get(section.url, {"page": 2}))
    assert card_titles(second.select_one("main")) == ["Coast 1", "Coast 0"]
    nav = second.select_one("nav.pagination")
    assert text(nav.select_one(".pagination__current")) == "Page 2 of 2"
    assert nav.select_one("a[rel=prev]")["href"] == "?page=1"
    assert nav.select_one("a[rel=next]") is None


def test_section_bad_page_numbers_never_fail(client, long_section):
    section, _coast = long_section
    cases = [("abc", 1), ("999", 2), ("0", 2), ("-1", 2), ("", 1), ("1.5", 1), ("9" * 30, 2)]
    for page_param, shown_page in cases:
        page = parse(client.get(section.url, {"page": page_param}))
        assert text(page.select_one(".pagination__current")) == f"Page {shown_page} of 2", (
            page_param
        )
        assert card_titles(page.select_one("main"))


# Tag page ------------------------------------------------------------------------------


def test_tag_page_lists_tagged_live_articles(client, hidden_articles):
    coast = make_section("Coast")
    city = make_section("City")
    tagged = [
        make_article(coast, title="Tagged older", tags=["Harbour"], publication_date=START),
        make_article(
            city,
            title="Tagged newer",
            tags=["Harbour", "Ferries"],
            publication_date=START.replace(day=2),
        ),
    ]
    make_article(coast, title="Not tagged", tags=["Ferries"])
    page = parse(client.get("/tags/harbour/"))
    assert [" ".join(h.get_text().split()) for h in page.select("h1")] == [
        "Articles tagged “Harbour”"
    ]
    assert card_titles(page.select_one("main")) == newest_first(tagged)
    sections = [text(a) for a in page.select(".card__section a")]
    assert sections == ["City", "Coast"]
    assert_none_listed(page)


def test_tags_differing_only_in_case_share_one_page(client):
    coast = make_section("Coast")
    made = [
        make_article(coast, title="One", tags=["Harbour"], publication_date=START),
        make_article(coast, title="Two", tags=["harbour"], publication_date=START.replace(day=2)),
    ]
    page = parse(client.get("/tags/harbour/"))
    assert card_titles(page.select_one("main")) == newest_first(made)
    assert client.get("/tags/harbour_1/").status_code == 404


def test_unknown_tag_is_not_found(client):
    make_article(tags=["Harbour"])
    assert client.get("/tags/no-such-tag/").status_code == 404


def test_tag_page_is_paginated(client):
    tagged = articles(make_section("Coast"), ARTICLES_PER_PAGE + 1, tags=["Harbour"])
    first = parse(client.get("/tags/harbour/"))
    assert card_titles(first.select_one("main")) == newest_first(tagged)[:ARTICLES_PER_PAGE]
    assert first.select_one("nav.pagination a[rel=next]")["href"] == "?page=2"
    second = parse(client.get("/tags/harbour/", {"page": "2"}))
    assert card_titles(second.select_one("main")) == ["Coast 0"]
    for bad in ("abc", "999", "-3"):
        assert client.get("/tags/harbour/", {"page": bad}).status_code == 200


# Author pages ------------------------------------------------------------------------------


@pytest.fixture
def nia():
    return make_author(
        "Nia Berg",
        role="Science editor",
        short_bio="Nia writes about the sea.",
        long_bio=(
            "<p>Nia has covered <b>marine science</b> since 2009.</p><p>She lives by the"
            ' <a href="https://harbour.example/">harbour</a>.</p>'
        ),
        email="nia.private@example.com",
        portrait=make_image("Nia Berg", width=300, height=300),
        profile_links=[
            ("link", {"service": "mastodon", "url": "https://social.example/@nia"}),
            ("link", {"service": "bluesky", "url": "https://bsky.app/profile/nia.example"}),
        ],
    )


def test_author_page_shows_long_bio_links_and_portrait(client, nia):
    page = parse(client.get("/authors/nia-berg/"))
    assert [text(h) for h in page.select("h1")] == ["Nia Berg"]
    header = page.select_one("header.author-header")
    assert text(header.select_one(".author-header__role")) == "Science editor"
    bio = header.select_one(".author-header__bio")
    assert [text(p) for p in bio.select("p")] == [
        "Nia has covered marine science since 2009.",
        "She lives by the harbour .",
    ]
    assert bio.select_one("a")["href"] == "https://harbour.example/"
    links = header.select(".profile-links a")
    assert [link["href"] for link in links] == [
        "https://social.example/@nia",
        "https://bsky.app/profile/nia.example",
    ]
    assert "me" in links[0]["rel"]
    assert "me" not in links[1]["rel"]
    assert header.select_one("img.portrait").has_attr("alt")
    # The private email address is never published.
    assert "nia.private@example.com" not in page.decode()


def test_author_page_without_long_bio_uses_the_short_bio(client):
    make_author("Ola Short", short_bio="Ola covers the courts.")
    page = parse(client.get("/authors/ola-short/"))
    assert text(page.select_one(".author-header__bio")) == "Ola covers the courts."


def test_author_page_lists_only_their_live_articles(client, nia, hidden_articles):
    other = make_author("Other Writer")
    coast = make_section("Coast")
    solo = make_article(coast, title="Solo piece", authors=[nia], publication_date=START)
    shared = make_article(
        coast, title="Shared piece", authors=[other, nia], publication_date=START.replace(day=3)
    )
    make_article(coast, title="Someone else's piece", authors=[other])
    page = parse(client.get("/authors/nia-berg/"))
    assert text(page.select_one("#author-articles")) == "Articles by Nia Berg"
    assert card_titles(page.select_one("main")) == newest_first([solo, shared])
    assert_none_listed(page)


def test_author_page_is_paginated(client, nia):
    theirs = articles(make_section("Coast"), ARTICLES_PER_PAGE + 1, authors=[nia])
    first = parse(client.get(nia.url))
    assert card_titles(first.select_one("main")) == newest_first(theirs)[:ARTICLES_PER_PAGE]
    second = parse(client.get(nia.url, {"page": 2}))
    assert card_titles(second.select_one("main")) == ["Coast 0"]
    for bad in ("abc", "999", "0"):
        assert client.get(nia.url, {"page": bad}).status_code == 200


def test_unknown_author_is_not_found(client):
    assert client.get("/authors/nobody-here/").status_code == 404


def test_author_list(client, nia):
    make_author("Ada Lamb", role="Court reporter")
    page = parse(client.get("/authors/"))
    assert [text(h) for h in page.select("h1")] == ["Our journalists"]
    names = [(text(a), a["href"]) for a in page.select(".author-box__name a")]
    assert names == [("Ada Lamb", "/authors/ada-lamb/"), ("Nia Berg", "/authors/nia-berg/")]
    roles = [text(p) for p in page.select(".author-box__role")]
    assert roles == ["Court reporter", "Science editor"]
    assert "nia.private@example.com" not in page.decode()
    assert all(img.has_attr("alt") for img in page.find_all("img"))


def test_navigation_lists_public_sections(client):
    make_section("Coast")
    make_private(make_section("Members"))
    page = parse(client.get("/authors/"))
    nav = page.select_one("header nav")
    assert [(text(a), a["href"]) for a in nav.select("a")] == [
        ("Coast", "/coast/"),
        ("Authors", "/authors/"),
    ]


def test_every_listing_page_has_landmarks_ordered_headings_and_alt_text(client):
    author = make_author("Nia Berg", portrait=make_image(width=200, height=200))
    section = make_section("Coast")
    articles(
        section,
        3,
        authors=[author],
        tags=["Harbour"],
        lead_image=make_image(width=300, height=200, description="Waves over the wall"),
    )
    for url in ("/", section.url, "/tags/harbour/", author.url, "/authors/"):
        page = parse(client.get(url))
        assert page.body.find("a")["href"] == "#main", url  # skip link first
        assert len(page.select("main#main")) == 1, url
        assert page.select_one("body > header") and page.select_one("body > footer"), url
        levels = [int(h.name[1]) for h in page.find_all(re.compile(r"^h[1-6]$"))]
        assert levels[0] == 1 and levels.count(1) == 1, (url, levels)
        for previous, current in itertools.pairwise(levels):
            assert current <= previous + 1, (url, levels)
        images = page.find_all("img")
        assert images, url
        assert all(img.has_attr("alt") for img in images), url
