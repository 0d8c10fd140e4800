"""API v3 answers bad query and path parameters with a 400 problem naming the parameter.

Each case is a request Schemathesis (tests/test_fuzz_api.py) found answered with
a 500 or a status the OpenAPI document does not list (Wagtail's 422 for query
errors, a 404 from a listing): the exact request, and what the answer must say.
"""

import pytest
from wagtail.api.v3.errors import PROBLEM_JSON

from tests.api_support import build_story, token_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def story():
    return build_story()


@pytest.fixture
def token_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("validator", "v@example.com", "x")
    client.raise_request_exception = False
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {token_for(user)}"
    return client


def assert_names(response, where, name, words=""):
    """A 400 problem whose detail and every error's ``loc`` name ``name``."""
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == PROBLEM_JSON
    problem = response.json()
    assert problem["status"] == 400
    assert problem["detail"].startswith(f"Invalid parameter: {name} (")
    assert words in problem["detail"]
    assert problem["errors"]
    for error in problem["errors"]:
        assert error["loc"][:2] == [where, name]
        assert error["msg"]


# Wagtail's filter errors: 422 with an empty or partial loc, now 400 ------------


@pytest.mark.parametrize(
    ("url", "name", "words"),
    [
        ("/api/v3/images/?order=nope", "order", "invalid fields"),
        ("/api/v3/documents/?order=-nope", "order", "invalid fields"),
        ("/api/v3/pages/?order=random&offset=1", "order", "random ordering with offset"),
        ("/api/v3/pages/?order=random&order=title", "order", "cannot be combined"),
        ("/api/v3/pages/?translation_of=999999", "translation_of", "No Page matches"),
        ("/api/v3/pages/?child_of=abc", "child_of", "valid integer"),
        ("/api/v3/pages/?descendant_of=2&child_of=2", "descendant_of", "with child_of"),
        ("/api/v3/pages/?type=nope.Nope", "type", "Input should be"),
        ("/api/v3/pages/?limit=0", "limit", ""),
    ],
)
def test_filter_errors_are_400s_naming_the_parameter(client, story, url, name, words):
    assert_names(client.get(url), "query", name, words)


def test_snippet_locale_on_a_model_without_translations_is_a_400(token_client, story):
    response = token_client.get("/api/v3/snippets/authors.Author/?locale=en-gb")
    assert_names(response, "query", "locale", "not translatable")


@pytest.mark.parametrize(
    "url",
    ["/api/v3/pages/?locale=zz", "/api/v3/snippets/authors.Author/?locale=zz"],
)
def test_unknown_locale_is_a_400_not_a_404(token_client, story, url):
    assert_names(token_client.get(url), "query", "locale", "no locale")


def test_body_errors_stay_422(token_client, story):
    """The document keeps 422 for bodies that do not fit their schema."""
    response = token_client.post(
        "/api/v3/redirects/", {"old_path": 12}, content_type="application/json"
    )
    assert response.status_code == 422
    assert all(error["loc"][0] == "body" for error in response.json()["errors"])


# Sites --------------------------------------------------------------------------


@pytest.mark.parametrize("token", [False, True])
@pytest.mark.parametrize(
    ("site", "words"),
    [("nowhere.example", "no site"), ("localhost:http", "port must be a number")],
)
def test_unknown_site_filter_is_a_400(client, token_client, story, token, site, words):
    caller = token_client if token else client
    assert_names(caller.get(f"/api/v3/pages/?site={site}"), "query", "site", words)


def test_known_site_filter_still_lists_pages(client, story):
    from wagtail.models import Site

    site = Site.objects.get(is_default_site=True)
    response = client.get(f"/api/v3/pages/?site={site.hostname}:{site.port}")
    assert response.status_code == 200
    assert story["article"].title in [item["title"] for item in response.json()["items"]]


# Raw values Wagtail handed to the database: 500s, now 400s ---------------------


@pytest.mark.parametrize("pk", ["locale", "1.5", "abc"])
def test_non_integer_snippet_pk_is_a_400(token_client, story, pk):
    response = token_client.get(f"/api/v3/snippets/authors.Author/{pk}/")
    assert_names(response, "path", "pk", "not a valid key")


def test_non_integer_snippet_translation_of_is_a_400(token_client, story):
    response = token_client.get("/api/v3/snippets/authors.Author/?translation_of=abc")
    assert_names(response, "query", "translation_of", "not a valid key")


@pytest.mark.parametrize("method", ["patch", "delete"])
@pytest.mark.parametrize("page_id", ["1.5", "abc", "99999999999999999999"])
def test_non_integer_page_id_in_a_write_is_a_400(token_client, story, method, page_id):
    response = getattr(token_client, method)(
        f"/api/v3/pages/{page_id}/", {}, content_type="application/json"
    )
    assert_names(response, "path", "page_id")


def test_patch_with_a_real_page_id_still_updates(token_client, story):
    article = story["article"]
    response = token_client.patch(
        f"/api/v3/pages/{article.pk}/",
        {"title": "The bridge reopens at last"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    article.refresh_from_db()
    assert article.get_latest_revision_as_object().title == "The bridge reopens at last"


def test_non_integer_revisions_user_id_is_a_400(token_client, story):
    url = f"/api/v3/pages/{story['article'].pk}/revisions/?user_id=x"
    assert_names(token_client.get(url), "query", "user_id", "not a valid key")


def test_integer_revisions_user_id_filters(token_client, story, django_user_model):
    article = story["article"]
    editor = django_user_model.objects.get(username="validator")
    article.save_revision(user=editor)
    url = f"/api/v3/pages/{article.pk}/revisions/?user_id={editor.pk}"
    response = token_client.get(url)
    assert response.status_code == 200
    assert {item["user_id"] for item in response.json()["items"]} == {editor.pk}


@pytest.mark.parametrize(
    "value",
    ["2024-01-01T00:00:00%2B23:59", "2024-01-01T00:00:00-16:00", "2024-01-01 12:00%2B20:30"],
)
@pytest.mark.parametrize(
    "name",
    ["created_at_from", "created_at_to", "approved_go_live_at_from", "approved_go_live_at_to"],
)
def test_revision_dates_with_offsets_beyond_15_59_are_400s(token_client, story, name, value):
    url = f"/api/v3/pages/{story['article'].pk}/revisions/?{name}={value}"
    assert_names(token_client.get(url), "query", name, "time-zone offset")


def test_revision_dates_with_real_offsets_filter(token_client, story):
    url = (
        f"/api/v3/pages/{story['article'].pk}/revisions/"
        "?created_at_from=2000-01-01T00:00:00%2B14:00&created_at_to=2999-01-01T00:00:00-12:00"
    )
    response = token_client.get(url)
    assert response.status_code == 200
    assert response.json()["count"] == story["article"].revisions.count() >= 1


# The document says so ------------------------------------------------------------


def test_document_lists_400_and_no_422_for_reads(client):
    document = client.get("/api/v3/openapi.json").json()
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            assert "400" in responses, (method, path)
            if method == "get":
                assert "422" not in responses, (method, path)
