"""Moderation in the Wagtail admin: the queue, bulk actions, editing, replying, counts, settings."""

import pytest
from byline_comments.models import Comment, CommentKind, CommentSettings, CommentStatus
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from tests.comment_support import make_comment, relaxed_settings, soup, text_of
from tests.factories import make_article
from tests.plugin_support import temporary_hooks

pytestmark = pytest.mark.django_db

QUEUE = "/admin/comments/"


@pytest.fixture
def editor(client, django_user_model):
    user = django_user_model.objects.create_superuser(
        "editor", "editor@example.org", "pw", first_name="Edda", last_name="Morrow"
    )
    client.force_login(user)
    return user


@pytest.fixture
def queue():
    harbour, budget = make_article(title="Harbour dredging"), make_article(title="Budget vote")
    return {
        "harbour": harbour,
        "budget": budget,
        "held": make_comment(
            harbour,
            status=CommentStatus.PENDING,
            body="Held on the harbour",
            check_results=[
                {"check": "link_count", "verdict": "hold", "reason": "3 links (more than 2)"}
            ],
        ),
        "held_budget": make_comment(
            budget, status=CommentStatus.PENDING, body="Held on the budget"
        ),
        "spam": make_comment(harbour, status=CommentStatus.SPAM, body="Buy pills"),
        "approved": make_comment(harbour, body="Already published"),
        "ping": make_comment(
            budget,
            status=CommentStatus.PENDING,
            kind=CommentKind.PINGBACK,
            source_url="https://blog.example/budget",
            body="A pingback excerpt",
        ),
    }


def listed_bodies(response):
    return sorted(
        text_of(cell)
        for cell in soup(response).select("table.listing tbody td.title .title-wrapper a")
    )


def test_the_queue_filters_by_status_article_and_kind(client, editor, queue):
    pending = client.get(QUEUE, {"status": "pending"})
    assert listed_bodies(pending) == [
        "A pingback excerpt",
        "Held on the budget",
        "Held on the harbour",
    ]
    assert "hold: link_count (3 links (more than 2))" in text_of(
        soup(pending).select_one("table.listing")
    )

    on_harbour = client.get(QUEUE, {"article": queue["harbour"].pk})
    assert listed_bodies(on_harbour) == ["Already published", "Buy pills", "Held on the harbour"]
    pingbacks = client.get(QUEUE, {"kind": "pingback"})
    assert listed_bodies(pingbacks) == ["A pingback excerpt"]
    both = client.get(
        QUEUE, {"status": "pending", "article": queue["budget"].pk, "kind": "comment"}
    )
    assert listed_bodies(both) == ["Held on the budget"]
    searched = client.get(QUEUE, {"q": "pills"})
    assert listed_bodies(searched) == ["Buy pills"]
    inspect = client.get(reverse("byline_comments_comment:inspect", args=[queue["held"].pk]))
    assert inspect.status_code == 200
    assert "Held on the harbour" in inspect.content.decode()


@pytest.mark.parametrize(
    ("action", "status"),
    [("approve", "approved"), ("spam", "spam"), ("trash", "trash"), ("unapprove", "pending")],
)
def test_bulk_actions_change_every_selected_comment(client, editor, queue, action, status):
    chosen = [queue["held"], queue["held_budget"], queue["spam"]]
    url = f"/admin/bulk/byline_comments/comment/{action}/?" + "&".join(f"id={c.pk}" for c in chosen)

    confirm = client.get(url)
    assert confirm.status_code == 200
    assert len(soup(confirm).select("main ul li")) == 3

    response = client.post(url + f"&next={QUEUE}")
    assert response.status_code == 302
    for comment in chosen:
        comment.refresh_from_db()
        assert comment.status == status
        if comment.moderated_at:
            assert comment.moderated_by == editor
    changed = sum(1 for c in chosen if c.moderated_at)
    messages = [str(m).strip() for m in response.wsgi_request._messages]
    noun = "comment" if changed == 1 else "comments"
    label = CommentStatus(status).label.lower()
    assert messages == [f"{changed} {noun} marked as {label}."]


