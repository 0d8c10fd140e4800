"""API v3's OpenAPI document is a contract: valid, complete, and what the API really answers.

Real requests go through Django's test client against content from the
factories; openapi-core checks each request and answer against the served
document, errors and redirects included. A client generated from the
document by openapi-python-client then reads a live server.
"""

import json
import re
from urllib.parse import urlsplit

import pytest
from django.contrib.staticfiles import finders
from django.core.files.base import ContentFile
from openapi_core import Config, OpenAPI
from openapi_core.datatypes import RequestParameters
from openapi_spec_validator import validate
from werkzeug.datastructures import Headers, ImmutableMultiDict

from tests.api_support import build_story, token_for
from tests.comment_support import aged_token, make_comment, relaxed_settings
from tests.factories import home_page

pytestmark = pytest.mark.django_db

HUGE = "9223372036854775808"
ORIGIN = "https://frontend.example"
#: Public GET operations tested by their own modules, with their own set-up.
TESTED_ELSEWHERE = {"pages_preview"}


@pytest.fixture(scope="module")
def document(django_db_setup, django_db_blocker):
    from django.test import Client

    with django_db_blocker.unblock():
        response = Client().get("/api/v3/openapi.json")
    assert response.status_code == 200
    return response.json()


@pytest.fixture(scope="module")
def contract(document):
    # openapi-core reads JSON bodies as JSON; errors are JSON too, under their own type.
    config = Config(extra_media_type_deserializers={"application/problem+json": json.loads})
    return OpenAPI.from_dict(document, config=config)


def operations(document):
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def schema_of(document, ref):
    return document["components"]["schemas"][ref.rsplit("/", 1)[-1]]


# openapi-core's request and response protocols, over Django's test client -----


class ContractRequest:
    """A Django request as openapi-core reads one."""

    def __init__(self, request):
        self.host_url = f"{request.scheme}://{request.get_host()}"
        self.path = request.path
        self.method = request.method.lower()
        self.content_type = (request.content_type or "").lower()
        self.body = request.body or None
        self.parameters = RequestParameters(
            query=ImmutableMultiDict(
                [(key, value) for key, values in request.GET.lists() for value in values]
            ),
            header=Headers(list(request.headers.items())),
            cookie=ImmutableMultiDict(list(request.COOKIES.items())),
        )


class ContractResponse:
    """A Django response as openapi-core reads one."""

    def __init__(self, response):
        self.status_code = response.status_code
        self.data = response.content
        self.content_type = response.get("Content-Type", "").lower()
        self.headers = Headers(list(response.items()))


def call(client, method, url, *, body=None, **headers):
    if body is None:
        return getattr(client, method)(url, **headers)
    return client.generic(
        method.upper(), url, json.dumps(body), content_type="application/json", **headers
    )


def check(contract, client, case):
    """Make the request of ``case``; return what is wrong with it, or None."""
    operation_id, method, url, status, *rest = case
    options = rest[0] if rest else {}
    response = call(client, method, url, body=options.get("body"), **options.get("headers", {}))
    if response.status_code != status:
        return (
            f"{operation_id} {url}: {response.status_code}, not {status}: {response.content[:300]}"
        )
    request = ContractRequest(response.wsgi_request)
    try:
        contract.validate_response(request, ContractResponse(response))
    except Exception as error:  # openapi-core's errors: report them all, per case
        details = getattr(error, "__cause__", None) or error
        return f"{operation_id} {url} ({status}): {type(details).__name__}: {details}"[:2000]
    request_is_valid = options.get("request_is_valid", True)
    try:
        contract.validate_request(request)
    except Exception as error:
        if request_is_valid:
            return f"{operation_id} {url}: request does not fit the document: {error}"
    else:
        if not request_is_valid:
            return f"{operation_id} {url}: the document should refuse this request"
    return None


def check_all(contract, client, cases):
    problems = [problem for case in cases if (problem := check(contract, client, case))]
    assert not problems, "\n".join(problems)


