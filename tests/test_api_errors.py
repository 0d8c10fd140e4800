"""Bad input: a 400 with a JSON error naming the parameter, never a 500, in both versions."""

import pytest

from tests.api_support import build_story

pytestmark = pytest.mark.django_db

HUGE = "9223372036854775808"  # 2**63: one more than a 64-bit column holds
LONG = "x" * 5000

V2_BAD_REQUESTS = [
    ("/api/v2/pages/?fields=nope", "nope"),
    ("/api/v2/pages/?fields=title(", "fields"),
    ("/api/v2/pages/?type=news.ArticlePage&fields=authors(name)", "authors"),
    ("/api/v2/pages/?nope=1", "nope"),
    ("/api/v2/pages/?limit=abc", "limit"),
    ("/api/v2/pages/?limit=51", "limit"),
    ("/api/v2/pages/?offset=-1", "offset"),
    ("/api/v2/pages/?offset=abc", "offset"),
    (f"/api/v2/pages/?offset={HUGE}", "offset"),
    (f"/api/v2/pages/?limit={HUGE}", "limit"),
    ("/api/v2/pages/?type=foo.Bar", "type"),
    ("/api/v2/pages/?type=news.Nope", "type"),
    ("/api/v2/pages/?child_of=abc", "child_of"),
    (f"/api/v2/pages/?child_of={HUGE}", "child_of"),
    (f"/api/v2/pages/?id={HUGE}", "id"),
    ("/api/v2/pages/?search_operator=xor&search=bridge", "search_operator"),
    ("/api/v2/pages/?search=", "search"),
    ("/api/v2/pages/?search=%FF%FE", "search"),
    ("/api/v2/pages/?title=%C3%28", "title"),
    ("/api/v2/pages/?search=caf%E9", "search"),
    (f"/api/v2/pages/?search={LONG}", "search"),
    ("/api/v2/pages/?title=a%00b", "title"),
    ("/api/v2/pages/?rich_text_format=nope", "rich_text_format"),
    ("/api/v2/pages/?type=news.ArticlePage&publication_date=someday", "publication_date"),
    ("/api/v2/pages/?type=news.ArticlePage&body=x", "body"),
    ("/api/v2/pages/?type=news.ArticlePage&order=nope", "nope"),
    ("/api/v2/pages/?section=world", "section"),
    ("/api/v2/articles/?type=news.NewsIndexPage", "type"),
    ("/api/v2/articles/?published_after=yesterday", "published_after"),
    ("/api/v2/articles/?published_before=2024-13-45", "published_before"),
    ("/api/v2/articles/?published_after=0001-01-01T00:00:00%2B14:00", "published_after"),
    ("/api/v2/articles/?tag=", "tag"),
    ("/api/v2/articles/?author=a,,b", "author"),
    ("/api/v2/articles/?section=a&section=b", "section"),
    (f"/api/v2/articles/?section={LONG}", "section"),
    (f"/api/v2/articles/?section={HUGE}", "section"),
    ("/api/v2/images/?limit=1000", "limit"),
    ("/api/v2/images/?nope=1", "nope"),
    ("/api/v2/documents/?offset=-5", "offset"),
    ("/api/v2/authors/?email=x@private.example", "email"),
    ("/api/v2/authors/?order=email", "email"),
    ("/api/v2/tags/?order=nope", "nope"),
    ("/api/v2/tags/?search=", "search"),
]

