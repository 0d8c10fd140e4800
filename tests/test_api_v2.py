"""API v2 (/api/v2/): article fields, body blocks, filters and the other endpoints."""

import datetime

import pytest
from wagtail.documents.models import Document

from news.api.fields import ARTICLE_API_FIELDS
from news.models import ArticlePage
from tests.api_support import (
    FILTER_CASES,
    block,
    build_catalogue,
    build_story,
    expected_ids,
    newsroom,
)
from tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db


def get_json(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, response.content[:500]
    return response.json()


@pytest.fixture
def story():
    return build_story()


def test_article_detail_has_every_field(client, story):
    article = story["article"]
    data = get_json(client, f"/api/v2/pages/{article.pk}/")

    assert data["id"] == article.pk
    assert data["meta"]["type"] == "news.ArticlePage"
    assert data["meta"]["html_url"].endswith("/science/the-bridge-reopens/")
    assert data["title"] == "The bridge reopens"
    assert data["standfirst"] == "After two years, traffic flows again."
    published = datetime.datetime.fromisoformat(data["publication_date"].replace("Z", "+00:00"))
    assert abs(published - article.publication_date) < datetime.timedelta(seconds=1)
    assert data["url"] == "/science/the-bridge-reopens/"
    assert data["section"] == {
        "id": story["section"].pk,
        "title": "Science",
        "slug": "science",
        "url": "/science/",
        "html_url": story["section"].full_url,
    }
    assert [tag["name"] for tag in data["tags"]] == ["Bridges", "Transport"]
    assert data["tags"][0]["slug"] == "bridges"
    assert data["tags"][0]["html_url"].endswith("/tags/bridges/")
    assert isinstance(data["reading_time"], int) and data["reading_time"] >= 1
    # Every core API field is in the detail.
    assert {field.name for field in ARTICLE_API_FIELDS} <= set(data)


def test_authors_are_embedded_with_bio_portrait_and_links(client, story):
    data = get_json(client, f"/api/v2/pages/{story['article'].pk}/")
    ada, ben = data["authors"]
    assert ada["name"] == "Ada Reporter" and ben["name"] == "Ben Writer"
    assert ada["slug"] == "ada-reporter"
    assert ada["role"] == "Science editor"
    assert ada["bio"] == "<p>Ada has covered <b>the city</b> since 2010.</p>"
    assert ada["short_bio"] == "Ada Reporter covers the city for the Courier."
    assert ada["portrait"]["alt"] == "Ada Reporter, smiling"
    assert ada["portrait"]["renditions"]["webp"][0]["url"].endswith(".webp")
    assert ada["links"] == [
        {
            "service": "mastodon",
            "label": "Mastodon",
            "url": "https://social.example/@ada",
            "handle": "@ada@social.example",
            "rel": "me",
        }
    ]
    assert ben["links"] == []
    assert ada["url"] == "/authors/ada-reporter/"
    assert ada["html_url"].endswith("/authors/ada-reporter/")
    assert "email" not in ada
    assert "private.example" not in str(data)


def test_lead_image_has_alt_caption_credit_and_renditions(client, story):
    image = get_json(client, f"/api/v2/pages/{story['article'].pk}/")["lead_image"]
    assert image["id"] == story["lead"].pk
    assert image["alt"] == "The bridge at dawn"
    assert image["caption"] == "Dawn"
    assert image["credit"] == "Sam Lens/Byline"  # the article's override
    assert (image["width"], image["height"]) == (160, 90)
    assert image["src"].endswith(".jpg")
    assert set(image["renditions"]) == {"webp", "jpeg"}
    for rendition in image["renditions"]["webp"] + image["renditions"]["jpeg"]:
        assert set(rendition) == {"url", "width", "height"}


def test_body_blocks_have_stable_shapes_and_finished_html(client, story):
    body = get_json(client, f"/api/v2/pages/{story['article'].pk}/")["body"]
    assert all(set(item) == {"type", "value", "id"} and item["id"] for item in body)
    by_type = {}
    for item in body:
        by_type.setdefault(item["type"], []).append(item["value"])

    paragraphs = " ".join(by_type["paragraph"])
    assert 'href="/science/the-earlier-story/"' in paragraphs
    assert "linktype" not in str(body) and "<embed" not in str(body)
    assert by_type["heading"] == [
        {"text": "What happens next", "level": 3, "anchor": "what-happens-next"}
    ]
    assert by_type["quotation"][0]["quote"] == "We will reopen the bridge."
    assert by_type["quotation"][0]["attribution"] == "Mara Okafor"
    assert by_type["pull_quote"] == [{"text": "Nobody expected it.", "attribution": None}]
    assert by_type["list"] == [{"ordered": True, "items": ["Roads closed", "Schools open"]}]
    assert by_type["table"] == [
        {"caption": "Votes by year", "header": ["Year", "Votes"], "rows": [["2023", "7"]]}
    ]
    assert by_type["fact_box"] == [
        {"title": "Key facts", "body": "<p>The bridge is 200 m long.</p>"}
    ]
    image_block = by_type["image"][0]
    assert image_block["image"]["id"] == story["body_image"].pk
    assert image_block["image"]["alt"] == "A crowd"
    assert image_block["image"]["credit"] == "Jo Snap/Byline"
    assert image_block["image"]["renditions"]["jpeg"]
    assert by_type["related_article"] == [
        {
            "id": story["earlier"].pk,
            "title": "The earlier story",
            "url": "/science/the-earlier-story/",
        }
    ]
    assert by_type["embed"][0]["url"] == "https://video.example/watch/harbour-tour"
    assert "<iframe" in by_type["embed"][0]["html"]
    assert by_type["embed"][0]["caption"] == "The vote"


def test_rich_text_format_parameter_is_honoured(client, story):
    url = f"/api/v2/pages/{story['article'].pk}/?rich_text_format=db_html"
    body = get_json(client, url)["body"]
    assert 'linktype="page"' in str(body)


def test_document_links_resolve_in_body(client):
    document = Document.objects.create(title="Report", file="documents/report.pdf")
    article = make_article(
        body=[block("paragraph", f'<p><a linktype="document" id="{document.pk}">Report</a></p>')]
    )
    body = get_json(client, f"/api/v2/pages/{article.pk}/")["body"]
    assert "/documents/" in body[0]["value"] and "linktype" not in body[0]["value"]


def test_articles_listing_is_newest_first_with_total_count(client):
    _section, _authors, articles = newsroom(articles=3)
    data = get_json(client, "/api/v2/articles/?limit=2")
    assert data["meta"]["total_count"] == 3
    assert [item["id"] for item in data["items"]] == [articles[0].pk, articles[1].pk]
    item = data["items"][0]
    # A card's fields by default; the body only on request.
    assert {"standfirst", "authors", "lead_image", "tags", "section", "reading_time"} <= set(item)
    assert "body" not in item
    second = get_json(client, "/api/v2/articles/?limit=2&offset=2")
    assert [item["id"] for item in second["items"]] == [articles[2].pk]
    with_body = get_json(client, "/api/v2/articles/?fields=body&limit=1")
    assert with_body["items"][0]["body"][0]["type"] == "paragraph"


def test_pages_listing_with_all_fields(client):
    _section, _authors, articles = newsroom(articles=2)
    data = get_json(client, "/api/v2/pages/?type=news.ArticlePage&fields=*")
    assert [item["id"] for item in data["items"]] == [articles[0].pk, articles[1].pk]
    assert data["items"][0]["body"] and data["items"][0]["authors"][0]["portrait"]


@pytest.fixture
def catalogue():
    return build_catalogue()


def test_article_filters(client, catalogue):
    """Every filter on both article listings (one catalogue for all cases)."""
    for query, names in FILTER_CASES:
        query = query.format(world_id=catalogue["sections"][0].pk)
        for url in (f"/api/v2/articles/?{query}", f"/api/v2/pages/?type=news.ArticlePage&{query}"):
            data = get_json(client, url)
            assert [item["id"] for item in data["items"]] == expected_ids(catalogue, names), url
            assert data["meta"]["total_count"] == len(names), url


def test_search_ranks_without_order_and_honours_order(client, catalogue):
    data = get_json(client, "/api/v2/articles/?search=council&order=-publication_date")
    assert [item["id"] for item in data["items"]][:1] == [catalogue["election"].pk]


def test_find_by_html_path_redirects_to_detail(client, catalogue):
    response = client.get("/api/v2/pages/find/?html_path=/world/council-election-called/")
    assert response.status_code == 302
    assert response["Location"].endswith(f"/api/v2/pages/{catalogue['election'].pk}/?")


def test_authors_endpoint(client, catalogue):
    data = get_json(client, "/api/v2/authors/")
    assert data["meta"]["total_count"] == 2
    ada = data["items"][0]
    assert ada["name"] == "Ada Reporter"
    assert ada["article_count"] == 2
    assert ada["meta"]["articles_url"].endswith("/api/v2/articles/?author=ada-reporter")
    assert ada["portrait"]["renditions"]["webp"]
    assert ada["bio"].startswith("<p>")
    assert "email" not in ada and "private.example" not in str(data)

    detail = get_json(client, ada["meta"]["detail_url"])
    assert detail["slug"] == "ada-reporter" and detail["links"][0]["rel"] == "me"
    by_slug = get_json(client, "/api/v2/authors/?slug=ben-writer")
    assert [item["name"] for item in by_slug["items"]] == ["Ben Writer"]
    searched = get_json(client, "/api/v2/authors/?search=Ben")
    assert [item["name"] for item in searched["items"]] == ["Ben Writer"]
    listed = get_json(client, ada["meta"]["articles_url"])
    assert {item["id"] for item in listed["items"]} == {
        catalogue["harbour"].pk,
        catalogue["final"].pk,
    }
    assert client.get("/api/v2/authors/?email=x@private.example").status_code == 400


def test_tags_endpoint(client, catalogue):
    data = get_json(client, "/api/v2/tags/")
    assert [(tag["name"], tag["article_count"]) for tag in data["items"]] == [
        ("council", 2),
        ("football", 1),
        ("harbour", 1),
    ]
    council = data["items"][0]
    assert council["html_url"].endswith("/tags/council/")
    assert council["meta"]["articles_url"].endswith("/api/v2/articles/?tag=council")
    assert get_json(client, council["meta"]["detail_url"])["slug"] == "council"
    assert get_json(client, "/api/v2/tags/?slug=football")["meta"]["total_count"] == 1
    assert [t["name"] for t in get_json(client, "/api/v2/tags/?search=foot")["items"]] == [
        "football"
    ]


def test_images_endpoint(client, story):
    data = get_json(client, "/api/v2/images/")
    by_id = {item["id"]: item for item in data["items"]}
    lead = by_id[story["lead"].pk]
    assert lead["alt"] == "The bridge at dawn"
    assert lead["caption"] == "Dawn"
    assert lead["credit"] == ""  # the image's own credit; the override is the article's
    assert lead["renditions"]["webp"][0]["url"].endswith(".webp")
    detail = get_json(client, f"/api/v2/images/{story['body_image'].pk}/")
    assert detail["credit"] == "Jo Snap/Byline"
    assert detail["renditions"]["jpeg"][0]["width"] == 160


def test_sections_are_pages_with_their_introduction(client):
    section = make_section("Culture", slug="culture", introduction="Arts and books.")
    data = get_json(client, f"/api/v2/pages/{section.pk}/")
    assert data["meta"]["type"] == "news.NewsIndexPage"
    assert data["introduction"] == "Arts and books."


def test_a_plugin_field_is_serialised_like_a_core_one(client, monkeypatch):
    from cms.api.fields import ComputedField

    word_count = ComputedField(
        "word_count",
        lambda article: len(article.standfirst.split()),
        int,
        description="Words in the standfirst.",
    )
    monkeypatch.setattr("cms.plugins.api_fields.plugin_api_fields", lambda model: [word_count])
    api_fields = ArticlePage.__dict__["api_fields"]
    api_fields.reset()
    try:
        article = make_article(standfirst="Four words right here.")
        assert get_json(client, f"/api/v2/pages/{article.pk}/")["word_count"] == 4
        listing = get_json(client, "/api/v2/articles/?fields=word_count")
        assert listing["items"][0]["word_count"] == 4
    finally:
        monkeypatch.undo()
        api_fields.reset()


def test_answers_are_compact_json_unless_indentation_is_asked_for(client):
    make_article(make_section("World", slug="world"), title="Harbour reopens")
    compact = client.get("/api/v2/articles/")
    assert compact["Content-Type"] == "application/json"
    assert b"\n" not in compact.content and compact.json()["items"][0]["title"] == "Harbour reopens"
    pretty = client.get("/api/v2/articles/", HTTP_ACCEPT="application/json; indent=4")
    assert pretty.json() == compact.json()
    assert b'\n    "meta": {' in pretty.content


def test_a_serializer_class_is_made_once_for_each_model_and_set_of_fields(client, settings):
    """Wagtail made a serializer class (a new type) for every request: Byline makes one
    per model and set of fields asked for (cms.api.v2.views.PublicEndpointMixin), bounded,
    and makes them again when a model's API fields are assembled again."""
    from cms.api.v2 import views

    settings.BYLINE_PAGE_CACHE = False  # every request reaches the view
    make_article(make_section("Quays"), title="Quay notice")
    views.forget_serializer_classes()
    url = "/api/v2/pages/?type=news.ArticlePage&fields=standfirst"
    first = get_json(client, url)
    made = dict(views._serializer_classes)
    assert len(made) == 1
    assert get_json(client, url) == first
    assert dict(views._serializer_classes) == made  # the same class, not another

    shown = get_json(client, "/api/v2/pages/?type=news.ArticlePage&fields=-standfirst")
    assert "standfirst" in first["items"][0] and "standfirst" not in shown["items"][0]
    assert len(views._serializer_classes) == 2

    ArticlePage.api_fields  # noqa: B018 (assembled)
    ArticlePage.__dict__["api_fields"].reset()
    assert not views._serializer_classes
    assert get_json(client, url) == first
