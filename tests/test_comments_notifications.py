"""Moderators hear about new comments by email; plugins hear through `after_comment_create`."""

import pytest
from byline_comments import services
from byline_comments.models import Comment, CommentKind
from django.urls import reverse

from cms.plugins import Verdict
from tests.comment_support import form_data, make_comment, relaxed_settings
from tests.factories import make_article
from tests.plugin_support import as_plugin_module, temporary_hooks

pytestmark = pytest.mark.django_db


def post(client, article, **fields):
    return client.post(
        reverse("byline_comments:post", args=[article.pk]), form_data(article, **fields)
    )


def test_moderators_get_an_email_about_a_held_comment(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    relaxed_settings(
        moderator_emails="desk@example.org\n\nnight-editor@example.org\nnot-an-address"
    )
    article = make_article(title="Tram strike ends")

    with django_capture_on_commit_callbacks(execute=True):
        post(client, article, author_name="Ivo", author_email="ivo@example.org", body="Finally!")

    comment = Comment.objects.get()
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["desk@example.org", "night-editor@example.org"]
    assert (
        mail.subject == "[The Byline Courier] New comment on “Tram strike ends” awaits moderation"
    )
    assert "Author: Ivo <ivo@example.org>" in mail.body
    assert "\nFinally!\n" in mail.body
    assert "- honeypot: accept (hidden field empty)" in mail.body
    assert f"http://testserver/admin/comments/edit/{comment.pk}/" in mail.body
    assert "http://testserver/admin/comments/?status=pending" in mail.body
    assert article.url in mail.body


def test_a_published_comment_is_announced_as_published(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    relaxed_settings(moderator_emails="desk@example.org")
    article = make_article(title="Tram strike ends")
    make_comment(article, author_email="ivo@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        post(client, article, author_email="ivo@example.org")
    assert mailoutbox[0].subject.endswith("was published")


def test_no_email_for_spam_editors_replies_or_without_moderators(
    client, mailoutbox, django_capture_on_commit_callbacks, django_user_model
):
    article = make_article()
    relaxed_settings(moderator_emails="desk@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        post(client, article, homepage_url="filled by a bot")
        editor = django_user_model.objects.create_superuser("ed", "ed@example.org", "pw")
        services.reply_as_editor(make_comment(article), editor, "Thanks for reading.")
    assert mailoutbox == []


def test_without_addresses_the_people_who_moderate_are_emailed(
    client, mailoutbox, django_capture_on_commit_callbacks, django_user_model
):
    """Issue 14: moderator e-mails by default, with no address typed into the settings."""
    from django.contrib.auth.models import Group

    article = make_article()
    relaxed_settings(moderator_emails="")
    with django_capture_on_commit_callbacks(execute=True):
        post(client, article, author_email="first@example.org")
    assert mailoutbox == []  # nobody to tell: no moderator, no superuser with an address

    django_user_model.objects.create_superuser("root", "root@example.org", "pw")
    with django_capture_on_commit_callbacks(execute=True):
        post(client, article, author_email="second@example.org")
    assert [message.to for message in mailoutbox] == [["root@example.org"]]

    moderator = django_user_model.objects.create_user("mo", "mo@example.org", "pw")
    moderator.groups.add(Group.objects.get(name="Moderator"))
    django_user_model.objects.create_user("quiet", "quiet@example.org", "pw", is_active=False)
    django_user_model.objects.create_user("writer", "writer@example.org", "pw").groups.add(
        Group.objects.get(name="Writer")
    )
    editor = django_user_model.objects.create_user("ed", "ed@example.org", "pw")
    editor.groups.add(Group.objects.get(name="Editor"))
    with django_capture_on_commit_callbacks(execute=True):
        post(client, article, author_email="third@example.org")
    assert mailoutbox[-1].to == ["ed@example.org", "mo@example.org"]
    assert "awaits moderation" in mailoutbox[-1].subject


def test_a_pingback_is_announced_as_one(mailoutbox, django_capture_on_commit_callbacks):
    relaxed_settings(moderator_emails="desk@example.org")
    article = make_article(title="Harbour plans")
    with django_capture_on_commit_callbacks(execute=True):
        services.create_mention(
            article,
            CommentKind.PINGBACK,
            author_name="Port Watch",
            author_url="https://portwatch.example/",
            title="What the harbour plan means",
            excerpt="… the Courier's report …",
            source_url="https://portwatch.example/plan",
        )
    assert mailoutbox[0].subject == (
        "[The Byline Courier] New pingback on “Harbour plans” awaits moderation"
    )
    assert (
        "Source: What the harbour plan means <https://portwatch.example/plan>" in mailoutbox[0].body
    )


@pytest.mark.extension_point("after_comment_create")
def test_plugins_hear_about_every_stored_comment_after_commit(
    client, django_capture_on_commit_callbacks
):
    relaxed_settings()
    article = make_article()
    heard = []

    def listener(comment, verdict, **kwargs):
        heard.append((comment.pk, comment.status, verdict))

    def broken(comment, verdict, **kwargs):
        raise RuntimeError("listener bug")

    with (
        temporary_hooks(
            ("after_comment_create", listener),
            ("after_comment_create", as_plugin_module(broken)),
        ),
        django_capture_on_commit_callbacks(execute=True) as callbacks,
    ):
        response = post(client, article, body="Heard by everyone")
        spam = post(client, article, homepage_url="bot")
    assert response.status_code == 302 and spam.status_code == 302
    # One delivery per comment (HTTP caching adds its own callbacks: cms.http_cache).
    deliveries = [callback for callback in callbacks if callback.__module__ == "cms.plugins.events"]
    assert len(deliveries) == 2
    ham, junk = Comment.objects.order_by("pk")
    assert heard == [(ham.pk, "pending", Verdict.ACCEPT), (junk.pk, "spam", Verdict.SPAM)]


def test_a_failing_mail_server_does_not_lose_the_comment(
    client, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 1
    relaxed_settings(moderator_emails="desk@example.org")
    article = make_article()
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, article, body="Stored whatever the mail server says")
    assert response.status_code == 302
    assert Comment.objects.filter(body="Stored whatever the mail server says").exists()