@pytest.mark.extension_point("after_comment_moderate")
def test_approving_announces_the_change_to_listeners(
    client, editor, queue, django_capture_on_commit_callbacks
):
    events = []

    def listener(comment, old_status, **kwargs):
        events.append((comment.pk, old_status, comment.status))

    ids = f"id={queue['held'].pk}&id={queue['approved'].pk}"
    url = f"/admin/bulk/byline_comments/comment/approve/?{ids}"
    with (
        temporary_hooks(("after_comment_moderate", listener)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        client.post(url)
    # The already approved comment did not change, so nothing was said about it.
    assert events == [(queue["held"].pk, "pending", "approved")]


def test_editing_a_comment_saves_it_and_reports_the_status_change(
    client, editor, queue, django_capture_on_commit_callbacks
):
    comment = queue["held"]
    events = []

    def listener(comment, old_status, **kwargs):
        events.append((old_status, comment.status))

    page = soup(client.get(reverse("byline_comments_comment:edit", args=[comment.pk])))
    details = text_of(page.select_one(".byline-comment-moderation"))
    assert "link_count hold 3 links (more than 2)" in details
    assert "Reply as editor" in details

    with (
        temporary_hooks(("after_comment_moderate", listener)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(
            reverse("byline_comments_comment:edit", args=[comment.pk]),
            {
                "status": "approved",
                "author_name": "Corrected Name",
                "author_email": "fixed@example.org",
                "author_url": "",
                "body": "Held on the harbour (typo fixed)",
                "source_url": "",
                "source_title": "",
            },
        )
    assert response.status_code == 302
    comment.refresh_from_db()
    assert (comment.status, comment.author_name) == ("approved", "Corrected Name")
    assert comment.moderated_by == editor
    assert events == [("pending", "approved")]


def test_nobody_adds_a_comment_from_a_blank_admin_form(client, editor):
    response = client.get(QUEUE + "add/")
    assert response.status_code in (302, 403)
    assert not soup(client.get(QUEUE)).select(f'a[href="{QUEUE}add/"]')


def test_an_editor_replies_and_the_reply_is_published_under_their_name(client, editor, queue):
    held = queue["held"]
    reply_url = reverse("byline_comments_admin:reply", args=[held.pk])
    page = soup(client.get(reply_url))
    assert "Held on the harbour" in text_of(page.select_one(".byline-comment-quote"))

    response = client.post(
        reply_url, {"body": "Thanks, we have corrected the map.", "approve_parent": "on"}
    )

    assert response.status_code == 302
    reply = Comment.objects.get(body="Thanks, we have corrected the map.")
    held.refresh_from_db()
    assert held.status == CommentStatus.APPROVED
    assert (reply.parent_id, reply.user, reply.author_name, reply.status) == (
        held.pk,
        editor,
        "Edda Morrow",
        CommentStatus.APPROVED,
    )
    article_page = soup(client.get(queue["harbour"].url))
    node = article_page.select_one(f"#comment-{reply.pk}")
    assert "comment--editor" in node["class"]
    assert text_of(node.select_one(".comment__badge")) == "Editor"
    assert node.find_parent("li")["id"] == f"comment-{held.pk}"


def test_an_empty_reply_is_refused(client, editor, queue):
    response = client.post(
        reverse("byline_comments_admin:reply", args=[queue["held"].pk]), {"body": ""}
    )
    assert response.status_code == 200
    assert "This field is required." in text_of(soup(response).select_one("form"))
    assert Comment.objects.count() == 5


@pytest.mark.extension_point("register_admin_menu_item")
def test_menu_and_dashboard_show_the_pending_count(client, editor, queue):
    html = client.get("/admin/").content.decode()
    assert '"Comments (3)"' in html
    assert f"{QUEUE}?status=pending" in html
    dashboard = soup(client.get("/admin/"))
    summary = dashboard.select_one(".byline-pending-comments")
    assert text_of(summary).startswith("3 comments")
    panel = dashboard.select_one(".byline-pending-comments-panel")
    assert text_of(panel.select_one("h2")) == "Comments awaiting moderation (3)"
    assert len(panel.select("tbody tr")) == 3


def test_people_without_comment_permissions_see_no_moderation(client, django_user_model, queue):
    user = django_user_model.objects.create_user("writer", "writer@example.org", "pw")
    writers = Group.objects.create(name="Comment-less writers")
    writers.permissions.add(Permission.objects.get(codename="access_admin"))
    user.groups.add(writers)
    client.force_login(user)
    assert "Comments (" not in client.get("/admin/").content.decode()
    refused = client.get(reverse("byline_comments_admin:reply", args=[queue["held"].pk]))
    assert refused.status_code in (302, 403)
    assert "Held on the harbour" not in refused.content.decode()
    assert client.get(QUEUE).status_code in (302, 403)

    moderators = Group.objects.create(name="Comment moderators")
    moderators.permissions.add(
        Permission.objects.get(codename="change_comment", content_type__app_label="byline_comments")
    )
    user.groups.add(moderators)
    assert '"Comments (3)"' in client.get("/admin/").content.decode()
    assert client.get(QUEUE).status_code == 200


@pytest.mark.extension_point("register_setting")
def test_site_settings_are_edited_in_the_admin(client, editor):
    settings = relaxed_settings()
    url = reverse(
        "wagtailsettings:edit", args=["byline_comments", "commentsettings", settings.site_id]
    )
    page = soup(client.get(url))
    labels = {text_of(label).rstrip("*").strip() for label in page.select("label.w-field__label")}
    assert {
        "Maximum thread depth",
        "Approve returning readers",
        "Moderator emails",
        "Blocked words",
        "Akismet API key",
        "Akismet endpoint",
        "Keep IP address and browser for (days)",
        "API origins",
    } <= labels
    form = {
        field["name"]: field.get("value", "")
        for field in page.select("form input[name]")
        if field.get("type") not in ("checkbox", "submit")
    }
    form.update({field["name"]: field.get_text() for field in page.select("form textarea[name]")})
    form.update(
        {"close_after_days": "14", "max_depth": "2", "moderator_emails": "desk@example.org"}
    )
    response = client.post(url, form)
    assert response.status_code == 302, soup(response).select(".error-message")
    saved = CommentSettings.objects.get(pk=settings.pk)
    assert (saved.close_after_days, saved.max_depth, saved.auto_approve_returning) == (14, 2, False)
    assert saved.moderator_email_list == ["desk@example.org"]