V3_BAD_REQUESTS = [
    ("/api/v3/articles/?nope=1", "nope"),
    ("/api/v3/articles/?limit=abc", "limit"),
    ("/api/v3/articles/?limit=51", "limit"),
    ("/api/v3/articles/?limit=0", "limit"),
    ("/api/v3/articles/?offset=-1", "offset"),
    (f"/api/v3/articles/?offset={HUGE}", "offset"),
    ("/api/v3/articles/?search=", "search"),
    ("/api/v3/articles/?search=%FF", "search"),
    (f"/api/v3/articles/?search={LONG}", "search"),
    ("/api/v3/articles/?section=%C3%28", "section"),
    ("/api/v3/articles/?published_after=yesterday", "published_after"),
    ("/api/v3/articles/?order=nope", "order"),
    ("/api/v3/articles/?tag=a,,b", "tag"),
    ("/api/v3/articles/?rich_text_format=nope", "rich_text_format"),
    ("/api/v3/pages/?limit=51", "limit"),
    ("/api/v3/pages/?offset=-1", "offset"),
    (f"/api/v3/pages/?offset={HUGE}", "offset"),
    ("/api/v3/pages/?type=foo.Bar", "type"),
    ("/api/v3/pages/?child_of=abc", "child_of"),
    ("/api/v3/pages/?search=bridge&search_operator=xor", "search_operator"),
    ("/api/v3/pages/?title=a%00b", "title"),
    (f"/api/v3/pages/{HUGE}/", "page_id"),
    ("/api/v3/pages/1/?rich_text_format=nope", "rich_text_format"),
    (f"/api/v3/pages/find/?id={HUGE}", "id"),
    ("/api/v3/images/?limit=1000", "limit"),
    (f"/api/v3/images/{HUGE}/", "image_id"),
    (f"/api/v3/documents/?offset={HUGE}", "offset"),
    ("/api/v3/authors/?order=email", "order"),
    ("/api/v3/authors/?email=x", "email"),
    ("/api/v3/tags/?nope=1", "nope"),
    (f"/api/v3/tags/{HUGE}/", "tag_id"),
]


def error_text(response):
    data = response.json()
    return " ".join(
        str(part)
        for part in (data.get("message"), data.get("detail"), data.get("parameter"), data)
        if part
    )


@pytest.mark.parametrize("url,parameter", V2_BAD_REQUESTS + V3_BAD_REQUESTS)
def test_bad_input_is_a_400_naming_the_parameter(client, url, parameter):
    response = client.get(url)
    assert response.status_code == 400, (response.status_code, response.content[:300])
    assert response["Content-Type"] in ("application/json", "application/problem+json")
    assert parameter in error_text(response)


@pytest.mark.parametrize(
    "url",
    [
        f"/api/v2/pages/{HUGE}/",
        f"/api/v2/images/{HUGE}/",
        f"/api/v2/authors/{HUGE}/",
        f"/api/v2/documents/{HUGE}/",
        "/api/v2/pages/999999/",
        "/api/v3/pages/999999/",
        "/api/v3/articles/999999/",
        "/api/v3/authors/999999/",
    ],
)
def test_unknown_ids_are_404s(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert response.json()


@pytest.mark.parametrize(
    "search",
    ['"unbalanced', "(", "AND", "OR NOT", "*", "NEAR(", "-", "a:b", "&&", "'", "\\", "%25"],
)
def test_odd_searches_never_fail(client, search):
    if search == '"unbalanced':
        build_story()
    for url in (
        "/api/v2/pages/?search=",
        "/api/v2/articles/?search=",
        "/api/v3/articles/?search=",
        "/api/v3/pages/?search=",
        "/api/v2/images/?search=",
    ):
        response = client.get(url + search.replace("&", "%26"))
        assert response.status_code in (200, 400), (url, search, response.content[:300])
        if response.status_code == 400:
            assert "search" in error_text(response)


def test_session_cookies_do_not_unlock_v3_writes(client, django_user_model):
    user = django_user_model.objects.create_superuser("boss", "boss@example.com", "pw")
    client.force_login(user)
    response = client.delete("/api/v3/pages/3/")
    assert response.status_code == 401


@pytest.mark.parametrize("host", ["", "evil.example"])
def test_a_host_the_site_does_not_serve_is_a_400_in_the_apis_format(client, settings, host):
    """Django refuses such a request before any view (DisallowedHost): on the APIs the
    400 comes in their error format (problem details on v3), elsewhere as Django's page."""
    settings.ALLOWED_HOSTS = ["testserver"]
    v3 = client.get("/api/v3/pages/", HTTP_HOST=host)
    assert v3.status_code == 400
    assert v3["Content-Type"] == "application/problem+json"
    problem = v3.json()
    assert problem["status"] == 400 and problem["title"] == "Bad Request"
    assert "Host header" in problem["detail"]

    v2 = client.get("/api/v2/pages/", HTTP_HOST=host)
    assert v2.status_code == 400 and "Host header" in v2.json()["message"]

    page = client.get("/", HTTP_HOST=host)
    assert page.status_code == 400 and page["Content-Type"].startswith("text/html")
