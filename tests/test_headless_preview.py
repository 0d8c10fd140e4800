"""Headless preview: frontends per site, preview modes, preview tokens and the preview API."""

import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.core import signing
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import Site

from cms.headless.models import HeadlessFrontend, HeadlessSettings
from cms.headless.tokens import SALT, issue_preview_token, read_preview_token
from news.models import ArticleAuthor, ArticlePage
from tests.api_support import block, build_story, full_body, page_link, rich_author, small_image
from tests.factories import home_page, make_article, make_author, make_section
from tests.test_admin import article_form

pytestmark = pytest.mark.django_db

FRONTEND = "https://front.example/preview/?theme=dark"
VERSIONS = ["v2", "v3"]


def set_frontends(*frontends):
    """Settings → Headless frontends of the default site: (name, url) pairs, default first."""
    settings = HeadlessSettings.for_site(Site.objects.get(is_default_site=True))
    settings.frontends = [
        HeadlessFrontend(name=name, url=url, sort_order=position)
        for position, (name, url) in enumerate(frontends)
    ]
    settings.save()
    return settings


def preview(client, version, status=200, **params):
    response = client.get(f"/api/{version}/preview/", params)
    assert response.status_code == status, response.content[:500]
    assert response["Cache-Control"] == "private, no-store"
    return response


def refusal(client, version, status, **params):
    response = preview(client, version, status, **params)
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == status
    return problem["detail"]


@pytest.fixture
def story():
    return build_story()


@pytest.fixture
def draft(story):
    """A saved, unpublished change to the published story: headline, byline and tags."""
    article = story["article"]
    page = article.get_latest_revision_as_object()
    page.title = "The bridge reopens at last"
    page.standfirst = "A draft standfirst."
    page.article_authors = [ArticleAuthor(author=rich_author("Cy Draftsman"), sort_order=0)]
    page.tags.set(["Drafts"])
    revision = page.save_revision()
    return {**story, "revision": revision, "token": issue_preview_token(article, revision.pk)}


