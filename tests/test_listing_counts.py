"""Listings keep their article counts between requests (news.models.pages.counted): the
pagination ("Page 1 of 2") must follow every change at once, whatever made it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from news.models import ArticlePage
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


def test_a_kept_count_saves_the_listing_its_count_query(client, settings, full_page):
    settings.BYLINE_PAGE_CACHE = False
    url = full_page["urls"][0]
    client.get(url)
    with CaptureQueriesContext(connection) as context:
        client.get(url)
    assert not any("COUNT(" in query["sql"].upper() for query in context.captured_queries)
