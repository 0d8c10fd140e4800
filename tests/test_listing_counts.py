"""Listings keep their article ids between requests (news.models.pages.listed): the
pagination ("Page 1 of 2") and what each page holds must follow every change at once,
whatever made it, and a deep page must read its articles by key, not skip to them."""

from datetime import timedelta

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from taggit.models import Tag

from news.models import ArticleAuthor, ArticlePage, ArticlePageTag
from news.models.pages import ARTICLES_PER_PAGE
from tests.factories import make_article, make_author, make_section

pytestmark = pytest.mark.django_db


def pages_of(client, url):
    html = client.get(url).content.decode()
    if "pagination__current" not in html:
        return 1
    return int(html.split("pagination__current")[1].split(" of ")[1].split("<")[0])


@pytest.fixture
def full_page():
    """A section, a tag and an author with exactly one page of articles."""
    section = make_section("Harbour")
    author = make_author("Rhea Pilot")
    articles = [
        make_article(section, title=f"Tide table {n}", authors=[author], tags=["tides"])
        for n in range(ARTICLES_PER_PAGE)
    ]
    urls = [section.url, "/tags/tides/", f"/authors/{author.slug}/"]
    return {"section": section, "author": author, "articles": articles, "urls": urls}


def test_a_published_article_adds_a_page_and_an_unpublished_one_takes_it_away(client, full_page):
    assert [pages_of(client, url) for url in full_page["urls"]] == [1, 1, 1]
    extra = make_article(
        full_page["section"], title="One more", authors=[full_page["author"]], tags=["tides"]
    )
    assert [pages_of(client, url) for url in full_page["urls"]] == [2, 2, 2]
    extra.unpublish()
    assert [pages_of(client, url) for url in full_page["urls"]] == [1, 1, 1]


def test_an_article_losing_its_tag_and_byline_leaves_those_listings_at_once(client, full_page):
    extra = make_article(
        full_page["section"], title="One more", authors=[full_page["author"]], tags=["tides"]
    )
    assert [pages_of(client, url) for url in full_page["urls"]] == [2, 2, 2]
    # Published again without the tag and the author: neither listing is named by the
    # publication, yet both counts drop.
    article = ArticlePage.objects.get(pk=extra.pk)
    article.tags.clear()
    article.article_authors.clear()
    article.save_revision().publish()
    assert [pages_of(client, url) for url in full_page["urls"]] == [2, 1, 1]


def test_an_article_saved_live_by_a_script_counts_at_once(client, full_page):
    draft = make_article(full_page["section"], title="Imported", publish=False)
    assert pages_of(client, full_page["urls"][0]) == 1
    draft.live = True
    draft.save()
    assert pages_of(client, full_page["urls"][0]) == 2


@pytest.mark.parametrize("page_cache", [False, True])
def test_an_article_taken_off_the_site_by_a_script_leaves_at_once(client, settings, page_cache):
    """Saved as not live without an unpublish event: its listings, their kept runs of
    cards and the stored pages showing it follow at once (cms.shared_lookups.page_saved)."""
    settings.BYLINE_PAGE_CACHE = page_cache
    section = make_section("Quays")
    gone = make_article(section, title="Quay notice withdrawn", tags=["tides"])
    make_article(section, title="Quay notice kept", tags=["tides"])
    urls = [section.url, "/tags/tides/", "/"]
    for url in urls:
        titles_on(client, url)
        assert "Quay notice withdrawn" in titles_on(client, url), url
    article = ArticlePage.objects.get(pk=gone.pk)
    article.live = False
    article.save()
    for url in urls:
        assert titles_on(client, url)[0] == "Quay notice kept", url
        assert "Quay notice withdrawn" not in titles_on(client, url), url


def test_a_kept_count_saves_the_listing_its_count_query(client, settings, full_page):
    settings.BYLINE_PAGE_CACHE = False
    url = full_page["urls"][0]
    client.get(url)
    with CaptureQueriesContext(connection) as context:
        client.get(url)
    assert not any("COUNT(" in query["sql"].upper() for query in context.captured_queries)


def titles_on(client, url):
    page = BeautifulSoup(client.get(url).content, "html.parser")
    return [link.get_text(strip=True) for link in page.select("article.card .card__title a")]


@pytest.fixture
def three_pages():
    """A section with two and a half pages of articles, a day apart, newest last made."""
    section = make_section("Quays")
    start = timezone.now() - timedelta(days=40)
    articles = [
        make_article(section, title=f"Quay notice {n}", publication_date=start + timedelta(days=n))
        for n in range(ARTICLES_PER_PAGE * 2 + 6)
    ]
    return section, articles


def test_a_deep_page_reads_its_articles_by_key(client, settings, three_pages):
    settings.BYLINE_PAGE_CACHE = False
    section, articles = three_pages
    url = f"{section.url}?page=3"
    client.get(section.url)  # the listing's ids kept; page 3's cards are not
    with CaptureQueriesContext(connection) as context:
        titles = titles_on(client, url)
    # The oldest six, newest first.
    assert titles == [f"Quay notice {n}" for n in range(5, -1, -1)]
    sql = " ".join(query["sql"].upper() for query in context.captured_queries)
    assert "OFFSET" not in sql and "COUNT(" not in sql
    listing = [q["sql"] for q in context.captured_queries if '"news_articlepage"' in q["sql"]]
    assert listing and all(" IN (" in query for query in listing)


