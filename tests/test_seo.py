"""Head metadata: title, description, canonical URL, OpenGraph, Twitter card, JSON-LD."""

import json
from html.parser import HTMLParser

import pytest
from django.contrib.staticfiles import finders
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image as PILImage
from taggit.models import Tag

from cms.page_cache import store
from news.dates import machine_datetime
from news.models import ArticleAuthor, ArticlePage, ArticlePageTag
from news.seo import LOGO_SIZE, LOGO_STATIC_PATH
from tests.factories import home_page, make_article, make_author, make_image, make_section

pytestmark = pytest.mark.django_db

SITE = "http://testserver"  # BYLINE_BASE_URL in cms.settings.test


class HeadParser(HTMLParser):
    """Collects the head's title, meta tags, canonical link and JSON-LD scripts."""

    def __init__(self):
        super().__init__()
        self.title = ""
        self.meta = {}
        self.links = {}
        self.json_ld = []
        self._in = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and ("property" in attrs or "name" in attrs):
            key = attrs.get("property") or attrs.get("name")
            self.meta.setdefault(key, []).append(attrs.get("content"))
        elif tag == "link" and attrs.get("rel"):
            self.links.setdefault(attrs["rel"], []).append(attrs.get("href"))
        elif tag == "title" or (tag == "script" and attrs.get("type") == "application/ld+json"):
            self._in = tag
            self._text = ""

    def handle_data(self, data):
        if self._in:
            self._text += data

    def handle_endtag(self, tag):
        if tag == self._in == "title":
            self.title = self._text
        elif tag == self._in == "script":
            self.json_ld.append(json.loads(self._text))
        if tag == self._in:
            self._in = None

    def one(self, key):
        values = self.meta.get(key, [])
        assert len(values) == 1, f"{key}: {values}"
        return values[0]

    def by_type(self, schema_type):
        found = [data for data in self.json_ld if data.get("@type") == schema_type]
        assert len(found) == 1, f"{schema_type}: {self.json_ld}"
        return found[0]


def head_of(client, url):
    response = client.get(url)
    assert response.status_code == 200
    parser = HeadParser()
    parser.feed(response.content.decode())
    return parser


@pytest.fixture
def story():
    section = make_section("Politics", introduction="Votes, councils and campaigns.")
    author = make_author(
        "Ada Quill",
        role="Political editor",
        profile_links=[
            ("link", {"service": "mastodon", "url": "https://social.example/@ada"}),
            ("link", {"service": "website", "url": "https://ada.example/"}),
        ],
    )
    co_author = make_author("Ben Ledger", profile_links=[])
    article = make_article(
        section,
        title="Harbour dredging plan approved",
        standfirst="The board voted seven to two on Tuesday night.",
        authors=[author, co_author],
        tags=["harbour", "council"],
        lead_image=make_image("Dredger at work", description="A dredger in the harbour mouth"),
    )
    return {"section": section, "author": author, "co_author": co_author, "article": article}


def test_article_title_description_and_canonical_fall_back_to_content(client, story):
    head = head_of(client, story["article"].url)
    assert head.title == "Harbour dredging plan approved | The Byline Courier"
    assert head.one("description") == "The board voted seven to two on Tuesday night."
    assert head.links["canonical"] == [f"{SITE}/politics/harbour-dredging-plan-approved/"]


def test_article_seo_fields_override_the_fallbacks(client, story):
    article = story["article"]
    social = make_image("Board vote", width=2000, height=1000, description="Hands raised")
    article.seo_title = "Dredging approved: what happens next"
    article.search_description = "Seven votes to two: the harbour will be dredged in spring."
    article.canonical_url = "https://syndicated.example/original-story"
    article.social_image = social
    article.save_revision().publish()

    head = head_of(client, article.url)
    assert head.title == "Dredging approved: what happens next | The Byline Courier"
    assert head.one("description").startswith("Seven votes to two")
    assert head.links["canonical"] == ["https://syndicated.example/original-story"]
    assert head.one("og:url") == "https://syndicated.example/original-story"
    assert head.one("og:title") == "Dredging approved: what happens next"
    assert head.one("og:image:alt") == "Hands raised"
    rendition = social.renditions.get(filter_spec="fill-1200x675|format-jpeg")
    assert head.one("og:image") == SITE + rendition.url
    assert head.by_type("NewsArticle")["url"] == "https://syndicated.example/original-story"


