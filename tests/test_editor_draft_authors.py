"""Authors have draft state: a half-typed or unpublished author never reaches readers."""

import json
from datetime import timedelta

import feedparser
import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from authors.models import Author
from cms.visibility import is_snippet_visible, visible_snippets
from news.models import ArticleAuthor
from tests.api_support import token_for
from tests.factories import make_article, make_author, make_section

pytestmark = pytest.mark.django_db

DRAFT_NAME = "Halftyped Zebulon"


@pytest.fixture(autouse=True)
def _answers_not_cached(settings):
    # What each surface shows, not how the page cache keeps it (its own tests):
    # every answer here is rendered afresh.
    settings.BYLINE_PAGE_CACHE = False


def half_typed_author_form(**extra):
    data = {
        "name": DRAFT_NAME,
        "slug": "",
        "role": "Stringer",
        "short_bio": "",
        "long_bio": rich_text(""),
        "portrait": "",
        "profile_links": streamfield([]),
        "email": "",
    }
    data.update(extra)
    return nested_form_data(data)


def autosave(admin_client, url, form):
    """What the admin's autosave sends: the form, asking for JSON back."""
    response = admin_client.post(url, form, headers={"accept": "application/json"})
    assert response.status_code == 200, response.content
    payload = response.json()
    assert payload["success"] is True
    return payload


@pytest.fixture
def story():
    section = make_section("City")
    published = make_author("Published Person")
    draft = make_author(DRAFT_NAME, live=False)
    article = make_article(section, title="Harbour plan", authors=[published, draft])
    return {"section": section, "published": published, "draft": draft, "article": article}


def public_texts(client, story):
    """Every reader surface that could name an author, as text."""
    article = story["article"]
    # A token of a user with no permissions: API v3 reads as any app would.
    token = token_for(get_user_model().objects.get_or_create(username="reader-token")[0])
    pages = {
        "journalists": client.get("/authors/"),
        "article": client.get(article.url),
        "home": client.get("/"),
        "section": client.get(story["section"].url),
        "rss": client.get("/feed/"),
        "atom": client.get("/feed/atom/"),
        "json feed": client.get("/feed/json/"),
        "authors sitemap": client.get("/sitemap-authors.xml"),
        "api v2 authors": client.get("/api/v2/authors/"),
        "api v2 article": client.get(f"/api/v2/pages/{article.pk}/"),
        "api v2 articles": client.get("/api/v2/pages/?type=news.ArticlePage&fields=authors"),
        "api v3 authors": client.get("/api/v3/authors/"),
        "api v3 article": client.get(f"/api/v3/pages/{article.pk}/"),
        "api v3 authors (token)": client.get(
            "/api/v3/authors/", headers={"authorization": f"Bearer {token}"}
        ),
        "search": client.get("/search/?q=harbour"),
    }
    for name, response in pages.items():
        assert response.status_code == 200, (name, response.status_code)
    return {name: response.content.decode() for name, response in pages.items()}


def test_a_draft_author_is_nowhere_public_but_the_published_one_is(client, story):
    texts = public_texts(client, story)
    for name, text in texts.items():
        assert DRAFT_NAME not in text, name
    for name in ("journalists", "article", "rss", "api v2 authors", "api v3 authors"):
        assert "Published Person" in texts[name], name
    # Its own page, feed and search filter answer as if it did not exist.
    draft = story["draft"]
    assert client.get(f"/authors/{draft.slug}/").status_code == 404
    assert client.get(f"/authors/{draft.slug}/feed/").status_code == 404
    assert client.get(f"/api/v3/authors/{draft.pk}/").status_code == 404
    assert client.get(f"/api/v2/authors/{draft.pk}/").status_code == 404
    assert (
        client.get(f"/api/v2/pages/?type=news.ArticlePage&author={draft.slug}").json()["items"]
        == []
    )
    # The byline in the feed names only the published author.
    entry = feedparser.parse(texts["rss"]).entries[0]
    assert [a["name"] for a in entry.authors] == ["Published Person"]


