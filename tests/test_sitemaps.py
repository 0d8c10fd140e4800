"""The sitemap index and its sitemaps, the Google News sitemap and robots.txt."""

from datetime import UTC, datetime, timedelta
from xml.etree import ElementTree

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from tests.factories import home_page, make_article, make_author, make_section

pytestmark = pytest.mark.django_db

NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}
NOW = datetime.now(tz=UTC).replace(microsecond=0)


def xml(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    return ElementTree.fromstring(response.content)


def lastmods(root):
    """{loc: lastmod} of a sitemap's URLs."""
    return {
        url.findtext("sm:loc", namespaces=NS): datetime.fromisoformat(
            url.findtext("sm:lastmod", namespaces=NS)
        )
        for url in root.findall("sm:url", NS)
    }


@pytest.fixture
def newsroom():
    world = make_section("World")
    science = make_section("Science")
    ada = make_author("Ada Reporter")
    ben = make_author("Ben Writer")
    fresh = make_article(
        world,
        title="Fresh & new",
        authors=[ada],
        tags=["Climate"],
        publication_date=NOW - timedelta(hours=2),
    )
    yesterday = make_article(
        science,
        title="Yesterday's story",
        authors=[ada, ben],
        publication_date=NOW - timedelta(days=1),
    )
    old = make_article(
        world,
        title="Last week's story",
        authors=[ben],
        tags=["Harbour"],
        publication_date=NOW - timedelta(days=7),
    )
    draft = make_article(world, title="A draft", authors=[ada], tags=["Secret"], publish=False)
    private = make_article(
        world,
        title="Members only",
        authors=[make_author("Hidden Author")],
        tags=["Members"],
        publication_date=NOW - timedelta(hours=1),
    )
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="x")
    return {
        "world": world,
        "science": science,
        "ada": ada,
        "ben": ben,
        "fresh": fresh,
        "yesterday": yesterday,
        "old": old,
        "draft": draft,
        "private": private,
    }


def test_sitemap_xml_is_an_index_of_the_sitemaps_with_lastmod(client, newsroom):
    root = xml(client.get("/sitemap.xml"))

    assert root.tag == f"{{{NS['sm']}}}sitemapindex"
    entries = {
        entry.findtext("sm:loc", namespaces=NS): entry.findtext("sm:lastmod", namespaces=NS)
        for entry in root.findall("sm:sitemap", NS)
    }
    assert set(entries) == {
        "http://testserver/sitemap-pages.xml",
        "http://testserver/sitemap-authors.xml",
        "http://testserver/sitemap-tags.xml",
    }
    assert all(datetime.fromisoformat(lastmod).tzinfo for lastmod in entries.values())
    for location in entries:
        xml(client.get(location.removeprefix("http://testserver")))


def test_pages_sitemap_lists_home_sections_and_live_public_articles(client, newsroom):
    urls = lastmods(xml(client.get("/sitemap-pages.xml")))

    fresh, yesterday, old = newsroom["fresh"], newsroom["yesterday"], newsroom["old"]
    assert set(urls) == {
        "http://testserver/",
        "http://testserver/world/",
        "http://testserver/science/",
        fresh.get_full_url(),
        yesterday.get_full_url(),
        old.get_full_url(),
    }
    assert urls[old.get_full_url()] == old.last_published_at.replace(microsecond=0)
    # A section changes when an article is published in it; the front page with any.
    assert urls["http://testserver/world/"] == max(
        fresh.last_published_at,
        old.last_published_at,  # back-dated, but published later
    ).replace(microsecond=0)
    assert urls["http://testserver/science/"] == yesterday.last_published_at.replace(microsecond=0)
    assert urls["http://testserver/"] == max(urls.values())