def test_article_opengraph_and_twitter_card(client, story):
    article = story["article"]
    head = head_of(client, article.url)
    assert head.one("og:type") == "article"
    assert head.one("og:site_name") == "The Byline Courier"
    assert head.one("og:title") == "Harbour dredging plan approved"
    assert head.one("og:description") == "The board voted seven to two on Tuesday night."
    assert head.one("og:url") == f"{SITE}/politics/harbour-dredging-plan-approved/"
    image_url = head.one("og:image")
    assert image_url.startswith(f"{SITE}/media/images/") and "fill-1200x675" in image_url
    assert (head.one("og:image:width"), head.one("og:image:height")) == ("1200", "675")
    assert head.one("og:image:alt") == "A dredger in the harbour mouth"
    assert head.one("article:published_time") == article.publication_iso
    assert head.one("article:modified_time") >= head.one("article:published_time")
    assert head.one("article:section") == "Politics"
    assert sorted(head.meta["article:tag"]) == ["council", "harbour"]
    assert head.meta["article:author"] == [
        f"{SITE}/authors/ada-quill/",
        f"{SITE}/authors/ben-ledger/",
    ]
    assert head.one("twitter:card") == "summary_large_image"
    assert head.one("twitter:title") == "Harbour dredging plan approved"
    assert head.one("twitter:image") == image_url


def test_og_image_is_a_real_rendition(client, story):
    head = head_of(client, story["article"].url)
    path = head.one("og:image").removeprefix(SITE)
    rendition = story["article"].lead_image.renditions.get(filter_spec="fill-1200x675|format-jpeg")
    assert rendition.url == path
    assert (rendition.width, rendition.height) == (1200, 675)


def test_news_article_json_ld(client, story):
    article = ArticlePage.objects.get(pk=story["article"].pk)
    head = head_of(client, article.url)
    data = head.by_type("NewsArticle")
    assert data["@context"] == "https://schema.org"
    assert data["headline"] == "Harbour dredging plan approved"
    assert data["description"] == "The board voted seven to two on Tuesday night."
    assert data["mainEntityOfPage"] == {
        "@type": "WebPage",
        "@id": f"{SITE}/politics/harbour-dredging-plan-approved/",
    }
    assert data["datePublished"] == article.publication_iso
    assert data["dateModified"] == machine_datetime(
        max(article.publication_date, article.last_published_at)
    )
    assert len(data["image"]) == 3
    assert all(i["url"].startswith(f"{SITE}/media/images/") for i in data["image"])
    assert data["image"][0]["url"] == head.one("og:image")
    # 16:9, 4:3 and 1:1, each declared with the size of its file: the lead image is
    # 1600 x 900, so its square crop is 900 x 900 (never upscaled).
    lead = article.lead_image
    declared = [(i["@type"], i["width"], i["height"]) for i in data["image"]]
    assert declared == [
        ("ImageObject", 1200, 675),
        ("ImageObject", 1200, 900),
        ("ImageObject", 900, 900),
    ]
    for item in data["image"]:
        rendition = lead.renditions.get(file__endswith=item["url"].rsplit("/", 1)[1])
        with rendition.file.open() as file, PILImage.open(file) as picture:
            assert picture.size == (item["width"], item["height"])
    assert data["articleSection"] == "Politics"
    assert sorted(data["keywords"]) == ["council", "harbour"]
    assert data["author"] == [
        {
            "@type": "Person",
            "name": "Ada Quill",
            "url": f"{SITE}/authors/ada-quill/",
            "jobTitle": "Political editor",
            "sameAs": ["https://social.example/@ada", "https://ada.example/"],
        },
        {
            "@type": "Person",
            "name": "Ben Ledger",
            "url": f"{SITE}/authors/ben-ledger/",
            "jobTitle": "Reporter",
        },
    ]
    assert data["publisher"] == {
        "@type": "Organization",
        "name": "The Byline Courier",
        "url": f"{SITE}/",
        "logo": {
            "@type": "ImageObject",
            "url": f"{SITE}/static/img/logo.png",
            "width": 512,
            "height": 512,
        },
    }


def test_article_breadcrumb_list(client, story):
    data = head_of(client, story["article"].url).by_type("BreadcrumbList")
    assert data["@context"] == "https://schema.org"
    assert data["itemListElement"] == [
        {"@type": "ListItem", "position": 1, "name": "Home", "item": f"{SITE}/"},
        {"@type": "ListItem", "position": 2, "name": "Politics", "item": f"{SITE}/politics/"},
        {
            "@type": "ListItem",
            "position": 3,
            "name": "Harbour dredging plan approved",
            "item": f"{SITE}/politics/harbour-dredging-plan-approved/",
        },
    ]


def test_json_ld_cannot_break_out_of_its_script_element(client, story):
    article = story["article"]
    article.title = "Bad </script><script>alert(1)</script> & <!-- title"
    article.save_revision().publish()
    html = client.get(article.url).content.decode()
    assert "</script><script>alert(1)" not in html
    assert "\\u003C/script\\u003E" in html
    head = HeadParser()
    head.feed(html)
    assert head.by_type("NewsArticle")["headline"] == article.title


