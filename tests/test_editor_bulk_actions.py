"""Bulk work on articles from the page explorer: Wagtail's move and unpublish, and
Byline's add tags and schedule (news/bulk_actions.py), with permissions."""

import datetime as dt
from urllib.parse import urlencode

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone

from cms.runtime import clock
from news.models import ArticlePage
from tests.factories import make_article, make_author, make_section
from tests.factories import make_member as member
from tests.html_support import text
from tests.runtime_support import run_worker

pytestmark = pytest.mark.django_db


def bulk_url(action, pages, next_url="/admin/pages/"):
    query = urlencode([("id", page.pk) for page in pages] + [("next", next_url)])
    return reverse("wagtail_bulk_action", args=("wagtailcore", "page", action)) + "?" + query


@pytest.fixture
def section():
    return make_section("Coast")


@pytest.fixture
def articles(section):
    author = make_author("Nia Berg")
    return [
        make_article(section, title=title, authors=[author], tags=["Harbour"])
        for title in ("Ferry fares", "Quay repairs", "Tide tables")
    ]


def live_titles(client):
    """Titles readers see in the API's article listing."""
    response = client.get("/api/v2/articles/")
    assert response.status_code == 200
    return sorted(item["title"] for item in response.json()["items"])


def test_explorer_offers_the_bulk_actions_for_articles(admin_client, section, articles):
    page = BeautifulSoup(
        admin_client.get(reverse("wagtailadmin_explore", args=[section.pk])).content,
        "html.parser",
    )
    actions = {
        text(link)
        for link in page.select("ul.bulk-actions-buttons a, ul.bulk-actions-buttons button")
    }
    assert {"Move", "Unpublish", "Add tags", "Schedule"} <= actions


def test_move_several_articles_to_another_section(admin_client, articles):
    sport = make_section("Sport")
    response = admin_client.post(bulk_url("move", articles[:2]), {"chooser": sport.pk})
    assert response.status_code == 302
    moved = ArticlePage.objects.child_of(sport).order_by("title")
    assert [a.title for a in moved] == ["Ferry fares", "Quay repairs"]
    assert ArticlePage.objects.get(title="Ferry fares").url == "/sport/ferry-fares/"


def test_unpublish_several_articles(admin_client, client, articles):
    response = admin_client.post(bulk_url("unpublish", articles[:2]), {})
    assert response.status_code == 302
    assert live_titles(client) == ["Tide tables"]


def test_add_tags_to_several_articles(admin_client, client, articles):
    url = bulk_url("add_tags", articles[:2])
    page = BeautifulSoup(admin_client.get(url).content, "html.parser")
    assert "Add these tags to the articles below?" in text(page)
    assert [text(li) for li in page.select("main ul li a")][:2] == ["Ferry fares", "Quay repairs"]

    response = admin_client.post(url, {"tags": "Ferries, Winter timetable"}, follow=True)
    assert "Tags added to 2 articles: Ferries, Winter timetable." in response.content.decode()
    for article in articles[:2]:
        article = ArticlePage.objects.get(pk=article.pk)
        assert sorted(t.name for t in article.tags.all()) == [
            "Ferries",
            "Harbour",
            "Winter timetable",
        ]
        assert not article.has_unpublished_changes  # live articles show them at once
    assert [t.name for t in ArticlePage.objects.get(pk=articles[2].pk).tags.all()] == ["Harbour"]
    # Readers see the new tag page.
    tagged = client.get("/api/v2/articles/", {"tag": "ferries"})
    assert sorted(item["title"] for item in tagged.json()["items"]) == [
        "Ferry fares",
        "Quay repairs",
    ]


def test_add_tags_keeps_a_pending_draft_a_draft(admin_client, articles):
    article = articles[0]
    article.title = "Ferry fares (draft headline)"
    article.save_revision()
    admin_client.post(bulk_url("add_tags", [article]), {"tags": "Ferries"})
    article = ArticlePage.objects.get(pk=article.pk)
    assert article.title == "Ferry fares"  # the live version is untouched
    draft = article.get_latest_revision_as_object()
    assert draft.title == "Ferry fares (draft headline)"
    assert "Ferries" in {t.name for t in draft.tags.all()}


def test_add_tags_needs_a_tag(admin_client, articles):
    response = admin_client.post(bulk_url("add_tags", articles), {"tags": ""})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()


