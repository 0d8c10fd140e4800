"""Query budgets: a listing of 20 articles with every field, and a detail, cost a
fixed number of SQL queries in both API versions, whatever the articles hold.

The same 20 articles are measured twice: with one author, tag and image block
each, then with three of each plus links to other articles in their text.
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from taggit.models import Tag

from cms.page_cache.store import purge
from news.models import ArticleAuthor, ArticlePage, ArticlePageTag
from tests.api_support import block, full_body, page_link, rich_author, small_image
from tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def steady_content_stamps(monkeypatch):
    """The HTTP cache's content stamps (cms.http_cache: a few aggregate queries) are
    recomputed once a minute; on a slow machine a measured request could land on that
    minute's end and count them. The budgets are about rendering: keep them for the test."""
    from cms import http_cache

    monkeypatch.setattr(http_cache, "TRUST_FOR", 3600)


LISTINGS = {
    "v2 listing": "/api/v2/pages/?type=news.ArticlePage&fields=*&limit=20",
    "v2 articles": "/api/v2/articles/?fields=*&limit=20",
    "v3 listing": "/api/v3/articles/?limit=20",
}
DETAILS = {"v2 detail": "/api/v2/pages/{pk}/", "v3 detail": "/api/v3/pages/{pk}/"}
#: Issue 12 asks for at most 12, with a body holding every block type and page links in
#: the text and the bios: the lead image joins the article's own query
#: (``cms.api.specific``), each batch of links is one query, and the sections and the
#: view-restricted paths come from the shared lookups (``cms.shared_lookups``) while
#: they do not change. A change that adds queries per article breaks the equality below
#: first.
BUDGET = dict.fromkeys([*LISTINGS, *DETAILS], 12)


def count_queries(client, url):
    client.get(url)  # renditions are made on first use; measure the steady state
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return len(queries), response


def measure(client, article):
    urls = {**LISTINGS, **{name: url.format(pk=article.pk) for name, url in DETAILS.items()}}
    counts, sizes = {}, {}
    for name, url in urls.items():
        counts[name], response = count_queries(client, url)
        sizes[name] = len(response.content)
    return counts, sizes


def thicken(articles, pool):
    """Three authors (linking in their bios), tags and image blocks per article, more links."""
    extra_authors = [rich_author(f"Extra {n}", long_bio=page_link(articles[n])) for n in range(2)]
    ArticleAuthor.objects.bulk_create(
        ArticleAuthor(page=article, author=author, sort_order=position)
        for article in articles
        for position, author in enumerate(extra_authors, start=1)
    )
    tags = [Tag.objects.create(name=f"extra {n}", slug=f"extra-{n}") for n in range(2)]
    ArticlePageTag.objects.bulk_create(
        ArticlePageTag(content_object=article, tag=tag) for article in articles for tag in tags
    )
    for index, article in enumerate(articles):
        others = [articles[(index + step) % len(articles)] for step in (1, 2, 3)]
        body = full_body(images=pool[:3], related=others[0])
        body += [block("related_article", {"article": other.pk, "label": ""}) for other in others]
        body += [block("paragraph", page_link(other)) for other in others]
        ArticlePage.objects.filter(pk=article.pk).update(body=body)
    # Written in bulk, with no signal: purge what readers were shown, as a script that
    # writes this way must (cms.shared_lookups), or the kept API representations
    # (cms.kept_fragments.keep) would be served until the staleness bound.
    purge(*(f"page:{article.pk}" for article in articles))


def test_article_listing_and_detail_cost_a_fixed_number_of_queries(client):
    section = make_section("World", slug="world")
    pool = [small_image(f"Pool {n}") for n in range(4)]
    earlier = make_article(section, title="Earlier story")
    author = rich_author("Ada Reporter", long_bio=page_link(earlier))
    # One block of every type and one page link in the text.
    body = full_body(images=pool[:1], related=earlier) + [block("paragraph", page_link(earlier))]
    articles = [
        make_article(
            section,
            title=f"Story {n}",
            authors=[author],
            tags=["news"],
            body=body,
            lead_image=pool[n % len(pool)],
        )
        for n in range(20)
    ]
    sparse, sparse_sizes = measure(client, articles[0])

    thicken(articles, pool)
    dense, dense_sizes = measure(client, articles[0])

    assert dense == sparse
    over = {name: count for name, count in dense.items() if count > BUDGET[name]}
    assert not over, f"over budget: {over} (all: {dense})"
    for name in dense:
        # The dense responses really hold more.
        assert dense_sizes[name] > sparse_sizes[name], name
    listing = client.get(LISTINGS["v3 listing"]).json()
    assert listing["count"] == 21 and len(listing["items"]) == 20
    assert len(listing["items"][0]["authors"]) == 3 and len(listing["items"][0]["tags"]) == 3


def test_author_and_tag_listings_cost_a_fixed_number_of_queries(client):
    section = make_section("World", slug="world")
    authors = [rich_author(f"Author {n}") for n in range(6)]
    for n in range(6):
        make_article(section, authors=authors[: n + 1], tags=[f"tag {t}" for t in range(n + 1)])
    for url in ["/api/v2/authors/", "/api/v3/authors/", "/api/v2/tags/", "/api/v3/tags/"]:
        few, _ = count_queries(client, url + "?limit=1")
        many, _ = count_queries(client, url + "?limit=6")
        assert few == many <= 6, (url, few, many)


def test_image_listings_cost_a_fixed_number_of_queries(client):
    section = make_section("World", slug="world")
    images = [small_image(f"Image {n}") for n in range(6)]
    for image in images:
        make_article(section, lead_image=image)
    for url in ["/api/v2/images/", "/api/v3/images/"]:
        few, _ = count_queries(client, url + "?limit=1")
        many, _ = count_queries(client, url + "?limit=6")
        assert few == many <= 10, (url, few, many)


@pytest.mark.parametrize(
    "url",
    [
        "/api/v2/pages/?type=news.ArticlePage&limit=2",
        "/api/v3/pages/?type=news.ArticlePage&limit=2",
        "/api/v3/articles/?limit=2",
    ],
)
def test_page_listings_filter_the_public_pages_in_place(client, url):
    """Not ``id IN (SELECT id FROM every public page)``, which SQLite answers by reading
    every public page before the first of a page of results (24 ms at 10,000 articles)."""
    section = make_section("World")
    for n in range(3):
        make_article(section, title=f"Story {n}")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    data = response.json()
    assert [item["title"] for item in data["items"]] in (
        ["Story 0", "Story 1"],
        ["Story 2", "Story 1"],
    )
    listing = [q["sql"] for q in queries.captured_queries if "LIMIT 2" in q["sql"]]
    every_public_page = re.compile(r'IN \(SELECT \w+\."id" AS "pk" FROM "wagtailcore_page"')
    assert listing and not any(every_public_page.search(sql) for sql in listing)