def operation_matches(document, operation_id, method, url):
    for path, path_method, operation in operations(document):
        if operation["operationId"] == operation_id:
            pattern = re.sub(
                r"\{[^}]+\}", "[^/]+", re.escape(path).replace(r"\{", "{").replace(r"\}", "}")
            )
            return path_method == method and re.fullmatch(pattern, urlsplit(url).path)
    return False


# Content -----------------------------------------------------------------------------


@pytest.fixture
def content():
    from wagtail.contrib.redirects.models import Redirect
    from wagtail.documents import get_document_model

    story = build_story()
    article = story["article"]
    make_comment(article, author_url="https://reader.example/")
    document = get_document_model().objects.create(
        title="Council minutes", file=ContentFile(b"Minutes of the meeting.", name="minutes.txt")
    )
    redirect = Redirect.objects.create(old_path="/old-bridge-story", redirect_page=article)
    author = story["authors"][0]
    return {
        **story,
        "author": author,
        "tag": article.tags.order_by("name").first(),
        "document": document,
        "redirect": redirect,
        "home": home_page(),
    }


def public_cases(c):
    article, section = c["article"], c["section"]
    return [
        ("pages_list", "get", "/api/v3/pages/", 200),
        ("pages_list", "get", "/api/v3/pages/?type=news.ArticlePage&limit=2&offset=1", 200),
        ("pages_list", "get", "/api/v3/pages/?search=bridge", 200),
        ("pages_detail", "get", f"/api/v3/pages/{article.pk}/", 200),
        ("pages_detail", "get", f"/api/v3/pages/{article.pk}/?rich_text_format=markdown", 200),
        # Without a token a draft is not shown: the live version is (test_api_privacy).
        ("pages_detail", "get", f"/api/v3/pages/{article.pk}/?version=draft", 200),
        ("pages_detail", "get", f"/api/v3/pages/{section.pk}/", 200),
        ("pages_detail", "get", f"/api/v3/pages/{c['home'].pk}/", 200),
        ("pages_find", "get", f"/api/v3/pages/find/?html_path={article.url}", 302),
        ("pages_find", "get", f"/api/v3/pages/find/?id={article.pk}", 302),
        ("articles_list", "get", "/api/v3/articles/", 200),
        ("articles_list", "get", "/api/v3/articles/?tag=bridges&order=-title,id&limit=5", 200),
        ("articles_list", "get", "/api/v3/articles/?search=bridge&section=science", 200),
        ("articles_detail", "get", f"/api/v3/articles/{article.pk}/", 200),
        ("authors_list", "get", "/api/v3/authors/?order=-name", 200),
        ("authors_detail", "get", f"/api/v3/authors/{c['author'].pk}/", 200),
        ("tags_list", "get", "/api/v3/tags/?search=bri", 200),
        ("tags_detail", "get", f"/api/v3/tags/{c['tag'].pk}/", 200),
        ("images_list", "get", "/api/v3/images/", 200),
        ("images_detail", "get", f"/api/v3/images/{c['lead'].pk}/", 200),
        ("documents_list", "get", "/api/v3/documents/", 200),
        ("documents_detail", "get", f"/api/v3/documents/{c['document'].pk}/", 200),
        ("redirects_list", "get", "/api/v3/redirects/", 200),
        ("redirects_detail", "get", f"/api/v3/redirects/{c['redirect'].pk}/", 200),
        ("redirects_find", "get", "/api/v3/redirects/find/?html_path=/old-bridge-story", 302),
        ("comments_list", "get", f"/api/v3/comments/?article={article.pk}", 200),
        ("comments_form_token", "get", f"/api/v3/comments/form-token/?article={article.pk}", 200),
        ("site_detail", "get", "/api/v3/site/", 200),
    ]