def test_schedule_several_articles_and_the_worker_publishes_them(
    admin_client, client, section, task_queue
):
    author = make_author("Nia Berg")
    drafts = [
        make_article(section, title=title, authors=[author], publish=False)
        for title in ("Budget day", "Election night")
    ]
    for draft in drafts:
        draft.save_revision()
    live = make_article(section, title="Already out", authors=[author])
    start = (timezone.now() + dt.timedelta(minutes=1)).replace(second=0, microsecond=0)
    go_live = start + dt.timedelta(hours=2)
    with time_machine.travel(start, tick=False) as clock_hand:
        response = admin_client.post(
            bulk_url("schedule", drafts),
            {"go_live_at": timezone.localtime(go_live).strftime("%Y-%m-%d %H:%M")},
            follow=True,
        )
        assert "2 articles scheduled for" in response.content.decode()
        for draft in drafts:
            article = ArticlePage.objects.get(pk=draft.pk)
            assert not article.live
            assert article.scheduled_revision.approved_go_live_at == go_live
        assert live_titles(client) == ["Already out"]

        clock_hand.shift(dt.timedelta(hours=1))
        assert "publish_scheduled" in clock.tick()
        run_worker()
        assert live_titles(client) == ["Already out"]

        clock_hand.shift(dt.timedelta(hours=1, minutes=1))
        assert "publish_scheduled" in clock.tick()
        run_worker()
        assert live_titles(client) == ["Already out", "Budget day", "Election night"]
        for draft in drafts:
            article = ArticlePage.objects.get(pk=draft.pk)
            assert article.live and article.publication_date == go_live
            assert client.get(article.url).status_code == 200
    assert live.pk


def test_schedule_needs_a_future_time(admin_client, articles):
    past = timezone.localtime(timezone.now() - dt.timedelta(days=1))
    response = admin_client.post(
        bulk_url("schedule", articles), {"go_live_at": past.strftime("%Y-%m-%d %H:%M")}
    )
    assert response.status_code == 200
    assert "Choose a time in the future" in response.content.decode()


def test_schedule_skips_articles_not_ready_to_publish(admin_client, section):
    ready = make_article(section, title="Ready", authors=[make_author()], publish=False)
    bylineless = make_article(section, title="No byline", publish=False)
    for draft in (ready, bylineless):
        draft.save_revision()
    when = timezone.localtime(timezone.now() + dt.timedelta(days=1))
    response = admin_client.post(
        bulk_url("schedule", [ready, bylineless]),
        {"go_live_at": when.strftime("%Y-%m-%d %H:%M")},
        follow=True,
    )
    body = response.content.decode()
    assert "1 article scheduled for" in body and "1 could not be" in body
    assert ArticlePage.objects.get(pk=ready.pk).scheduled_revision is not None
    assert ArticlePage.objects.get(pk=bylineless.pk).scheduled_revision is None


def test_a_writer_cannot_schedule_or_unpublish(client, articles):
    client.force_login(member("Writer"))
    url = bulk_url("schedule", articles)
    page = BeautifulSoup(client.get(url).content, "html.parser")
    assert "Not articles, or you may not publish them:" in text(page)
    assert page.select_one("input[name=go_live_at]") is None
    when = timezone.localtime(timezone.now() + dt.timedelta(days=1))
    client.post(url, {"go_live_at": when.strftime("%Y-%m-%d %H:%M")})
    assert all(a.scheduled_revision is None for a in ArticlePage.objects.all())
    client.post(bulk_url("unpublish", articles), {})
    assert ArticlePage.objects.live().count() == 3


def test_an_editor_may_schedule(client, section):
    client.force_login(member("Editor"))
    draft = make_article(section, title="Ready", authors=[make_author()], publish=False)
    draft.save_revision()
    when = timezone.localtime(timezone.now() + dt.timedelta(days=1))
    client.post(bulk_url("schedule", [draft]), {"go_live_at": when.strftime("%Y-%m-%d %H:%M")})
    assert ArticlePage.objects.get(pk=draft.pk).scheduled_revision is not None


def test_other_page_types_are_left_out(admin_client, section, articles):
    url = bulk_url("add_tags", [section, articles[0]])
    page = BeautifulSoup(admin_client.get(url).content, "html.parser")
    assert "Not articles, or you may not change them:" in text(page)
    admin_client.post(url, {"tags": "Ferries"})
    assert "Ferries" in {t.name for t in ArticlePage.objects.get(pk=articles[0].pk).tags.all()}
