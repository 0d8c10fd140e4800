"""Query budgets: a reader page costs the same number of SQL queries however much it shows.

Each test renders a page once to warm what is legitimately made on first view (image
renditions, the site-root cache), then counts the queries of a second render and compares a
small page with a large one. The BUDGET ceilings catch a constant cost creeping up unnoticed.
"""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from news.models import ArticlePage
from tests.factories import make_article, make_author, make_image, make_section

pytestmark = pytest.mark.django_db

START = dt.datetime(2024, 5, 1, 9, 0, tzinfo=dt.UTC)

# Ceilings per page type, with the installed plugins enabled. Measured when written: article
# 18 without images (4 of them from the comments plugin), +2 for a lead image and +2 for body
# images (the image and rendition queries); home 16, section 13, tag 10, author 11, list 5.
BUDGET = {"article": 24, "home": 18, "section": 15, "tag": 12, "author": 13, "author_list": 6}


def queries(client, url):
    """SQL statements of a warm render of `url`."""
    assert client.get(url).status_code == 200
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
    small, large = queries(client, one.url), queries(client, six.url)
    assert_same_cost(small, large, BUDGET["article"])
    # The page really shows them all.
    assert client.get(six.url).content.decode().count('class="author-box"') == 6


def test_article_cost_does_not_grow_with_tags(client):
    section = make_section("Coast")
    author = author_with_portrait("Writer One")
    one = make_article(section, authors=[author], tags=["Harbour"])
    eight = make_article(section, authors=[author], tags=[f"Topic {n}" for n in range(8)])
    assert_same_cost(queries(client, one.url), queries(client, eight.url), BUDGET["article"])
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
    assert_same_cost(queries(client, one.url), queries(client, eight.url), BUDGET["article"])
    assert client.get(eight.url).content.decode().count('class="block-image') == 8


def test_article_cost_does_not_grow_with_repeated_image_and_text_blocks(client):
    """The same image used twice, and text blocks, cost nothing extra either."""
    section = make_section("Coast")
    image = small_image()
    few = [("image", {"image": image}), ("paragraph", "<p>One.</p>")]
    many = few * 6 + [("heading", {"text": f"Part {n}", "level": "h2"}) for n in range(6)]
    one = make_article(section, body=few)
    lots = make_article(section, body=many)
    assert_same_cost(queries(client, one.url), queries(client, lots.url), BUDGET["article"])


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
    assert_same_cost(queries(client, one.url), queries(client, eight.url), BUDGET["article"])
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
    assert client.get("/authors/").content.decode().count('class="author-box"') == 15
