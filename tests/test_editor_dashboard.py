"""The newsroom's dashboard panels (news/dashboard.py): what each lists, for whom,
and in a number of queries that does not grow with the list."""

import datetime as dt

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from news.dashboard import (
    AwaitingMyReviewPanel,
    MyDraftsPanel,
    NeedsAttentionPanel,
    RecentlyPublishedPanel,
    ScheduledPanel,
)
from news.models import ArticlePage
from tests.factories import make_article, make_author, make_image, make_section
from tests.factories import make_member as member
from tests.html_support import text

pytestmark = pytest.mark.django_db


def panel_rows(page, panel_id):
    """[(title, note)] of one panel on the dashboard; None if it is not there."""
    panel = page.select_one(f"section#{panel_id}")
    if panel is None:
        return None
    return [
        (text(row.select_one("td.title")), text(row.select("td")[1]))
        for row in panel.select("tbody tr")
    ]


def heading(page, panel_id):
    return text(page.select_one(f"section#{panel_id} h2"))


def dashboard(client):
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


@pytest.fixture
def section():
    return make_section("Coast")


@pytest.fixture
def editor():
    return member("Editor")


def draft_by(user, section, title, **fields):
    article = make_article(section, title=title, publish=False, owner=user, **fields)
    article.save_revision(user=user)
    return article


def submitted_by(user, section, title):
    article = draft_by(user, section, title, authors=[make_author(f"Author of {title}")])
    article.get_workflow().start(article, user)
    return article


def scheduled(section, title, days):
    when = timezone.now() + dt.timedelta(days=days)
    article = make_article(section, title=title, publish=False, authors=[make_author()])
    article.publication_date = when
    article.save_revision().publish()
    return article


def test_my_drafts_lists_the_users_unpublished_articles(client, section, editor):
    other = member("Writer")
    draft_by(editor, section, "Harbour wall repairs")
    live = make_article(section, title="Ferry timetable", owner=editor)
    live.title = "Ferry timetable (revised)"
    live.save_revision(user=editor)
    draft_by(other, section, "Someone else's draft")
    make_article(section, title="Published and untouched", owner=editor)

    client.force_login(editor)
    page = dashboard(client)
    assert heading(page, "news_my_drafts") == "Your drafts (2)"
    assert panel_rows(page, "news_my_drafts") == [
        ("Ferry timetable (revised)", "Changes not yet published"),
        ("Harbour wall repairs", "Never published"),
    ]


def test_awaiting_my_review_lists_submissions_an_editor_can_act_on(client, section, editor):
    writer = member("Writer")
    submitted_by(writer, section, "Tram fares rise")
    draft_by(writer, section, "Not submitted yet")

    client.force_login(editor)
    page = dashboard(client)
    assert heading(page, "news_awaiting_my_review") == "Awaiting your review (1)"
    assert panel_rows(page, "news_awaiting_my_review") == [
        ("Tram fares rise", "Editorial review, submitted by Writer Person")
    ]
    link = page.select_one("section#news_awaiting_my_review td.title a")["href"]
    article = ArticlePage.objects.get(title="Tram fares rise")
    assert link == reverse("wagtailadmin_pages:edit", args=[article.pk])
    # Wagtail's own list of the same tasks is replaced, not shown twice.
    assert page.select_one("section#workflow-objects-to-moderate") is None
    assert text(page).count("Tram fares rise") == 1


def test_a_writer_has_nothing_to_review(client, section):
    writer = member("Writer")
    submitted_by(writer, section, "Tram fares rise")
    client.force_login(writer)
    page = dashboard(client)
    assert panel_rows(page, "news_awaiting_my_review") is None
    # Their submission is still among their drafts.
    assert ("Tram fares rise", "Never published") in panel_rows(page, "news_my_drafts")


