"""Comments in the API, both ways: reading threads (v2, v3), the count on articles, posting JSON."""

import json

import pytest
from byline_comments.models import Comment, CommentKind, CommentStatus
from django.test import Client

from tests.comment_support import aged_token, make_comment, relaxed_settings
from tests.factories import make_article

pytestmark = pytest.mark.django_db

ORIGIN = "https://frontend.example"
V2 = "/api/v2/comments/"
V3 = "/api/v3/comments/"


@pytest.fixture
def discussion():
    """An article with two threads, a pingback, and comments readers must not see."""
    article = make_article(title="Tram line extension")
    first = make_comment(article, author_name="Ana", author_email="ana@example.org", body="First!")
    reply = make_comment(article, parent=first, author_name="Ben", author_email="ben@example.org")
    deeper = make_comment(article, parent=reply, author_name="Cy", author_url="https://cy.example/")
    second = make_comment(article, author_name="Dee", body="A separate thought.")
    ping = make_comment(
        article,
        kind=CommentKind.PINGBACK,
        author_name="Transit Blog",
        author_email="",
        author_url="https://transit.example/",
        source_url="https://transit.example/2024/trams",
        source_title="Trams are back",
        body="… the city's tram line extension …",
    )
    make_comment(article, status=CommentStatus.PENDING, body="Held comment text")
    make_comment(article, status=CommentStatus.SPAM, body="Cheap pills here")
    make_comment(article, status=CommentStatus.TRASH, body="Removed by a moderator")
    return {
        "article": article,
        "first": first,
        "reply": reply,
        "deeper": deeper,
        "second": second,
        "ping": ping,
    }


def test_v2_lists_approved_comments_as_threads_without_private_data(client, discussion):
    article = discussion["article"]
    response = client.get(V2, {"article": article.pk})

    assert response.status_code == 200
    data = response.json()
    assert data["meta"] == {"total_count": 3, "comment_count": 5}
    assert [item["id"] for item in data["items"]] == [
        discussion["first"].pk,
        discussion["second"].pk,
        discussion["ping"].pk,
    ]
    first = data["items"][0]
    assert first["author"] == {"name": "Ana", "url": None}
    assert first["body"] == "First!" and first["body_html"] == "<p>First!</p>"
    assert first["kind"] == "comment" and first["source"] is None and first["parent"] is None
    assert [r["id"] for r in first["replies"]] == [discussion["reply"].pk]
    deeper = first["replies"][0]["replies"][0]
    assert deeper["id"] == discussion["deeper"].pk
    assert deeper["parent"] == discussion["reply"].pk
    assert deeper["author"] == {"name": "Cy", "url": "https://cy.example/"}
    ping = data["items"][2]
    assert ping["kind"] == "pingback"
    assert ping["source"] == {
        "url": "https://transit.example/2024/trams",
        "title": "Trams are back",
    }

    raw = response.content.decode()
    for secret in ["@example.org", "Held comment", "Cheap pills", "Removed by", "ip_address"]:
        assert secret not in raw
    assert set(first) == {
        "id", "parent", "kind", "author", "body", "body_html", "created_at", "by_editor",
        "source", "replies",
    }  # fmt: skip


def test_v2_and_v3_paginate_by_thread(client, discussion):
    article = discussion["article"]
    v2 = client.get(V2, {"article": article.pk, "limit": 2, "offset": 1}).json()
    assert [item["id"] for item in v2["items"]] == [discussion["second"].pk, discussion["ping"].pk]

    v3 = client.get(V3, {"article": article.pk, "limit": 1}).json()
    assert v3["count"] == 3 and v3["comment_count"] == 5
    assert [item["id"] for item in v3["items"]] == [discussion["first"].pk]
    assert v3["items"][0]["replies"][0]["replies"][0]["id"] == discussion["deeper"].pk
    assert "@example.org" not in json.dumps(v3)


BAD_QUERIES = [
    ({}, "article"),
    ({"article": "abc"}, "article"),
    ({"article": "999999"}, "no published article with id 999999"),
    ({"article": str(10**30)}, "article"),
    ({"article": "{id}", "limit": "0"}, "limit"),
    ({"article": "{id}", "limit": "51"}, "limit cannot be higher than 50"),
    ({"article": "{id}", "offset": "-1"}, "offset"),
]


@pytest.mark.parametrize("prefix", [V2, V3])
def test_bad_list_parameters_get_a_clear_400(client, prefix):
    article = make_article()
    for query, message in BAD_QUERIES:
        query = {key: value.format(id=article.pk) for key, value in query.items()}
        response = client.get(prefix, query)
        assert response.status_code == 400, query
        data = response.json()
        text = data.get("message") or data.get("detail")
        assert message in text or message in json.dumps(data), (query, data)
        if prefix == V3:
            assert response["Content-Type"] == "application/problem+json"