def normalise_instants(value):
    """Datetimes to the millisecond: a revision stores them so (Django's JSON encoder)."""
    if isinstance(value, dict):
        return {key: normalise_instants(item) for key, item in value.items()}
    if isinstance(value, list):
        return [normalise_instants(item) for item in value]
    if isinstance(value, str) and len(value) > 18 and value[4] == "-" and value[10] == "T":
        try:
            moment = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return value
        return moment.replace(microsecond=moment.microsecond // 1000 * 1000)
    return value


# Tokens -------------------------------------------------------------------------------


def test_a_token_names_the_page_type_page_and_revision(story):
    article = story["article"]
    scope = read_preview_token(issue_preview_token(article, article.latest_revision_id))
    assert scope.content_type == "news.articlepage"
    assert (scope.page_id, scope.revision_id) == (article.pk, article.latest_revision_id)


@pytest.mark.parametrize("version", VERSIONS)
def test_a_token_expires_after_ten_minutes(client, draft, version):
    start = datetime.datetime(2025, 5, 1, 9, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False):
        token = issue_preview_token(draft["article"], draft["revision"].pk)
    with time_machine.travel(start + datetime.timedelta(seconds=599), tick=False):
        assert (
            preview(client, version, token=token).json()["title"]
            == draft["revision"].content["title"]
        )
    with time_machine.travel(start + datetime.timedelta(seconds=601), tick=False):
        detail = refusal(client, version, 401, token=token)
    assert "expired" in detail and "10 minutes" in detail


def test_the_lifetime_is_a_setting(client, draft, settings):
    settings.BYLINE_PREVIEW_TOKEN_MAX_AGE = 60
    start = datetime.datetime(2025, 5, 1, 9, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False):
        token = issue_preview_token(draft["article"], draft["revision"].pk)
    with time_machine.travel(start + datetime.timedelta(seconds=61), tick=False):
        assert "1 minutes" in refusal(client, "v3", 401, token=token)


def tampered(token):
    payload, timestamp, signature = token.split(":")
    other = signing.dumps({"ct": "news.articlepage", "page": 1, "rev": 1}, salt=SALT)
    return {
        "another payload, same signature": f"{other.split(':')[0]}:{timestamp}:{signature}",
        "signature changed": f"{payload}:{timestamp}:{signature[:-2]}xx",
        "cut short": token[: len(token) // 2],
        "another salt": signing.dumps(signing.loads(token, salt=SALT), salt="byline.comments"),
        "not a token": "hello",
        "not ASCII": "prévisualisation:abc:def",
    }


@pytest.mark.parametrize("version", VERSIONS)
def test_altered_or_foreign_tokens_are_refused(client, draft, version):
    for case, token in tampered(draft["token"]).items():
        detail = refusal(client, version, 401, token=token)
        assert "not valid" in detail, case
    response = preview(client, version, 401, token="x")
    assert response["WWW-Authenticate"].startswith("PreviewToken")


@pytest.mark.parametrize("version", VERSIONS)
def test_a_token_serves_its_own_page_and_revision_only(client, draft, version):
    article, revision, token = draft["article"], draft["revision"], draft["token"]
    other = draft["earlier"]
    detail = refusal(client, version, 403, token=token, id=other.pk)
    assert detail == f"This preview token is for page {article.pk}, not page {other.pk}."
    older = article.revisions.exclude(pk=revision.pk).first()
    detail = refusal(client, version, 403, token=token, revision=older.pk)
    assert f"is for revision {revision.pk}, not revision {older.pk}" in detail
    # The page and revision it is for.
    data = preview(client, version, token=token, id=article.pk, revision=revision.pk).json()
    assert data["title"] == "The bridge reopens at last"
    # A token for an older revision shows that revision.
    old = preview(client, version, token=issue_preview_token(article, older.pk)).json()
    assert old["title"] == "The bridge reopens"


@pytest.mark.parametrize("version", VERSIONS)
def test_a_token_whose_type_or_revision_does_not_match_is_refused(client, draft, version):
    article = draft["article"]
    forged = signing.dumps(
        {"ct": "home.homepage", "page": article.pk, "rev": draft["revision"].pk}, salt=SALT
    )
    assert "another type" in refusal(client, version, 403, token=forged)
    # A revision of another page, named as this page's.
    foreign = signing.dumps(
        {"ct": "news.articlepage", "page": article.pk, "rev": draft["earlier"].latest_revision_id},
        salt=SALT,
    )
    assert "no longer exists" in refusal(client, version, 404, token=foreign)
    draft["revision"].delete()
    assert "no longer exists" in refusal(client, version, 404, token=draft["token"])


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize(
    ("params", "name"),
    [
        ({}, "token"),
        ({"token": ""}, "token"),
        ({"token": "x", "id": "abc"}, "id"),
        ({"token": "x", "id": "0"}, "id"),
        ({"token": "x", "revision": str(2**70)}, "revision"),
        ({"token": "x", "colour": "red"}, "colour"),
        ({"token": "x" * 1200}, "token"),
    ],
)
def test_bad_parameters_are_400s_naming_them(client, version, params, name):
    response = preview(client, version, 400, **params)
    assert name in response.content.decode()


# The preview endpoints ----------------------------------------------------------------


#: What a revision holds; publishing dates (and what derives from them) belong to the page.
CONTENT_FIELDS = [
    "id",
    "title",
    "standfirst",
    "publication_date",
    "url",
    "section",
    "authors",
    "lead_image",
    "body",
    "tags",
    "reading_time",
]


@pytest.mark.parametrize("version", VERSIONS)
def test_a_preview_is_the_public_detail_built_from_the_revision(client, story, version):
    article = story["article"]
    token = issue_preview_token(article, article.live_revision_id)
    public = client.get(f"/api/{version}/pages/{article.pk}/").json()
    shown = preview(client, version, token=token).json()
    assert set(shown) == set(public)
    assert set(shown["meta"]) == set(public["meta"])
    for name in CONTENT_FIELDS:
        assert normalise_instants(shown[name]) == normalise_instants(public[name]), name
    for name in ("type", "detail_url", "html_url", "slug", "parent"):
        assert shown["meta"][name] == public["meta"][name], name


@pytest.mark.parametrize("version", VERSIONS)
def test_a_preview_shows_the_draft_and_nothing_else_does(client, draft, version):
    article = draft["article"]
    shown = preview(client, version, token=draft["token"]).json()
    assert shown["title"] == "The bridge reopens at last"
    assert shown["standfirst"] == "A draft standfirst."
    assert [author["name"] for author in shown["authors"]] == ["Cy Draftsman"]
    assert [tag["name"] for tag in shown["tags"]] == ["Drafts"]
    assert "private.example" not in str(shown)  # authors' e-mail addresses

    public = client.get(f"/api/{version}/pages/{article.pk}/").json()
    assert public["title"] == "The bridge reopens"
    listing = client.get(f"/api/{version}/articles/", {"limit": 50}).content.decode()
    pages = client.get(f"/api/{version}/pages/", {"search": "last"}).content.decode()
    for text in (listing, pages):
        assert "The bridge reopens at last" not in text and "Cy Draftsman" not in text
    # The draft's byline counts for nothing yet.
    author = shown["authors"][0]
    assert client.get(f"/api/{version}/authors/{author['id']}/").json()["article_count"] == 0


def test_a_preview_costs_the_same_queries_however_rich_the_draft(client):
    """More images, links and related articles in the body and biographies add no query.

    Rebuilding a revision checks each byline's and tag's references (Wagtail's
    as_object(), as in the admin's previews), so those counts are kept equal.
    """
    section = make_section("World", slug="world")
    earlier = make_article(section, title="Earlier story")
    others = [make_article(section, title=f"Other story {n}") for n in range(3)]

    def draft_costs(rich):
        article = make_article(section)
        page = article.get_latest_revision_as_object()
        linked = others if rich else others[:1]
        bio = "".join(page_link(other) for other in linked)
        page.article_authors = [
            ArticleAuthor(author=rich_author(f"Author {rich} {n}", long_bio=bio), sort_order=n)
            for n in range(2)
        ]
        page.tags.set(["one", "two"])
        images = [small_image(f"Image {rich} {n}") for n in range(len(linked))]
        body = full_body(images=images, related=earlier)
        body += [block("paragraph", page_link(other)) for other in linked]
        body += [block("related_article", {"article": o.pk, "label": ""}) for o in linked]
        page.body = body
        token = issue_preview_token(article, page.save_revision().pk)
        costs = {}
        for version in VERSIONS:
            preview(client, version, token=token)  # renditions are made on first use
            with CaptureQueriesContext(connection) as queries:
                preview(client, version, token=token)
            costs[version] = len(queries)
        return costs

    assert draft_costs(rich=True) == draft_costs(rich=False)


def test_a_never_published_page_can_be_previewed(client):
    article = make_article(title="Embargoed until Friday", publish=False)
    revision = article.save_revision()
    token = issue_preview_token(article, revision.pk)
    for version in VERSIONS:
        assert preview(client, version, token=token).json()["title"] == "Embargoed until Friday"
        assert client.get(f"/api/{version}/pages/{article.pk}/").status_code == 404


def test_a_section_preview(client):
    section = make_section("Harbour", introduction="Ships and quays.")
    page = section.get_latest_revision_as_object()
    page.introduction = "Ships, quays and the draft."
    revision = page.save_revision()
    shown = preview(client, "v3", token=issue_preview_token(section, revision.pk)).json()
    assert shown["meta"]["type"] == "news.NewsIndexPage"
    assert shown["introduction"] == "Ships, quays and the draft."


@pytest.mark.parametrize("version", VERSIONS)
def test_a_front_page_preview(client, version):
    home = home_page()
    page = home.get_latest_revision_as_object()
    page.title = "Front page, redesigned"
    revision = page.save_revision()
    shown = preview(client, version, token=issue_preview_token(home, revision.pk)).json()
    assert shown["meta"]["type"] == "home.HomePage"
    assert shown["title"] == "Front page, redesigned"


def test_the_preview_endpoint_is_in_the_openapi_document(client):
    operation = client.get("/api/v3/openapi.json").json()["paths"]["/api/v3/preview/"]["get"]
    assert {"200", "401", "403", "404"} <= set(operation["responses"])
    assert {p["name"] for p in operation["parameters"]} >= {"token", "id", "revision"}


# Preview modes and the admin ----------------------------------------------------------


def test_frontends_are_preview_modes_beside_the_server_rendered_one(story):
    article = story["article"]
    assert ArticlePage.objects.get(pk=article.pk).preview_modes == [
        ("", "Website (server-rendered)")
    ]
    settings = set_frontends(("Website", FRONTEND), ("App", "http://127.0.0.1:3000/"))
    app = settings.frontends.get(name="App")
    for page in (ArticlePage.objects.get(pk=article.pk), story["section"], home_page()):
        assert page.preview_modes == [
            ("", "Website (server-rendered)"),
            ("frontend", "Frontend: Website"),
            (f"frontend-{app.pk}", "Frontend: App"),
        ]
        assert page.default_preview_mode == ""


def test_preview_modes_cost_no_query_once_the_frontends_are_known(story, django_assert_num_queries):
    """Wagtail's dashboard asks every page it lists for its preview modes."""
    set_frontends(("Website", FRONTEND))
    articles = list(ArticlePage.objects.all())
    assert articles[0].preview_modes[1] == ("frontend", "Frontend: Website")
    with django_assert_num_queries(0):
        for article in articles[1:]:
            assert article.is_previewable()
            assert len(article.preview_modes) == 2


def test_the_preview_panel_opens_the_frontend_with_a_token_for_the_saved_draft(
    admin_client, client
):
    set_frontends(("Website", FRONTEND))
    nia = make_author("Nia Berg")
    article = make_article(make_section("Coast"), title="Ferry timetable", authors=[nia])
    saved = article.get_latest_revision_as_object()
    saved.title = "Ferry timetable changes"
    revision = saved.save_revision()
    url = reverse("wagtailadmin_pages:preview_on_edit", args=(article.pk,))
    # What the panel does: post the form as it stands (unsaved edits), then load the mode.
    unsaved = article_form(nia, slug=article.slug, title="Not saved yet")
    assert admin_client.post(url, unsaved).json()["is_valid"] is True

    response = admin_client.get(url, {"mode": "frontend", "in_preview_panel": "true"})

    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location._replace(query="").geturl() == "https://front.example/preview/"
    query = parse_qs(location.query)
    assert query["theme"] == ["dark"]  # the frontend's own parameters are kept
    scope = read_preview_token(query["preview_token"][0])
    assert (scope.page_id, scope.revision_id) == (article.pk, revision.pk)
    shown = preview(client, "v2", token=query["preview_token"][0]).json()
    assert shown["title"] == "Ferry timetable changes"  # saved, not the unsaved form
    # The server-rendered mode still shows the form as it stands.
    assert b"Not saved yet" in admin_client.get(url, {"mode": ""}).content


def test_a_revision_in_the_history_previews_that_revision(admin_client):
    set_frontends(("Website", FRONTEND))
    article = make_article(title="First headline")
    first = article.live_revision
    later = article.get_latest_revision_as_object()
    later.title = "Second headline"
    later.save_revision()
    url = reverse("wagtailadmin_pages:revisions_view", args=(article.pk, first.pk))
    response = admin_client.get(url, {"mode": "frontend"})
    assert response.status_code == 302
    token = parse_qs(urlsplit(response["Location"]).query)["preview_token"][0]
    assert read_preview_token(token).revision_id == first.pk


def test_a_new_page_asks_to_be_saved_first(admin_client):
    set_frontends(("Website", FRONTEND))
    section = make_section("Coast")
    url = reverse("wagtailadmin_pages:preview_on_add", args=("news", "articlepage", section.pk))
    assert admin_client.post(url, article_form(make_author())).json()["is_valid"] is True
    response = admin_client.get(url, {"mode": "frontend"})
    assert response.status_code == 200
    assert b"Website shows saved drafts. Save a draft" in response.content


def test_a_frontend_removed_meanwhile_gets_a_notice(story):
    set_frontends(("Website", FRONTEND))
    article = ArticlePage.objects.get(pk=story["article"].pk)
    response = article.make_preview_request(preview_mode="frontend-999999")
    assert response.status_code == 200
    assert b"no longer set up" in response.content


def test_editors_set_frontends_in_the_settings(admin_client):
    site = Site.objects.get(is_default_site=True)
    url = reverse("wagtailsettings:edit", args=("headless", "headlesssettings", site.pk))
    response = admin_client.get(url)
    assert response.status_code == 200
    assert b"Frontends" in response.content
    form = {
        "frontends-TOTAL_FORMS": "2",
        "frontends-INITIAL_FORMS": "0",
        "frontends-MIN_NUM_FORMS": "0",
        "frontends-MAX_NUM_FORMS": "1000",
        "frontends-0-name": "Website",
        "frontends-0-url": "https://www.example.com/preview/",
        "frontends-0-ORDER": "1",
        "frontends-0-DELETE": "",
        "frontends-1-name": "Broken",
        "frontends-1-url": "https://user:secret@app.example/",
        "frontends-1-ORDER": "2",
        "frontends-1-DELETE": "",
    }
    response = admin_client.post(url, form)
    assert response.status_code == 200  # the form again, with the error
    assert b"Leave user names and passwords out" in response.content
    form["frontends-1-url"] = "http://127.0.0.1:3000/"
    response = admin_client.post(url, form)
    assert response.status_code == 302
    frontends = HeadlessSettings.for_site(site).frontends.all()
    assert [(f.name, f.origin) for f in frontends] == [
        ("Website", "https://www.example.com"),
        ("Broken", "http://127.0.0.1:3000"),
    ]