def test_author_and_tag_sitemaps_list_pages_with_public_articles(client, newsroom):
    ada, ben = newsroom["ada"], newsroom["ben"]
    authors = lastmods(xml(client.get("/sitemap-authors.xml")))
    tags = lastmods(xml(client.get("/sitemap-tags.xml")))

    assert authors == {
        f"http://testserver/authors/{ada.slug}/": max(
            newsroom["fresh"].last_published_at, newsroom["yesterday"].last_published_at
        ).replace(microsecond=0),
        f"http://testserver/authors/{ben.slug}/": max(
            newsroom["yesterday"].last_published_at, newsroom["old"].last_published_at
        ).replace(microsecond=0),
    }
    assert tags == {
        "http://testserver/tags/climate/": newsroom["fresh"].last_published_at.replace(
            microsecond=0
        ),
        "http://testserver/tags/harbour/": newsroom["old"].last_published_at.replace(microsecond=0),
    }


def test_an_unknown_sitemap_is_404(client, newsroom):
    assert client.get("/sitemap-nothing.xml").status_code == 404


def test_news_sitemap_lists_articles_of_the_last_two_days(client, newsroom):
    root = xml(client.get("/news-sitemap.xml"))

    urls = root.findall("sm:url", NS)
    assert [url.findtext("sm:loc", namespaces=NS) for url in urls] == [
        newsroom["fresh"].get_full_url(),
        newsroom["yesterday"].get_full_url(),
    ]
    news = urls[0].find("news:news", NS)
    assert news.findtext("news:publication/news:name", namespaces=NS) == "The Byline Courier"
    assert news.findtext("news:publication/news:language", namespaces=NS) == "en"
    assert news.findtext("news:title", namespaces=NS) == "Fresh & new"
    published = datetime.fromisoformat(news.findtext("news:publication_date", namespaces=NS))
    assert published == newsroom["fresh"].publication_date


def test_news_sitemap_leaves_out_future_dated_articles(client, newsroom):
    make_article(newsroom["world"], title="Tomorrow", publication_date=NOW + timedelta(days=1))
    root = xml(client.get("/news-sitemap.xml"))
    titles = [t.text for t in root.iterfind("sm:url/news:news/news:title", NS)]
    assert titles == ["Fresh & new", "Yesterday's story"]


def test_robots_txt_points_to_both_sitemaps_and_keeps_crawlers_out_of_the_admin(client):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = [line for line in response.content.decode().splitlines() if line]
    assert lines == [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /django-admin/",
        "Sitemap: http://testserver/sitemap.xml",
        "Sitemap: http://testserver/news-sitemap.xml",
    ]


def test_sitemaps_follow_the_public_address_not_the_site_record(client, newsroom, settings):
    # The Site record routes requests; BYLINE_BASE_URL alone decides the addresses.
    site = home_page().sites_rooted_here.get()
    site.hostname, site.port = "old-name.example", 8000
    site.save()
    settings.BYLINE_BASE_URL = "https://news.example"

    assert "Sitemap: https://news.example/sitemap.xml" in client.get("/robots.txt").content.decode()
    urls = lastmods(xml(client.get("/sitemap-authors.xml")))
    assert urls and all(url.startswith("https://news.example/authors/") for url in urls)
    index = xml(client.get("/sitemap.xml"))
    assert all(
        loc.text.startswith("https://news.example/") for loc in index.iter(f"{{{NS['sm']}}}loc")
    )
    news = xml(client.get("/news-sitemap.xml"))
    assert all(
        loc.text.startswith("https://news.example/") for loc in news.iter(f"{{{NS['sm']}}}loc")
    )
    pages = lastmods(xml(client.get("/sitemap-pages.xml")))
    assert pages and all(url.startswith("https://news.example/") for url in pages)