def error_cases(c):
    article = c["article"]
    refused = {"request_is_valid": False}
    return [
        ("articles_list", "get", "/api/v3/articles/?limit=51", 400, refused),
        ("articles_list", "get", "/api/v3/articles/?limit=0", 400, refused),
        ("articles_list", "get", "/api/v3/articles/?limit=abc", 400, refused),
        ("articles_list", "get", "/api/v3/articles/?offset=-1", 400, refused),
        ("articles_list", "get", "/api/v3/articles/?order=nope", 400, refused),
        ("articles_list", "get", "/api/v3/articles/?rich_text_format=nope", 400, refused),
        # Unknown parameters: OpenAPI lets a request carry more; the API refuses them.
        ("articles_list", "get", "/api/v3/articles/?nope=1", 400, {"request_is_valid": True}),
        (
            "articles_list",
            "get",
            "/api/v3/articles/?section=a%00b",
            400,
            {"request_is_valid": True},
        ),
        ("pages_list", "get", "/api/v3/pages/?limit=51", 400, refused),
        ("pages_list", "get", f"/api/v3/pages/?offset={HUGE}", 400, refused),
        ("pages_list", "get", "/api/v3/pages/?type=foo.Bar", 400, refused),
        ("pages_detail", "get", f"/api/v3/pages/{HUGE}/", 400, refused),
        ("tags_list", "get", "/api/v3/tags/?order=colour", 400, refused),
        ("authors_list", "get", "/api/v3/authors/?email=x", 400, {"request_is_valid": True}),
        ("images_list", "get", "/api/v3/images/?limit=1000", 400, refused),
        ("pages_detail", "get", "/api/v3/pages/999999/", 404),
        ("pages_find", "get", "/api/v3/pages/find/?html_path=/no/such/page/", 404),
        ("articles_detail", "get", "/api/v3/articles/999999/", 404),
        ("articles_detail", "get", f"/api/v3/articles/{c['section'].pk}/", 404),
        ("authors_detail", "get", "/api/v3/authors/999999/", 404),
        ("tags_detail", "get", "/api/v3/tags/999999/", 404),
        ("images_detail", "get", "/api/v3/images/999999/", 404),
        ("documents_detail", "get", "/api/v3/documents/999999/", 404),
        ("redirects_find", "get", "/api/v3/redirects/find/?html_path=/nowhere", 404),
        ("comments_list", "get", "/api/v3/comments/", 400, refused),
        ("comments_list", "get", "/api/v3/comments/?article=999999", 400),
        ("comments_list", "get", f"/api/v3/comments/?article={article.pk}&limit=51", 400, refused),
        # Tokens: none, or one whose user lacks the permission.
        ("pages_revisions_list", "get", f"/api/v3/pages/{article.pk}/revisions/", 401, refused),
        ("whoami", "get", "/api/v3/whoami/", 401, refused),
        ("schema_list", "get", "/api/v3/schema/", 401, refused),
    ]


def test_the_document_is_valid_openapi_3_1(document):
    assert document["openapi"].startswith("3.1")
    validate(document)


def test_every_operation_documents_its_errors(document):
    problem = {"$ref": "#/components/schemas/Problem"}
    missing = []
    for path, method, operation in operations(document):
        responses = operation["responses"]
        token_needed = operation.get("security") and {} not in operation["security"]
        wanted = {"400"}
        if "{" in path or operation["operationId"].endswith("_find"):
            wanted.add("404")
        if token_needed:
            wanted |= {"401", "403"}
        for status in wanted:
            content = responses.get(status, {}).get("content", {})
            if content != {"application/problem+json": {"schema": problem}}:
                missing.append(f"{method.upper()} {path}: {status}")
        for status, response in responses.items():
            if status >= "400":
                assert list(response["content"]) == ["application/problem+json"], (path, status)
    assert not missing, missing
    problem_schema = document["components"]["schemas"]["Problem"]
    assert set(problem_schema["properties"]) >= {"type", "title", "status", "detail", "instance"}
    assert problem_schema["required"] == ["type", "title", "status", "detail"]
    error_item = document["components"]["schemas"]["ProblemError"]
    assert {"loc", "msg"} <= set(error_item["properties"])


def test_find_operations_document_their_redirect(document):
    for path in ("/api/v3/pages/find/", "/api/v3/redirects/find/"):
        responses = document["paths"][path]["get"]["responses"]
        assert "200" not in responses
        assert responses["302"]["headers"]["Location"]["required"] is True


def test_servers_are_the_public_address(document, settings):
    assert document["servers"][0]["url"] == settings.BYLINE_BASE_URL
    assert all(path.startswith("/api/v3/") for path in document["paths"])