def test_scheduled_lists_articles_by_go_live_time(client, section, editor):
    scheduled(section, "Budget day", days=3)
    scheduled(section, "Election night", days=1)
    make_article(section, title="Already out")

    client.force_login(editor)
    page = dashboard(client)
    assert heading(page, "news_scheduled") == "Scheduled (2)"
    rows = panel_rows(page, "news_scheduled")
    assert [title for title, _ in rows] == ["Election night", "Budget day"]
    when = timezone.localtime(ArticlePage.objects.get(title="Election night").go_live_at)
    assert rows[0][1] == "Goes live " + when.strftime("%-d %b %Y, %H:%M")


def test_recently_published_lists_the_newest_first(client, section, editor):
    for title in ("First", "Second", "Third"):
        make_article(section, title=title)
    draft_by(editor, section, "A draft")

    client.force_login(editor)
    page = dashboard(client)
    assert heading(page, "news_recently_published") == "Recently published (3)"
    assert [title for title, _ in panel_rows(page, "news_recently_published")] == [
        "Third",
        "Second",
        "First",
    ]


def test_needs_attention_lists_published_articles_missing_authors_or_alt_text(
    client, section, editor
):
    undescribed = make_image("Quay", description="")
    described = make_image("Pier", description="The pier at dawn")
    make_article(section, title="No byline")
    make_article(section, title="Bare image", authors=[make_author()], lead_image=undescribed)
    make_article(section, title="Both missing", lead_image=undescribed)
    make_article(
        section,
        title="Alt on the article",
        authors=[make_author("Ola Dahl")],
        lead_image=undescribed,
        lead_image_alt="Boats at the quay",
    )
    make_article(
        section, title="Alt in the library", authors=[make_author("Kai Li")], lead_image=described
    )
    draft_by(editor, section, "Incomplete draft")

    client.force_login(editor)
    page = dashboard(client)
    assert heading(page, "news_needs_attention") == (
        "Published articles missing alt text or authors (3)"
    )
    assert sorted(panel_rows(page, "news_needs_attention")) == [
        ("Bare image", "Lead image without alt text"),
        ("Both missing", "No author; lead image without alt text"),
        ("No byline", "No author"),
    ]


def test_pending_reader_comments_stay_the_comments_plugins_panel(client, editor):
    client.force_login(editor)
    page = dashboard(client)
    assert page.select_one(".byline-pending-comments-panel") is not None


def test_empty_panels_say_so(client, editor):
    client.force_login(editor)
    page = dashboard(client)
    assert "You have no unpublished drafts." in text(page.select_one("section#news_my_drafts"))
    assert "No article is scheduled." in text(page.select_one("section#news_scheduled"))


# Queries ----------------------------------------------------------------------------


def queries_for(panel_class, user):
    """Queries to render the panel for a fresh request of `user` (Django's content
    type cache warmed first, as it is after the first request of a process)."""
    request = RequestFactory().get("/admin/")
    request.user = get_user_model().objects.get(pk=user.pk)
    panel_class(request).render_html({})
    request.user = get_user_model().objects.get(pk=user.pk)
    with CaptureQueriesContext(connection) as captured:
        html = panel_class(request).render_html({})
    return len(captured), html


def add_one_of_each(section, editor, writer, n):
    draft_by(editor, section, f"Draft {n}")
    submitted_by(writer, section, f"Submitted {n}")
    scheduled(section, f"Scheduled {n}", days=n + 1)
    make_article(
        section, title=f"Published {n}", lead_image=make_image(f"Image {n}", description="")
    )


@pytest.mark.parametrize(
    "panel_class",
    [
        MyDraftsPanel,
        AwaitingMyReviewPanel,
        ScheduledPanel,
        RecentlyPublishedPanel,
        NeedsAttentionPanel,
    ],
)
def test_each_panel_costs_the_same_queries_for_one_item_or_many(panel_class, section, editor):
    writer = member("Writer")
    add_one_of_each(section, editor, writer, 1)
    one, html = queries_for(panel_class, editor)
    assert "(1)" in html  # the panel lists one item
    for n in range(2, 6):
        add_one_of_each(section, editor, writer, n)
    many, html = queries_for(panel_class, editor)
    assert "(5)" in html
    assert many == one
    assert one <= 8  # the review panel: reviewable tasks, their states, then the pages