def test_autosave_and_save_draft_of_a_new_author_reach_no_reader(admin_client, client, story):
    story["draft"].delete()
    add_url = reverse("wagtailsnippets_authors_author:add")
    # Autosave creates the author (Wagtail 8 autosaves new snippets too) ...
    created = autosave(admin_client, add_url, half_typed_author_form())
    author = Author.objects.get(pk=created["pk"])
    assert author.name == DRAFT_NAME
    assert not author.live
    # ... and autosaves again on the edit form, then the editor clicks "Save draft".
    edit_url = reverse("wagtailsnippets_authors_author:edit", args=[author.pk])
    autosave(admin_client, edit_url, half_typed_author_form(role="Stringer and photographer"))
    assert admin_client.post(edit_url, half_typed_author_form()).status_code == 302
    author.refresh_from_db()
    assert not author.live and author.revisions.count() >= 1
    # Someone bylines the half-typed author on a live article: still invisible.
    ArticleAuthor.objects.create(page=story["article"], author=author, sort_order=5)
    for name, text in public_texts(client, story).items():
        assert DRAFT_NAME not in text, name
    assert client.get(f"/authors/{author.slug}/").status_code == 404

    # Publishing is what makes the author public, everywhere at once.
    response = admin_client.post(edit_url, half_typed_author_form(**{"action-publish": "1"}))
    assert response.status_code == 302
    texts = public_texts(client, story)
    for name in ("journalists", "article", "rss", "api v2 authors", "api v3 authors"):
        assert DRAFT_NAME in texts[name], name


def test_editing_a_published_author_keeps_readers_on_the_published_version(admin_client, client):
    author = make_author("Ines Duarte", role="Reporter")
    edit_url = reverse("wagtailsnippets_authors_author:edit", args=[author.pk])
    form = half_typed_author_form(name="Ines Duarte", slug=author.slug, role="Half-typed ro")
    autosave(admin_client, edit_url, form)
    author.refresh_from_db()
    assert author.role == "Reporter" and author.has_unpublished_changes
    assert "Half-typed ro" not in client.get(f"/authors/{author.slug}/").content.decode()
    assert "Half-typed ro" not in json.dumps(client.get("/api/v3/authors/").json())


def test_scheduled_and_expired_authors_follow_the_clock(client):
    now = timezone.now()
    later = make_author("Later Person", go_live_at=now + timedelta(hours=1))
    gone = make_author("Gone Person", expire_at=now - timedelta(minutes=1))
    current = make_author("Current Person", expire_at=now + timedelta(days=1))
    visible = set(visible_snippets(Author.objects.all()).values_list("name", flat=True))
    assert visible == {"Current Person"}
    assert [is_snippet_visible(a) for a in (later, gone, current)] == [False, False, True]
    assert is_snippet_visible(later, now=now + timedelta(hours=2))
    names = [a["name"] for a in client.get("/api/v2/authors/").json()["items"]]
    assert names == ["Current Person"]


def test_the_admin_offers_revisions_history_locking_and_scheduling(admin_client):
    author = make_author("Ines Duarte")
    author.save_revision().publish()
    edit = admin_client.get(reverse("wagtailsnippets_authors_author:edit", args=[author.pk]))
    html = edit.content.decode()
    assert 'name="action-publish"' in html
    assert "go_live_at" in html and "expire_at" in html
    assert reverse("wagtailsnippets_authors_author:lock", args=[author.pk]) in html
    history = admin_client.get(reverse("wagtailsnippets_authors_author:history", args=[author.pk]))
    assert "Published" in history.content.decode() or "published" in history.content.decode()
    listing = admin_client.get(reverse("wagtailsnippets_authors_author:list")).content.decode()
    assert "Live" in listing or "live" in listing