def test_page_unions_have_a_discriminator_with_its_mapping(document):
    union = document["paths"]["/api/v3/pages/{page_id}/"]["get"]["responses"]["200"]
    schema = union["content"]["application/json"]["schema"]
    assert schema["discriminator"]["propertyName"] == "type"
    mapping = schema["discriminator"]["mapping"]
    assert mapping["news.ArticlePage"] == "#/components/schemas/ArticlePageSchema"
    assert set(mapping.values()) == {member["$ref"] for member in schema["oneOf"]}
    for label, ref in mapping.items():
        member = schema_of(document, ref)
        assert member["properties"]["type"]["const"] == label
        assert "type" in member["required"]


def test_fields_always_sent_are_required_and_not_null(document):
    schemas = document["components"]["schemas"]
    article = schemas["ArticlePageSchema"]
    assert set(article["required"]) == set(article["properties"])
    for name in ("ArticlePageMetaSchema", "PublicAuthorSchema", "PublicTagSchema", "ImageSchema"):
        assert set(schemas[name]["required"]) >= set(schemas[name]["properties"]) - {"warnings"}
    meta = schemas["ArticlePageMetaSchema"]["properties"]
    for name in ("type", "detail_url", "locale", "slug"):
        assert "anyOf" not in meta[name], name
    assert {"type": "null"} in meta["html_url"]["anyOf"]  # a page may have no address
    # Computed fields: nullable only if their declared schema is.
    assert article["properties"]["authors"]["type"] == "array"
    assert article["properties"]["reading_time"]["type"] == "integer"
    assert {"type": "null"} in article["properties"]["section"]["anyOf"]
    assert {"type": "null"} in article["properties"]["lead_image"]["anyOf"]
    # Model fields: nullable only if their column is (blank CharFields hold "").
    author = schemas["PublicAuthorSchema"]["properties"]
    assert author["role"]["type"] == author["slug"]["type"] == "string"
    for name in ("PublicAuthorMetaSchema", "TagMetaSchema"):
        for field in ("detail_url", "articles_url"):
            assert schemas[name]["properties"][field]["type"] == "string", (name, field)


def test_no_two_schemas_share_a_name():
    from cms.api.v3 import api
    from cms.api.v3.openapi import ContractSchema

    assert ContractSchema(api, "/api/v3/").name_clashes == set()


def test_limits_and_enums_are_declared(document, settings):
    def parameters(path):
        return {p["name"]: p["schema"] for p in document["paths"][path]["get"]["parameters"]}

    for path in (
        "/api/v3/articles/",
        "/api/v3/pages/",
        "/api/v3/authors/",
        "/api/v3/tags/",
        "/api/v3/images/",
        "/api/v3/documents/",
        "/api/v3/comments/",
    ):
        params = parameters(path)
        assert params["limit"]["maximum"] == settings.WAGTAILAPI_LIMIT_MAX == 50, path
        assert params["limit"]["minimum"] == 1, path
        assert params["offset"]["minimum"] == 0, path
    for path in ("/api/v3/authors/", "/api/v3/tags/"):
        assert parameters(path)["order"]["enum"] == ["name", "-name", "slug", "-slug", "id", "-id"]
    articles = parameters("/api/v3/articles/")
    assert re.fullmatch(articles["order"]["pattern"], "-publication_date,title")
    assert not re.fullmatch(articles["order"]["pattern"], "email")
    formats = ["db_html", "html", "db_markdown", "markdown"]
    assert articles["rich_text_format"]["enum"] == formats
    assert parameters("/api/v3/pages/{page_id}/")["rich_text_format"]["enum"] == formats
    assert parameters("/api/v3/pages/{page_id}/")["version"]["enum"] == ["live", "draft"]
    for _path, _method, operation in operations(document):
        for parameter in operation["parameters"]:
            assert {"type": "null"} not in parameter["schema"].get("anyOf", []), parameter