def cards_of(client, url):
    page = BeautifulSoup(client.get(url).content, "html.parser")
    return [
        " ".join(card.get_text(" ", strip=True).split()) for card in page.select("article.card")
    ]


def test_a_kept_run_of_cards_reads_no_article_and_follows_what_its_cards_show(
    client, settings, full_page
):
    """A page of a kept listing keeps its run of cards by the listing's ids and their
    making (news.models.pages.cards_named): asked again, no article or byline is read;
    an article saved live by a script, a section saved and an author saved (none of them
    published) show at once on the section, the tag and the author page."""
    settings.BYLINE_PAGE_CACHE = False
    section, author, urls = full_page["section"], full_page["author"], full_page["urls"]
    before = {url: cards_of(client, url) for url in urls}
    for url in urls:
        with CaptureQueriesContext(connection) as kept:
            assert cards_of(client, url) == before[url]
        sql = "\n".join(query["sql"] for query in kept.captured_queries)
        assert '"news_articlepage"' not in sql and '"news_articleauthor"' not in sql, url
        assert len(before[url]) == ARTICLES_PER_PAGE

    article = ArticlePage.objects.get(pk=full_page["articles"][-1].pk)
    article.title = "Tide table rewritten by a script"
    article.save()
    for url in urls:
        assert "Tide table rewritten by a script" in cards_of(client, url)[0], url

    section.title = "Harbour and Quays"
    section.save()
    tag_cards = cards_of(client, "/tags/tides/")
    assert all(card.startswith("Harbour and Quays ") for card in tag_cards), tag_cards[:2]

    author.name = "Rhea Harbourmaster"
    author.save()
    for url in urls:
        assert all("By Rhea Harbourmaster" in card for card in cards_of(client, url)), url


def test_every_page_follows_a_publication_and_an_unpublication(client, three_pages):
    section, articles = three_pages
    page_two = f"{section.url}?page=2"
    before = titles_on(client, page_two)
    assert before[0] == "Quay notice 17"
    newest = make_article(section, title="Quay notice new")
    assert titles_on(client, section.url)[0] == "Quay notice new"
    assert titles_on(client, page_two) == ["Quay notice 18", *before[:-1]]
    newest.unpublish()
    articles[-1].unpublish()
    assert titles_on(client, page_two) == [*before[1:], "Quay notice 5"]


def test_an_article_dated_later_joins_the_listing_when_its_time_comes(client, three_pages):
    section, articles = three_pages
    later = timezone.now() + timedelta(hours=2)
    make_article(section, title="Tomorrow's tide", publication_date=later)
    assert "Tomorrow's tide" not in titles_on(client, section.url)
    with time_machine.travel(later + timedelta(minutes=1)):
        assert titles_on(client, section.url)[0] == "Tomorrow's tide"


def test_a_front_page_of_kept_cards_loads_no_author_image_or_rendition(client, settings):
    from tests.factories import make_image

    settings.BYLINE_PAGE_CACHE = False
    section = make_section("Quays")
    author = make_author("Rhea Pilot")
    for n in range(6):
        make_article(section, title=f"Quay notice {n}", authors=[author], lead_image=make_image())
    first = client.get("/").content
    with CaptureQueriesContext(connection) as kept:
        again = client.get("/").content
    assert again == first
    sql = "\n".join(query["sql"] for query in kept.captured_queries)
    # The cards were kept: their authors, images and renditions were never needed.
    assert '"authors_author"' not in sql and '"news_newsrendition"' not in sql
    assert '"news_newsimage"' not in sql
    assert "Rhea Pilot" in again.decode()


def test_a_section_of_made_cards_loads_its_images_together_and_follows_them(client, settings):
    """Listing rows leave the lead images out (news.models.pages.listing_rows): cards made
    afresh load every image of the page in one query; a kept card is filed under its
    image's key, so a new alt text shows at once."""
    from tests.factories import make_image

    settings.BYLINE_PAGE_CACHE = False
    section = make_section("Slipways")
    images = [make_image() for _ in range(4)]
    for n, image in enumerate(images):
        make_article(
            section, title=f"Slipway {n}", lead_image=image, lead_image_alt=f"Slipway view {n}"
        )
    with CaptureQueriesContext(connection) as made:
        first = client.get(section.url).content.decode()
    image_queries = [q for q in made.captured_queries if '"news_newsimage"' in q["sql"]]
    assert len(image_queries) == 1
    assert all(f"Slipway view {n}" in first for n in range(4))
    with CaptureQueriesContext(connection) as kept:
        assert client.get(section.url).content.decode() == first
    assert not [q for q in kept.captured_queries if '"news_newsimage"' in q["sql"]]

    # Saved in the library: the card showing it is made again (its image loaded again).
    images[2].title = "Renamed in the library"
    images[2].save()
    with CaptureQueriesContext(connection) as remade:
        client.get(section.url)
    assert [q for q in remade.captured_queries if '"news_newsimage"' in q["sql"]]
    article = section.get_children().specific().get(title="Slipway 2")
    article.lead_image_alt = "A slipway at dawn"
    article.save_revision().publish()
    assert "A slipway at dawn" in client.get(section.url).content.decode()


