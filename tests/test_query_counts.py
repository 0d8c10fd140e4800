"""Query budgets: a reader page costs the same number of SQL queries however much it shows.

Each test renders a page once to warm what is legitimately made on first view (image
renditions, the site-root cache and the shared lookups of ``cms.shared_lookups``: the Site,
site settings and the menu), then counts the queries of a second render and compares a
small page with a large one. The page cache is off here (``no_page_cache``): what is
budgeted is the cost of a miss.

Issue 12 asks for at most 12 queries on every page (ISSUE_BUDGET); every page meets it, and
the BUDGET entries below it catch a constant cost creeping up unnoticed.
"""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cms.page_cache import store
from news.models import ArticlePage
from tests.comment_support import make_comment
from tests.factories import make_article, make_author, make_image, make_section

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def steady_content_stamps(monkeypatch):
    """The HTTP cache's content stamps (cms.http_cache: a few aggregate queries) are
    recomputed once a minute; on a slow machine a measured request could land on that
    minute's end and count them. The budgets are about rendering: keep them for the test."""
    from cms import http_cache

    monkeypatch.setattr(http_cache, "TRUST_FOR", 3600)


@pytest.fixture(autouse=True)
def no_page_cache(settings):
    settings.BYLINE_PAGE_CACHE = False


START = dt.datetime(2024, 5, 1, 9, 0, tzinfo=dt.UTC)

ISSUE_BUDGET = 12
# Ceilings per page type, with the installed plugins enabled: the issue's 12 everywhere but
# the author list, which costs far less. Measured when written (article page with a lead
# image, body images, comments, corrections and related articles): article 11, home 10,
# section 8, tag 6, author 7; the article page was 24 before the shared lookups and the
# batched image loading (news/article_loading.py).
BUDGET = {
    **{
        page: ISSUE_BUDGET
        for page in (
            "article",
            "home",
            "section",
            "tag",
            "author",
            "search",
            "feed",
            "section_feed",
            "tag_feed",
            "author_feed",
            "sitemap_index",
            "sitemap_pages",
            "sitemap_authors",
            "sitemap_tags",
            "news_sitemap",
        )
    },
    "author_list": 6,
}


def queries(client, url, made=None):
    """SQL statements of a warm render of `url`; with `made` (a page, or a surrogate key),
    of its answer made afresh (what is kept under the page's key or that key purged, as a
    publication would) with everything else warm."""
    assert client.get(url).status_code == 200
    if made is not None:
        store.purge(made if isinstance(made, str) else f"page:{made.pk}")
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return [query["sql"] for query in context.captured_queries]


def assert_same_cost(small, large, budget, label="page"):
    detail = "\n".join(
        ["-- small:", *(q[:160] for q in small), "-- large:", *(q[:160] for q in large)]
    )
    assert len(small) == len(large), f"{label}: {len(small)} vs {len(large)} queries\n{detail}"
    assert len(large) <= budget, f"{label}: {len(large)} queries, budget {budget}\n{detail}"


def author_with_portrait(name):
    return make_author(
        name,
        portrait=make_image(name, width=48, height=48),
        profile_links=[
            ("link", {"service": "mastodon", "url": f"https://social.example/@{name.split()[0]}"})
        ],
    )


def small_image():
    # Tiny sources keep rendition generation fast; the query pattern does not depend on size.
    return make_image(width=48, height=32)


# The article page -----------------------------------------------------------------


def test_article_cost_does_not_grow_with_authors(client):
    section = make_section("Coast")
    authors = [author_with_portrait(f"Writer {n}") for n in range(6)]
    one = make_article(section, authors=authors[:1], lead_image=small_image(), tags=["Harbour"])
    six = make_article(section, authors=authors, lead_image=small_image(), tags=["Harbour"])
    small, large = queries(client, one.url, made=one), queries(client, six.url, made=six)
    assert_same_cost(small, large, BUDGET["article"])
    # The page really shows them all.
    assert client.get(six.url).content.decode().count('class="author-box h-card"') == 6


def test_article_cost_does_not_grow_with_tags(client):
    section = make_section("Coast")
    author = author_with_portrait("Writer One")
    one = make_article(section, authors=[author], tags=["Harbour"])
    eight = make_article(section, authors=[author], tags=[f"Topic {n}" for n in range(8)])
    small, large = queries(client, one.url, made=one), queries(client, eight.url, made=eight)
    assert_same_cost(small, large, BUDGET["article"])
    assert client.get(eight.url).content.decode().count('rel="tag"') == 8


def test_article_cost_does_not_grow_with_image_blocks(client):
    section = make_section("Coast")
    author = author_with_portrait("Writer One")

    def images(count):
        return [
            ("image", {"image": small_image(), "caption": f"Picture {n}", "alignment": "full"})
            for n in range(count)
        ]

    one = make_article(section, authors=[author], body=images(1), lead_image=small_image())
    eight = make_article(section, authors=[author], body=images(8), lead_image=small_image())
    small, large = queries(client, one.url, made=one), queries(client, eight.url, made=eight)
    assert_same_cost(small, large, BUDGET["article"])
    assert client.get(eight.url).content.decode().count('class="block-image') == 8


def test_article_cost_does_not_grow_with_repeated_image_and_text_blocks(client):
    """The same image used twice, and text blocks, cost nothing extra either."""
    section = make_section("Coast")
    image = small_image()
    few = [("image", {"image": image}), ("paragraph", "<p>One.</p>")]
    many = few * 6 + [("heading", {"text": f"Part {n}", "level": "h2"}) for n in range(6)]
    one = make_article(section, body=few)
    lots = make_article(section, body=many)
    small, large = queries(client, one.url, made=one), queries(client, lots.url, made=lots)
    assert_same_cost(small, large, BUDGET["article"])