def test_no_request_body_has_a_default_beside_a_reference(document):
    """openapi-python-client skips such operations ("ModelProperty cannot have a default")."""
    for path, method, operation in operations(document):
        for media in operation.get("requestBody", {}).get("content", {}).values():
            schema = media["schema"]
            assert not ("default" in schema and ("$ref" in schema or "allOf" in schema)), (
                method,
                path,
            )


def test_comments_are_in_the_main_document(document, client):
    assert {"/api/v3/comments/", "/api/v3/comments/form-token/"} <= set(document["paths"])
    post = document["paths"]["/api/v3/comments/"]["post"]
    # 429 and 503: refused before storing (rate limit, full moderation queue).
    assert set(post["responses"]) == {"201", "400", "403", "429", "503"}
    old = client.get("/api/v3/comments/openapi.json")
    assert old.status_code == 301 and old["Location"] == "/api/v3/openapi.json"


def test_every_public_read_is_exercised(document, content):
    cases = public_cases(content) + error_cases(content)
    exercised = {case[0] for case in cases}
    public_gets = {
        operation["operationId"]
        for _path, method, operation in operations(document)
        if method == "get" and {} in operation.get("security", [{}])
    }
    assert public_gets - exercised - TESTED_ELSEWHERE == set()
    for operation_id, method, url, *_ in cases:
        assert operation_matches(document, operation_id, method, url), (operation_id, url)


def test_public_reads_are_what_the_document_says(contract, client, content):
    check_all(contract, client, public_cases(content))


def test_errors_are_what_the_document_says(contract, client, content):
    check_all(contract, client, error_cases(content))


def test_answers_with_a_token_are_what_the_document_says(
    contract, client, content, django_user_model
):
    article = content["article"]
    article.title = "The bridge reopens, again"
    article.save_revision()
    admin = django_user_model.objects.create_superuser("boss", "boss@example.com", "pw")
    reader = django_user_model.objects.create_user("reader", "reader@example.com", "pw")
    as_admin = {"headers": {"HTTP_AUTHORIZATION": f"Bearer {token_for(admin)}"}}
    as_reader = {"headers": {"HTTP_AUTHORIZATION": f"Bearer {token_for(reader)}"}}
    check_all(
        contract,
        client,
        [
            ("pages_detail", "get", f"/api/v3/pages/{article.pk}/?version=draft", 200, as_admin),
            (
                "pages_revisions_list",
                "get",
                f"/api/v3/pages/{article.pk}/revisions/",
                200,
                as_admin,
            ),
            ("whoami", "get", "/api/v3/whoami/", 200, as_reader),
            (
                "pages_revisions_list",
                "get",
                f"/api/v3/pages/{article.pk}/revisions/",
                403,
                as_reader,
            ),
        ],
    )


def test_posting_comments_is_what_the_document_says(contract, client, content):
    article = content["article"]
    relaxed_settings(api_allowed_origins=ORIGIN)
    payload = {
        "article": article.pk,
        "author_name": "Ola Nordmann",
        "author_email": "ola@example.org",
        "author_url": "https://ola.example/",
        "body": "Will the bridge open at night?",
        "form_token": aged_token(article.pk, origin=ORIGIN),
    }
    origin = {"HTTP_ORIGIN": ORIGIN}
    check_all(
        contract,
        client,
        [
            (
                "comments_create",
                "post",
                "/api/v3/comments/",
                201,
                {"body": payload, "headers": origin},
            ),
            (
                "comments_create",
                "post",
                "/api/v3/comments/",
                400,
                {"body": {**payload, "author_email": "nope"}, "headers": origin},
            ),
            (
                "comments_create",
                "post",
                "/api/v3/comments/",
                400,
                {"body": {**payload, "body": 12}, "headers": origin, "request_is_valid": False},
            ),
            (
                "comments_create",
                "post",
                "/api/v3/comments/",
                403,
                {"body": payload, "headers": {"HTTP_ORIGIN": "https://elsewhere.example"}},
            ),
        ],
    )


# The docs page, offline ------------------------------------------------------------