@pytest.mark.extension_point("register_api_fields")
def test_articles_in_the_api_carry_their_comment_count(client, discussion):
    article = discussion["article"]
    quiet = make_article(title="No one commented")

    detail_v2 = client.get(f"/api/v2/pages/{article.pk}/").json()
    assert detail_v2["comment_count"] == 5
    listing = client.get("/api/v2/articles/", {"fields": "comment_count"}).json()
    counts = {item["id"]: item["comment_count"] for item in listing["items"]}
    assert counts == {article.pk: 5, quiet.pk: 0}
    detail_v3 = client.get(f"/api/v3/pages/{article.pk}/").json()
    assert detail_v3["comment_count"] == 5


def test_comment_count_is_in_the_openapi_documents(client):
    v3_doc = json.dumps(client.get("/api/v3/openapi.json").json())
    assert '"comment_count"' in v3_doc


@pytest.mark.extension_point("register_api_v3_routers")
def test_comments_api_is_in_the_core_openapi_document(client):
    from openapi_spec_validator import validate

    old_address = client.get(V3 + "openapi.json")
    assert old_address.status_code == 301
    document = client.get(old_address["Location"]).json()
    validate(document)
    assert {"/api/v3/comments/", "/api/v3/comments/form-token/"} <= set(document["paths"])
    assert "post" in document["paths"]["/api/v3/comments/"]


# Posting ------------------------------------------------------------------------


def get_token(client, prefix, article, origin=ORIGIN):
    response = client.get(prefix + "form-token/", {"article": article.pk}, HTTP_ORIGIN=origin)
    assert response.status_code == 200, response.content
    return response


def post_json(client, prefix, payload, origin=ORIGIN, **extra):
    body = payload if isinstance(payload, bytes) else json.dumps(payload)
    return client.generic(
        "POST", prefix, body, content_type="application/json", HTTP_ORIGIN=origin, **extra
    )


def payload_for(target, /, **fields):
    data = {
        "article": target.pk,
        "author_name": "Ola Nordmann",
        "author_email": "ola@example.org",
        "author_url": "https://ola.example/",
        "body": "Will the trams run at night?",
        "form_token": aged_token(target.pk, origin=ORIGIN),
    }
    data.update(fields)
    return data


@pytest.mark.parametrize("prefix", [V2, V3])
def test_a_headless_frontend_gets_a_token_and_posts_a_comment(prefix):
    relaxed_settings(api_allowed_origins=f"{ORIGIN}\nhttps://app.example")
    article = make_article()
    client = Client()  # no cookies, no CSRF token: an anonymous browser on another origin

    token_response = get_token(client, prefix, article)
    assert token_response["Access-Control-Allow-Origin"] == ORIGIN
    assert token_response["Cache-Control"] == "no-store"
    token = token_response.json()
    assert token["article"] == article.pk and token["comments_open"] is True
    assert token["expires_in"] == 7200

    response = post_json(client, prefix, payload_for(article, form_token=token["form_token"]))

    assert response.status_code == 201, response.content
    assert response["Access-Control-Allow-Origin"] == ORIGIN
    assert response.json() == {
        "status": "pending",
        "message": "Thank you: your comment is awaiting moderation.",
        "comment": None,
    }
    comment = Comment.objects.get()
    assert comment.status == CommentStatus.PENDING
    assert comment.author_url == "https://ola.example/"
    assert len(comment.check_results) == 7


@pytest.mark.parametrize("prefix", [V2, V3])
def test_a_returning_reader_posting_through_the_api_is_published(prefix):
    relaxed_settings(api_allowed_origins=ORIGIN)
    article = make_article()
    make_comment(article, author_email="ola@example.org")
    response = post_json(Client(), prefix, payload_for(article))
    assert response.status_code == 201
    data = response.json()
    assert data["status"] == "approved"
    assert data["comment"]["body"] == "Will the trams run at night?"
    assert "ola@example.org" not in response.content.decode()


@pytest.mark.parametrize("prefix", [V2, V3])
def test_spam_is_answered_like_a_held_comment(prefix):
    relaxed_settings(api_allowed_origins=ORIGIN)
    article = make_article()
    response = post_json(Client(), prefix, payload_for(article, homepage_url="http://spam.example"))
    assert response.status_code == 201
    assert response.json()["status"] == "pending"
    assert Comment.objects.get().status == CommentStatus.SPAM


@pytest.mark.parametrize("prefix", [V2, V3])
def test_origins_are_checked(prefix):
    relaxed_settings(api_allowed_origins=ORIGIN)
    article = make_article()
    client = Client()

    refused = client.get(
        prefix + "form-token/", {"article": article.pk}, HTTP_ORIGIN="https://evil.example"
    )
    assert refused.status_code == 403
    assert "Access-Control-Allow-Origin" not in refused

    evil = post_json(client, prefix, payload_for(article), origin="https://evil.example")
    assert evil.status_code == 403
    assert "https://evil.example may not post" in evil.content.decode()
    no_origin = client.generic(
        "POST", prefix, json.dumps(payload_for(article)), content_type="application/json"
    )
    assert no_origin.status_code == 403
    assert "Origin header is required" in no_origin.content.decode()

    # A token issued to one allowed origin does not work from another.
    relaxed_settings(api_allowed_origins=f"{ORIGIN}\nhttps://app.example")
    swapped = post_json(client, prefix, payload_for(article), origin="https://app.example")
    assert swapped.status_code == 400
    assert "issued to another origin" in swapped.content.decode()
    assert not Comment.objects.exists()