def test_article_without_image_gets_the_logo_and_a_small_card(client, story):
    plain = make_article(story["section"], title="No picture today", authors=[story["author"]])
    head = head_of(client, plain.url)
    assert head.one("og:image") == f"{SITE}/static/img/logo.png"
    assert head.one("twitter:card") == "summary"
    assert "image" not in head.by_type("NewsArticle")


def test_home_page_metadata(client, story):
    head = head_of(client, "/")
    assert head.title == "The Byline Courier"
    assert head.links["canonical"] == [f"{SITE}/"]
    assert head.one("og:type") == "website"
    website = head.by_type("WebSite")
    assert website["url"] == f"{SITE}/"
    assert website["potentialAction"]["target"]["urlTemplate"] == (
        f"{SITE}/search/?q={{search_term_string}}"
    )
    assert head.by_type("Organization")["logo"]["url"] == f"{SITE}/static/img/logo.png"


def test_home_page_seo_fields(client, story):
    home = home_page()
    home.seo_title = "Courier: news from the harbour town"
    home.search_description = "Local news, every day."
    home.save_revision().publish()
    head = head_of(client, "/")
    assert head.title == "Courier: news from the harbour town | The Byline Courier"
    assert head.one("description") == "Local news, every day."


def test_section_metadata_and_breadcrumbs(client, story):
    head = head_of(client, "/politics/")
    assert head.title == "Politics | The Byline Courier"
    assert head.one("description") == "Votes, councils and campaigns."
    assert head.links["canonical"] == [f"{SITE}/politics/"]
    assert head.one("og:url") == f"{SITE}/politics/"
    assert [item["name"] for item in head.by_type("BreadcrumbList")["itemListElement"]] == [
        "Home",
        "Politics",
    ]


def test_paginated_listing_canonical_names_its_page(client, story, monkeypatch):
    from news.models.pages import paginate

    monkeypatch.setattr(paginate, "__defaults__", (1,))
    make_article(story["section"], title="Second story")
    head = head_of(client, "/politics/?page=2")
    assert head.links["canonical"] == [f"{SITE}/politics/?page=2"]


def test_author_page_metadata(client, story):
    head = head_of(client, "/authors/ada-quill/")
    assert head.title == "Ada Quill | The Byline Courier"
    assert head.one("og:type") == "profile"
    assert head.links["canonical"] == [f"{SITE}/authors/ada-quill/"]
    profile = head.by_type("ProfilePage")
    assert profile["mainEntity"]["sameAs"] == [
        "https://social.example/@ada",
        "https://ada.example/",
    ]


def test_tag_page_metadata(client, story):
    head = head_of(client, "/tags/harbour/")
    assert head.title == "Articles tagged “harbour” | The Byline Courier"
    assert head.links["canonical"] == [f"{SITE}/tags/harbour/"]
    assert head.one("og:title") == "Articles tagged “harbour”"
    assert head.one("description")


def test_publisher_logo_is_a_static_png_of_the_stated_size():
    path = finders.find(LOGO_STATIC_PATH)
    assert path
    with PILImage.open(path) as logo:
        assert logo.format == "PNG"
        assert logo.size == LOGO_SIZE


def test_seo_tab_in_the_admin(admin_client, story):
    response = admin_client.get(f"/admin/pages/{story['article'].pk}/edit/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "SEO &amp; social" in html  # the tab (issue 14: "SEO & social")
    for field in ("seo_title", "search_description", "social_image", "canonical_url"):
        assert f'name="{field}"' in html
    section_html = admin_client.get(f"/admin/pages/{story['section'].pk}/edit/").content.decode()
    assert 'name="social_image"' in section_html


def test_article_head_costs_a_constant_number_of_queries(client, story):
    def queries():
        # Made afresh, as after a publication: kept, the page reads only its route.
        store.purge(f"page:{story['article'].pk}")
        with CaptureQueriesContext(connection) as captured:
            assert client.get(story["article"].url).status_code == 200
        return len(captured)

    queries()  # renditions are made on the first view
    before = queries()
    article = story["article"]
    for n in range(3):
        extra = make_author(
            f"Extra Author {n}",
            profile_links=[("link", {"service": "website", "url": f"https://e{n}.example/"})],
        )
        ArticleAuthor.objects.create(page=article, author=extra, sort_order=10 + n)
        tag = Tag.objects.create(name=f"extra {n}", slug=f"extra-{n}")
        ArticlePageTag.objects.create(content_object=article, tag=tag)
    assert queries() == before