def test_sitemaps_cost_the_same_queries_whatever_the_content(client, newsroom):
    paths = [
        "/sitemap.xml",
        "/sitemap-pages.xml",
        "/sitemap-authors.xml",
        "/sitemap-tags.xml",
        "/news-sitemap.xml",
    ]

    def count(path):
        client.get(path)  # fills the caches a running site keeps warm (site root paths)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        return len(queries)

    small = {path: count(path) for path in paths}
    authors = [make_author(f"Extra {n}") for n in range(3)]
    for n in range(6):
        make_article(
            newsroom["science"],
            authors=authors,
            tags=[f"more-{n}", "Climate"],
            publication_date=NOW - timedelta(hours=n),
        )
    assert {path: count(path) for path in paths} == small


# What the sitemaps count and date is kept between requests (news.sitemaps._remembered):
# each change below must show at once, page cache or not.


def locations(path, client):
    root = xml(client.get(path))
    return {url.findtext("sm:loc", namespaces=NS) for url in root.findall("sm:url", NS)}


def test_a_published_article_brings_its_new_tag_and_author_at_once(client, newsroom):
    assert "http://testserver/tags/lighthouse/" not in locations("/sitemap-tags.xml", client)
    xml(client.get("/sitemap.xml"))
    cara = make_author("Cara Keeper")

    article = make_article(newsroom["science"], authors=[cara], tags=["Lighthouse"], publish=False)
    assert "http://testserver/tags/lighthouse/" not in locations("/sitemap-tags.xml", client)
    article.save_revision().publish()

    tags = lastmods(xml(client.get("/sitemap-tags.xml")))
    article.refresh_from_db()
    assert tags["http://testserver/tags/lighthouse/"] == article.last_published_at.replace(
        microsecond=0
    )
    assert f"http://testserver/authors/{cara.slug}/" in locations("/sitemap-authors.xml", client)
    assert article.get_full_url() in locations("/sitemap-pages.xml", client)
    index = {
        entry.findtext("sm:loc", namespaces=NS): datetime.fromisoformat(
            entry.findtext("sm:lastmod", namespaces=NS)
        )
        for entry in xml(client.get("/sitemap.xml")).findall("sm:sitemap", NS)
    }
    newest = article.last_published_at.replace(microsecond=0)
    assert index["http://testserver/sitemap-tags.xml"] == newest
    assert index["http://testserver/sitemap-authors.xml"] == newest
    assert index["http://testserver/sitemap-pages.xml"] == newest


def test_an_unpublished_article_takes_its_only_tag_away(client, newsroom):
    assert "http://testserver/tags/harbour/" in locations("/sitemap-tags.xml", client)
    newsroom["old"].unpublish()
    assert "http://testserver/tags/harbour/" not in locations("/sitemap-tags.xml", client)
    assert newsroom["old"].get_full_url() not in locations("/sitemap-pages.xml", client)


def test_a_renamed_tag_and_an_unpublished_author_show_at_once(client, newsroom):
    from taggit.models import Tag

    assert "http://testserver/tags/climate/" in locations("/sitemap-tags.xml", client)
    ada = newsroom["ada"]
    assert f"http://testserver/authors/{ada.slug}/" in locations("/sitemap-authors.xml", client)

    tag = Tag.objects.get(slug="climate")
    tag.slug = "climate-desk"
    tag.save()
    ada.unpublish()

    tags = locations("/sitemap-tags.xml", client)
    assert "http://testserver/tags/climate-desk/" in tags
    assert "http://testserver/tags/climate/" not in tags
    assert f"http://testserver/authors/{ada.slug}/" not in locations("/sitemap-authors.xml", client)


def test_an_author_published_later_joins_the_authors_sitemap(client, newsroom):
    dana = make_author("Dana Draft", live=False)
    make_article(newsroom["world"], authors=[dana])
    assert f"http://testserver/authors/{dana.slug}/" not in locations(
        "/sitemap-authors.xml", client
    )
    dana.save_revision().publish()
    assert f"http://testserver/authors/{dana.slug}/" in locations("/sitemap-authors.xml", client)