def test_docs_page_loads_only_its_own_static_files(client):
    response = client.get("/api/v3/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    sources = re.findall(r'<(?:script|link)\b[^>]*\b(?:src|href)="([^"]+)"', html)
    assert any(source.endswith("swagger-ui-bundle.js") for source in sources), sources
    assert any(source.endswith("swagger-ui.css") for source in sources), sources
    for source in sources:
        parts = urlsplit(source)
        assert not parts.scheme and not parts.netloc, source  # same origin
        assert source.startswith("/static/"), source
        assert finders.find(source.removeprefix("/static/")), source
    assert "cdn" not in html.lower()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_swagger_ui_renders_offline(live_server, browser):  # noqa: F811 - the fixture
    """Every request the docs page makes stays on this site, and the operations show."""
    elsewhere = []

    def only_here(route):
        if route.request.url.startswith(live_server.url):
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort()

    page = browser.new_page()
    page.route("**/*", only_here)
    page.goto(f"{live_server.url}/api/v3/docs/")
    page.wait_for_selector(".opblock", timeout=15000)
    assert page.locator(".opblock").count() >= 60
    assert page.locator("text=Byline content API").count() >= 1
    assert elsewhere == []
    page.close()


# A client generated from the served document -----------------------------------------


def generate_client(document_url, directory):
    """openapi-python-client, offline: no formatter hooks, no downloads."""
    import subprocess
    import sys
    import urllib.request
    from pathlib import Path

    spec = directory / "openapi.json"
    with urllib.request.urlopen(document_url) as answer:  # noqa: S310 - the live test server
        spec.write_bytes(answer.read())
    config = directory / "config.yaml"
    config.write_text("post_hooks: []\n")
    command = Path(sys.executable).parent / "openapi-python-client"
    result = subprocess.run(
        [
            command,
            "generate",
            "--path",
            spec,
            "--config",
            config,
            "--meta",
            "none",
            "--output-path",
            directory / "byline_client",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    # Every operation was generated: none skipped for an unusable schema.
    assert "Warning" not in result.stdout + result.stderr, result.stdout + result.stderr


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_generated_client_reads_the_api_with_types(live_server, tmp_path):
    import datetime
    import sys

    story = build_story()
    article = story["article"]
    generate_client(f"{live_server.url}/api/v3/openapi.json", tmp_path)
    sys.path.insert(0, str(tmp_path))
    try:
        from byline_client import Client
        from byline_client.api.articles import articles_detail, articles_list
        from byline_client.api.pages import pages_detail
        from byline_client.models import (
            ArticleListSchema,
            ArticlePageSchema,
            NewsIndexPageSchema,
            Problem,
        )

        client = Client(base_url=live_server.url, raise_on_unexpected_status=True)
        listing = articles_list.sync(client=client, limit=5, order="-title")
        assert isinstance(listing, ArticleListSchema)
        assert listing.count == 2
        assert [item.title for item in listing.items] == ["The earlier story", "The bridge reopens"]
        first = listing.items[1]
        assert isinstance(first.publication_date, datetime.datetime)
        assert first.section.slug == "science"

        detail = articles_detail.sync(client=client, article_id=article.pk)
        assert isinstance(detail, ArticlePageSchema)
        assert detail.id == article.pk
        assert [author.name for author in detail.authors] == ["Ada Reporter", "Ben Writer"]
        assert detail.meta.type_ == "news.ArticlePage"
        assert isinstance(detail.reading_time, int)

        # One operation, several page types: the discriminator picks the class.
        page = pages_detail.sync(client=client, page_id=article.pk)
        assert isinstance(page, ArticlePageSchema) and page.type_ == "news.ArticlePage"
        section = pages_detail.sync(client=client, page_id=story["section"].pk)
        assert isinstance(section, NewsIndexPageSchema)

        # Errors are typed too.
        missing = articles_detail.sync(client=client, article_id=999999)
        assert isinstance(missing, Problem) and missing.status == 404
        refused = articles_list.sync(client=client, limit=51)
        assert isinstance(refused, Problem) and refused.status == 400
        assert refused.errors[0].loc == ["query", "limit"]
    finally:
        sys.path.remove(str(tmp_path))
        for name in [name for name in sys.modules if name.partition(".")[0] == "byline_client"]:
            del sys.modules[name]
