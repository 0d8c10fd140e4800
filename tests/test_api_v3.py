"""API v3 (/api/v3/): same field shapes as v2, public authors, writes, OpenAPI 3.1."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from openapi_spec_validator import validate

from news.api.fields import ARTICLE_API_FIELDS
from tests.api_support import (
    FILTER_CASES,
    build_catalogue,
    build_story,
    expected_ids,
    token_for,
)
from tests.factories import home_page

pytestmark = pytest.mark.django_db


def get_json(client, url, status=200, **headers):
    response = client.get(url, **headers)
    assert response.status_code == status, response.content[:500]
    return response.json()


def normalise(value):
    """Datetimes as instants: DRF and pydantic write the same moment differently."""
    if isinstance(value, dict):
        return {key: normalise(item) for key, item in value.items()}
    if isinstance(value, list):
        return [normalise(item) for item in value]
    if isinstance(value, str) and len(value) > 18 and value[4] == "-" and value[10] == "T":
        try:
            moment = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return value
        # django-ninja writes milliseconds, DRF microseconds.
        return moment.replace(microsecond=moment.microsecond // 1000 * 1000)
    return value


def test_article_fields_match_api_v2(client):
    story = build_story()
    article = story["article"]
    v2 = get_json(client, f"/api/v2/pages/{article.pk}/")
    v3 = get_json(client, f"/api/v3/pages/{article.pk}/")
    v3_article = get_json(client, f"/api/v3/articles/{article.pk}/")
    assert v3 == v3_article
    for field in ["id", "title", *(field.name for field in ARTICLE_API_FIELDS)]:
        assert normalise(v3[field]) == normalise(v2[field]), field
    assert v3["meta"]["type"] == "news.ArticlePage"
    assert v3["meta"]["html_url"] == v2["meta"]["html_url"]
    assert v3["meta"]["parent"]["id"] == story["section"].pk
    assert "private.example" not in str(v3)


def test_article_listing_has_every_field_and_count(client):
    story = build_story()
    data = get_json(client, "/api/v3/articles/?limit=1")
    assert data["count"] == 2
    item = data["items"][0]
    assert item["id"] == story["article"].pk
    assert {field.name for field in ARTICLE_API_FIELDS} <= set(item)
    detail = get_json(client, f"/api/v3/pages/{story['article'].pk}/")
    assert normalise(item) == normalise(detail)
    second = get_json(client, "/api/v3/articles/?limit=1&offset=1")
    assert [i["id"] for i in second["items"]] == [story["earlier"].pk]


def test_article_filters(client):
    catalogue = build_catalogue()
    for query, names in FILTER_CASES:
        query = query.format(world_id=catalogue["sections"][0].pk)
        data = get_json(client, f"/api/v3/articles/?{query}")
        assert [item["id"] for item in data["items"]] == expected_ids(catalogue, names), query
        assert data["count"] == len(names), query


def test_authors_are_public(client):
    catalogue = build_catalogue()
    data = get_json(client, "/api/v3/authors/")
    assert data["count"] == 2
    ada = data["items"][0]
    assert ada["name"] == "Ada Reporter" and ada["article_count"] == 2
    assert ada["portrait"]["renditions"]["webp"]
    assert ada["links"][0]["handle"] == "@ada@social.example"
    assert ada["meta"] == {
        "type": "authors.Author",
        "detail_url": f"http://testserver/api/v3/authors/{ada['id']}/",
        "articles_url": "http://testserver/api/v3/articles/?author=ada-reporter",
    }
    assert "email" not in ada and "private.example" not in str(data)
    assert get_json(client, ada["meta"]["detail_url"])["slug"] == "ada-reporter"
    by_slug = get_json(client, "/api/v3/authors/?slug=ben-writer")
    assert [item["name"] for item in by_slug["items"]] == ["Ben Writer"]
    assert [i["name"] for i in get_json(client, "/api/v3/authors/?order=-name")["items"]] == [
        "Ben Writer",
        "Ada Reporter",
    ]
    articles = get_json(client, ada["meta"]["articles_url"])
    assert {item["id"] for item in articles["items"]} == {
        catalogue["harbour"].pk,
        catalogue["final"].pk,
    }
    v2 = get_json(client, f"/api/v2/authors/{ada['id']}/")
    shared = set(v2) - {"meta"}
    assert {key: ada[key] for key in shared} == {key: v2[key] for key in shared}


def test_tags_and_images(client):
    story = build_story()
    tags = get_json(client, "/api/v3/tags/")
    assert [(tag["name"], tag["article_count"]) for tag in tags["items"]] == [
        ("Bridges", 1),
        ("Transport", 1),
    ]
    assert tags["items"][0]["meta"]["articles_url"].endswith("/api/v3/articles/?tag=bridges")
    assert get_json(client, tags["items"][0]["meta"]["detail_url"])["slug"] == "bridges"

    images = get_json(client, "/api/v3/images/")
    by_id = {item["id"]: item for item in images["items"]}
    lead = by_id[story["lead"].pk]
    assert (lead["alt"], lead["caption"]) == ("The bridge at dawn", "Dawn")
    assert lead["renditions"]["webp"][0]["url"].endswith(".webp")
    detail = get_json(client, f"/api/v3/images/{story['body_image'].pk}/")
    v2 = get_json(client, f"/api/v2/images/{story['body_image'].pk}/")
    for field in ("alt", "caption", "credit", "renditions"):
        assert detail[field] == v2[field]


def test_find_redirects_to_detail(client):
    story = build_story()
    response = client.get("/api/v3/pages/find/?html_path=/science/the-bridge-reopens/")
    assert response.status_code == 302
    assert f"/api/v3/pages/{story['article'].pk}/" in response["Location"]


# Writes ------------------------------------------------------------------------


@pytest.fixture
def editor():
    return get_user_model().objects.create_superuser("editor", "editor@example.com", "pw")


@pytest.fixture
def reader():
    return get_user_model().objects.create_user("reader", "reader@example.com", "pw")


def post_json(client, url, data, token=None, method="post"):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    send = getattr(client, method)
    return send(url, data=data, content_type="application/json", **headers)


def test_writes_need_a_token(client, editor):
    section = {"meta": {"type": "news.NewsIndexPage", "parent_id": home_page().pk}}
    section["title"] = "Opinion"
    response = post_json(client, "/api/v3/pages/", section)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    # A session does not count: v3 writes need the bearer token.
    client.force_login(editor)
    assert post_json(client, "/api/v3/pages/", section).status_code == 401
    assert post_json(client, "/api/v3/pages/", section, token="nonsense").status_code == 401


def test_writes_respect_the_token_owners_permissions(client, editor, reader):
    section = {
        "meta": {"type": "news.NewsIndexPage", "parent_id": home_page().pk},
        "title": "Opinion",
        "slug": "opinion",
    }
    response = post_json(client, "/api/v3/pages/", section, token=token_for(reader))
    assert response.status_code == 403

    response = post_json(client, "/api/v3/pages/", section, token=token_for(editor))
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["title"] == "Opinion" and created["meta"]["type"] == "news.NewsIndexPage"


def test_an_editor_updates_an_article_with_a_token(client, editor):
    story = build_story()
    article = story["article"]
    token = token_for(editor)
    change = {"meta": {"action": "publish"}, "standfirst": "Traffic is back."}
    response = post_json(client, f"/api/v3/pages/{article.pk}/", change, token, method="patch")
    assert response.status_code == 200, response.content
    public = get_json(client, f"/api/v3/pages/{article.pk}/")
    assert public["standfirst"] == "Traffic is back."


def test_a_json_array_body_is_a_400(client, editor):
    story = build_story()
    token = token_for(editor)
    for url, method in [
        ("/api/v3/pages/", "post"),
        (f"/api/v3/pages/{story['article'].pk}/", "patch"),
        (f"/api/v3/images/{story['lead'].pk}/", "patch"),
    ]:
        response = post_json(client, url, [], token, method=method)
        assert response.status_code == 400, (url, response.content)
        assert "JSON object" in response.json()["detail"]


# OpenAPI -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def openapi(django_db_blocker):
    from django.test import Client

    with django_db_blocker.unblock():
        response = Client().get("/api/v3/openapi.json")
    assert response.status_code == 200
    return response.json()


def test_openapi_document_is_valid_openapi_3_1(openapi):
    assert openapi["openapi"].startswith("3.1")
    validate(openapi)


def test_openapi_security_writes_optional_tokens_the_openapi_way(openapi):
    schemes = openapi["components"]["securitySchemes"]
    assert "AllowAnonymous" not in schemes
    assert schemes["BearerTokenAuth"] == {"type": "http", "scheme": "bearer"}
    assert openapi["paths"]["/api/v3/pages/"]["get"]["security"] == [{"BearerTokenAuth": []}, {}]
    assert openapi["paths"]["/api/v3/pages/"]["post"]["security"] == [{"BearerTokenAuth": []}]
    assert "security" not in openapi["paths"]["/api/v3/authors/"]["get"]


def test_openapi_describes_every_custom_field_and_block(openapi):
    schemas = openapi["components"]["schemas"]
    article = schemas["ArticlePageSchema"]["properties"]
    for field in ARTICLE_API_FIELDS:
        assert field.name in article, field.name
    for name in [
        "ResponsiveImage",
        "ImageRenditions",
        "SectionAPIValue",
        "TagAPIValue",
        "AuthorAPIValue",
        "ProfileLinkAPIValue",
        "HeadingAPIValue",
        "QuotationAPIValue",
        "PullQuoteAPIValue",
        "CaptionedImageAPIValue",
        "CaptionedEmbedAPIValue",
        "ListAPIValue",
        "TableAPIValue",
        "FactBoxAPIValue",
        "RelatedArticleAPIValue",
        "ArticlePageBodyHeadingItem",
        "PublicAuthorSchema",
        "PublicTagSchema",
    ]:
        assert name in schemas, name
    assert schemas["HeadingAPIValue"]["properties"]["level"]["type"] == "integer"
    assert set(schemas["ResponsiveImage"]["properties"]) >= {"alt", "caption", "credit"}
    author = schemas["PublicAuthorSchema"]["properties"]
    assert "email" not in author and "article_count" in author
    for path in ["/api/v3/articles/", "/api/v3/authors/", "/api/v3/tags/", "/api/v3/images/"]:
        assert path in openapi["paths"]


def test_docs_page_is_served(client):
    response = client.get("/api/v3/docs/")
    assert response.status_code == 200
    assert b"openapi.json" in response.content


def test_a_plugin_field_is_serialised_like_a_core_one(client, monkeypatch, rf):
    """v3 builds page schemas at start-up; a schema built the same way carries the field."""
    from wagtail.api.v3.schemas import PageSchema, read_generator

    from cms.api.fields import ComputedField
    from news.models import ArticlePage
    from tests.factories import make_article

    word_count = ComputedField("word_count", lambda article: len(article.standfirst.split()), int)
    monkeypatch.setattr("cms.plugins.api_fields.plugin_api_fields", lambda model: [word_count])
    api_fields = ArticlePage.__dict__["api_fields"]
    api_fields.reset()
    try:
        schema = read_generator.generate_schema(ArticlePage, base_class=PageSchema)
        article = make_article(standfirst="Four words right here.")
        context = {"request": rf.get("/")}
        data = schema.model_validate(article, context=context).model_dump()
        assert data["word_count"] == 4
        assert data["word_count"] == get_json(client, f"/api/v2/pages/{article.pk}/")["word_count"]
        property_schema = schema.model_json_schema()["properties"]["word_count"]
        assert {"type": "integer"} in property_schema.get("anyOf", [property_schema])
    finally:
        monkeypatch.undo()
        api_fields.reset()