def test_the_front_page_follows_articles_and_sections_at_once(client):
    def front():
        page = BeautifulSoup(client.get("/").content, "html.parser")
        cards = [a.get_text(strip=True) for a in page.select("article.card .card__title a")]
        blocks = [b.select_one("h2").get_text(strip=True) for b in page.select(".front-section")]
        return cards, blocks

    quays, docks = make_section("Quays"), make_section("Docks")
    make_article(quays, title="Quay notice")
    make_article(docks, title="Dock notice")
    cards, blocks = front()
    assert {"Quay notice", "Dock notice"} <= set(cards) and blocks == ["Quays", "Docks"]
    later = timezone.now() + timedelta(minutes=3)
    make_article(quays, title="Tide notice", publication_date=later)
    assert "Tide notice" not in front()[0]
    with time_machine.travel(later + timedelta(minutes=1)):
        assert "Tide notice" in front()[0]
    docks.unpublish()
    assert front()[1] == ["Quays"]
    docks.save_revision().publish()
    assert front()[1] == ["Quays", "Docks"]
    make_article(quays, title="Ferry notice")
    assert "Ferry notice" in front()[0]


def test_a_kept_front_page_reads_no_article_and_follows_saves_without_publication(client, settings):
    """The front page is kept as one fragment named by its kept ids' making
    (home.models.FrontPage): asked again, it reads no article; an article saved live by a
    script, a section saved, the home page's tagline saved and its lead story chosen (none
    of them published) show at once."""
    from home.models import HomePage

    settings.BYLINE_PAGE_CACHE = False
    quays = make_section("Quays")
    author = make_author("Rhea Pilot")
    notices = [make_article(quays, title=f"Quay notice {n}", authors=[author]) for n in range(3)]
    first = client.get("/").content
    with CaptureQueriesContext(connection) as kept:
        assert client.get("/").content == first
    sql = "\n".join(query["sql"] for query in kept.captured_queries)
    assert '"news_articlepage"' not in sql and '"news_articleauthor"' not in sql

    article = ArticlePage.objects.get(pk=notices[0].pk)
    article.title = "Quay notice rewritten by a script"
    article.save()
    assert "Quay notice rewritten by a script" in client.get("/").content.decode()

    quays.title = "Quays and Slipways"
    quays.save()
    page = BeautifulSoup(client.get("/").content, "html.parser")
    assert [b.select_one("h2").get_text(strip=True) for b in page.select(".front-section")] == [
        "Quays and Slipways"
    ]

    home = HomePage.objects.get()
    home.tagline = "News from the harbour"
    home.lead_story_id = notices[1].pk
    home.save()
    page = BeautifulSoup(client.get("/").content, "html.parser")
    assert page.select_one(".tagline").get_text() == "News from the harbour"
    lead = page.select_one(".front-lead .card__title").get_text(strip=True)
    assert lead == "Quay notice 1"


def test_articles_inserted_in_bulk_join_the_listings_they_were_seen_without(client):
    """Seeding inserts articles without publication signals (news/demo/bulk.py): it purges
    the listings they join, with their kept ids and counts, once per batch."""
    from news.demo.bulk import insert_live_articles

    section = make_section("Quays")
    author = make_author("Rhea Pilot")
    make_article(section, title="Quay notice", authors=[author], tags=["tides"])
    urls = [section.url, "/tags/tides/", f"/authors/{author.slug}/", "/"]
    assert all("Bulk notice" not in titles_on(client, url) for url in urls)
    draft = ArticlePage(
        title="Bulk notice",
        slug="bulk-notice",
        standfirst="Inserted in bulk.",
        publication_date=timezone.now(),
        article_authors=[ArticleAuthor(author=author, sort_order=0)],
        tagged_items=[ArticlePageTag(tag=Tag.objects.get(slug="tides"))],
    )
    insert_live_articles(section, [draft])
    assert all("Bulk notice" in titles_on(client, url) for url in urls)


def test_a_kept_page_whose_articles_all_left_since_says_there_are_none():
    """A page of kept ids is shown without reading its rows until its run of cards is
    made: if every one of them has left since (a change whose purge is still on its
    way), the run says so rather than showing an empty list."""
    from django.core.paginator import Paginator
    from django.template.loader import render_to_string

    from cms.kept_counts import KeptRows

    page = Paginator([None, None], ARTICLES_PER_PAGE).page(1)
    page.object_list = KeptRows([101, 102], lambda ids: [], "made")
    assert page.object_list  # two ids kept
    html = render_to_string("components/article_list.html", {"items": page})
    assert "No articles yet." in html and "<ol" not in html