def test_article_cost_does_not_grow_with_internal_links_in_paragraphs(client):
    section = make_section("Coast")
    targets = [make_article(section, title=f"Background {n}") for n in range(8)]

    def paragraphs(count):
        return [
            ("paragraph", f'<p>See <a linktype="page" id="{page.pk}">the background</a>.</p>')
            for page in targets[:count]
        ]

    one = make_article(section, body=paragraphs(1))
    eight = make_article(section, body=paragraphs(8))
    small, large = queries(client, one.url, made=one), queries(client, eight.url, made=eight)
    assert_same_cost(small, large, BUDGET["article"])
    html = client.get(eight.url).content.decode()
    assert all(f'href="{page.url}"' in html for page in targets)


# Listing pages ----------------------------------------------------------------------


@pytest.fixture
def newsroom():
    """A section, a tag and an author whose listings grow from 3 to 15 articles."""
    section = make_section("Coast")
    make_section("City")  # a second section for the home page's blocks and the menu
    writers = [author_with_portrait(f"Writer {n}") for n in range(3)]
    # A few lead images shared between articles: an N+1 on images or renditions would
    # still show (Django has no identity map), and fewer renditions keep the test fast.
    lead_images = [small_image() for _ in range(3)]
    made = []

    def add(count):
        for _ in range(count):
            n = len(made)
            made.append(
                make_article(
                    section,
                    title=f"Story {n}",
                    publication_date=START + dt.timedelta(hours=n),
                    authors=[writers[0], writers[1 + n % 2]],
                    tags=["Harbour", f"Topic {n}"],
                    lead_image=lead_images[n % 3],
                    publish=False,
                )
            )
        ArticlePage.objects.filter(pk__in=[page.pk for page in made]).update(live=True)

    return {"section": section, "author": writers[0], "add": add}


def test_listing_pages_cost_does_not_grow_with_articles(client, newsroom):
    urls = {
        "home": "/",
        "section": newsroom["section"].url,
        "tag": "/tags/harbour/",
        "author": newsroom["author"].url,
    }
    newsroom["add"](3)
    small = {page_type: queries(client, url) for page_type, url in urls.items()}
    newsroom["add"](12)
    large = {page_type: queries(client, url) for page_type, url in urls.items()}
    for page_type, url in urls.items():
        assert_same_cost(small[page_type], large[page_type], BUDGET[page_type], page_type)
        # The larger listing really shows more cards.
        assert client.get(url).content.decode().count('class="card') > 3, page_type


def test_author_list_cost_does_not_grow_with_authors(client):
    for n in range(3):
        author_with_portrait(f"Writer {n}")
    small = queries(client, "/authors/")
    for n in range(3, 15):
        author_with_portrait(f"Writer {n}")
    large = queries(client, "/authors/")
    assert_same_cost(small, large, BUDGET["author_list"])
    assert client.get("/authors/").content.decode().count('class="author-box h-card"') == 15


def test_article_cost_does_not_grow_with_comments(client):
    section = make_section("Coast")
    author = author_with_portrait("Writer One")
    quiet = make_article(section, authors=[author], tags=["Harbour"])
    busy = make_article(section, authors=[author], tags=["Harbour"])
    make_comment(quiet)
    for n in range(8):
        parent = make_comment(busy, author_name=f"Reader {n}")
        make_comment(busy, parent=parent, author_name=f"Replier {n}")
    small, large = queries(client, quiet.url, made=quiet), queries(client, busy.url, made=busy)
    assert_same_cost(small, large, BUDGET["article"])
    assert "Replier 7" in client.get(busy.url).content.decode()


def test_search_feeds_and_sitemaps_cost_does_not_grow_with_articles(client, newsroom):
    section, author = newsroom["section"], newsroom["author"]
    urls = {
        "search": "/search/?q=story",
        "feed": "/feed/",
        "section_feed": f"/sections/{section.slug}/feed/",
        "tag_feed": "/tags/harbour/feed/",
        "author_feed": f"/authors/{author.slug}/feed/",
        "sitemap_index": "/sitemap.xml",
        "sitemap_pages": "/sitemap-pages.xml",
        "sitemap_authors": "/sitemap-authors.xml",
        "sitemap_tags": "/sitemap-tags.xml",
        "news_sitemap": "/news-sitemap.xml",
    }
    # Measured made afresh: kept, a search, a feed or a sitemap reads no article at all.
    kept_under = {name: "feeds" if "feed" in name else "sitemaps" for name in urls}
    kept_under["search"] = "search"
    newsroom["add"](3)
    small = {name: queries(client, url, made=kept_under[name]) for name, url in urls.items()}
    sizes = {name: len(client.get(url).content) for name, url in urls.items()}
    newsroom["add"](12)
    large = {name: queries(client, url, made=kept_under[name]) for name, url in urls.items()}
    for name in urls:
        assert_same_cost(small[name], large[name], BUDGET[name], name)
    grown = {name for name, url in urls.items() if len(client.get(url).content) > sizes[name]}
    # Everything that lists articles lists more of them now (the news sitemap only lists
    # the last two days, and the author and tag sitemaps list the same few pages).
    assert grown >= set(urls) - {"news_sitemap", "sitemap_authors", "sitemap_index"}, grown