def test_an_article_saved_by_a_script_shows_without_a_publish_event(client, newsroom):
    """An import or a script that saves live pages directly sends no publish signal."""
    locations("/sitemap-tags.xml", client)
    article = newsroom["draft"]
    article.live = True
    article.save()
    assert "http://testserver/tags/secret/" in locations("/sitemap-tags.xml", client)
    assert article.get_full_url() in locations("/sitemap-pages.xml", client)


def test_an_article_going_live_on_its_own_schedule_shows_when_its_time_comes(client, newsroom):
    import time_machine

    later = NOW + timedelta(hours=3)
    make_article(newsroom["world"], tags=["Tides"], go_live_at=later)
    assert "http://testserver/tags/tides/" not in locations("/sitemap-tags.xml", client)
    with time_machine.travel(later + timedelta(minutes=1)):
        assert "http://testserver/tags/tides/" in locations("/sitemap-tags.xml", client)


def test_the_kept_index_follows_new_pages_authors_and_tags_at_once(client, newsroom, monkeypatch):
    from news.sitemaps import PagesSitemap

    def index():
        root = xml(client.get("/sitemap.xml"))
        return {
            entry.findtext("sm:loc", namespaces=NS): entry.findtext("sm:lastmod", namespaces=NS)
            for entry in root.findall("sm:sitemap", NS)
        }

    monkeypatch.setattr(PagesSitemap, "limit", 3)
    before = index()
    pages = len([loc for loc in before if "sitemap-pages" in loc])
    author = make_author("Ines Quay")
    # Later than now (NOW is when the module was imported, perhaps minutes ago).
    with time_machine.travel(datetime.now(tz=UTC) + timedelta(minutes=2)):
        make_article(newsroom["world"], title="Ferry back", authors=[author], tags=["ferries"])
        make_article(newsroom["world"], title="Ferry late")
        make_article(newsroom["world"], title="Ferry gone")
        after = index()
    # Three more pages: a new page of the pages sitemap, and newer dates.
    assert len([loc for loc in after if "sitemap-pages" in loc]) == pages + 1
    for name in ("pages", "authors", "tags"):
        location = f"http://testserver/sitemap-{name}.xml"
        assert after[location] > before[location], name


def test_a_kept_sitemap_page_is_made_once_and_follows_slugs_restrictions_and_paging(
    client, newsroom, monkeypatch
):
    """Each sitemap page's XML is kept (news.sitemaps.sitemap_section): asked again it
    loads no page, and a slug changed, a page made private or an article pushed to the
    next page shows at once on each page it touches."""
    from news.sitemaps import PagesSitemap

    monkeypatch.setattr(PagesSitemap, "limit", 4)
    first = locations("/sitemap-pages.xml", client)
    second = locations("/sitemap-pages.xml?p=2", client)
    assert first and second and not first & second
    assert locations("/sitemap-pages.xml?p=02", client) == second
    with CaptureQueriesContext(connection) as queries:
        assert locations("/sitemap-pages.xml", client) == first
    assert not [q for q in queries if "wagtailcore_page" in q["sql"]]

    fresh = newsroom["fresh"]
    old_url = fresh.get_full_url()
    assert old_url in first | second
    fresh.slug = "fresh-and-renamed"
    fresh.save_revision().publish()
    listed = locations("/sitemap-pages.xml", client) | locations("/sitemap-pages.xml?p=2", client)
    assert old_url not in listed
    assert "http://testserver/world/fresh-and-renamed/" in listed

    PageViewRestriction.objects.create(page=newsroom["world"], restriction_type="login")
    listed = locations("/sitemap-pages.xml", client)
    if client.get("/sitemap-pages.xml?p=2").status_code == 200:
        listed |= locations("/sitemap-pages.xml?p=2", client)
    assert listed and not [url for url in listed if "/world/" in url]
    assert client.get("/sitemap-pages.xml?p=9").status_code == 404
    assert client.get("/sitemap-pages.xml?p=two").status_code == 404