@pytest.mark.parametrize("prefix", [V2, V3])
def test_the_site_itself_may_post_without_listing_its_origin(prefix):
    relaxed_settings()
    article = make_article()
    client = Client()
    token = client.get(prefix + "form-token/", {"article": article.pk}).json()["form_token"]
    response = post_json(
        client, prefix, payload_for(article, form_token=token), origin="http://testserver"
    )
    assert response.status_code == 201


@pytest.mark.parametrize("prefix", [V2, V3])
def test_cors_preflight_answers_only_allowed_origins(prefix):
    relaxed_settings(api_allowed_origins=ORIGIN)
    client = Client()
    allowed = client.options(prefix, HTTP_ORIGIN=ORIGIN, HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST")
    assert allowed.status_code == 204
    assert allowed["Access-Control-Allow-Origin"] == ORIGIN
    assert "POST" in allowed["Access-Control-Allow-Methods"]
    assert allowed["Access-Control-Allow-Headers"] == "Content-Type"
    other = client.options(prefix, HTTP_ORIGIN="https://evil.example")
    assert "Access-Control-Allow-Origin" not in other


BAD_BODIES = [
    (b"{not json", "malformed JSON"),
    (b'{"body": "caf\xe9"}', "not valid UTF-8"),
    (b"[1, 2, 3]", "must be a JSON object"),
    (b'"just a string"', "must be a JSON object"),
    (b"x" * 20000, "larger than 16384 bytes"),
]


@pytest.mark.parametrize("prefix", [V2, V3])
@pytest.mark.parametrize(("body", "message"), BAD_BODIES)
def test_unreadable_bodies_get_a_clear_400(prefix, body, message):
    relaxed_settings(api_allowed_origins=ORIGIN)
    response = post_json(Client(), prefix, body)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert response["Content-Type"].startswith(
        "application/problem+json" if prefix == V3 else "application/json"
    )


BAD_FIELDS = [
    ({"body": 12}, "body", "must be a string"),
    ({"parent": "7"}, "parent", "must be an integer or null"),
    ({"article": True}, "article", "must be an integer"),
    ({"author_name": ["a"]}, "author_name", "must be a string"),
    ({"colour": "red"}, "__all__", "unknown field(s): colour"),
    ({"author_email": "nope"}, "author_email", "valid email address"),
    ({"body": ""}, "body", "Please write your comment."),
    ({"form_token": "forged"}, "form_token", "not valid"),
    ({"parent": 99999}, "parent", "not available"),
]


@pytest.mark.parametrize("prefix", [V2, V3])
def test_invalid_fields_get_a_400_naming_the_field(prefix):
    relaxed_settings(api_allowed_origins=ORIGIN)
    article = make_article()
    for fields, field, message in BAD_FIELDS:
        response = post_json(Client(), prefix, payload_for(article, **fields))
        assert response.status_code == 400, (fields, response.content)
        data = response.json()
        if prefix == V2:
            assert any(message in text for text in data["errors"][field]), (fields, data)
        else:
            assert any(e["loc"] == [field] and message in e["msg"] for e in data["errors"]), data
    assert not Comment.objects.exists()


@pytest.mark.parametrize("prefix", [V2, V3])
def test_unknown_article_and_wrong_content_type_get_a_400(prefix):
    relaxed_settings(api_allowed_origins=ORIGIN)
    article = make_article()
    unknown = post_json(Client(), prefix, payload_for(article, article=424242))
    assert unknown.status_code == 400
    assert "no published article with id 424242" in unknown.content.decode()
    form_encoded = Client().post(prefix, {"body": "x"}, HTTP_ORIGIN=ORIGIN)
    assert form_encoded.status_code == 400
    assert "Content-Type: application/json" in form_encoded.content.decode()


@pytest.mark.parametrize("prefix", [V2, V3])
def test_replies_through_the_api_respect_the_thread_depth(prefix):
    relaxed_settings(api_allowed_origins=ORIGIN, max_depth=2)
    article = make_article()
    top = make_comment(article)
    reply = make_comment(article, parent=top)
    client = Client()
    ok = post_json(client, prefix, payload_for(article, parent=top.pk, body="Answering the top."))
    assert ok.status_code == 201
    assert Comment.objects.get(body="Answering the top.").parent_id == top.pk
    too_deep = post_json(client, prefix, payload_for(article, parent=reply.pk))
    assert too_deep.status_code == 400
    assert "at most 2 levels deep" in too_deep.content.decode()


@pytest.mark.parametrize("prefix", [V2, V3])
def test_posting_to_a_closed_article_is_refused(prefix):
    from byline_comments.services import set_comments_closed

    relaxed_settings(api_allowed_origins=ORIGIN)
    article = make_article()
    set_comments_closed(article, True)
    assert get_token(Client(), prefix, article).json()["comments_open"] is False
    response = post_json(Client(), prefix, payload_for(article))
    assert response.status_code == 403
    assert "comments are closed" in response.content.decode()
