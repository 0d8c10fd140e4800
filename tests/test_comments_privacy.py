"""Personal data: emails are never shown, IP addresses and user agents are erased on time."""

import json
from datetime import timedelta
from io import StringIO

import pytest
from byline_comments import services, tasks
from byline_comments.models import Comment, CommentKind, CommentSettings, CommentStatus
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Site

from tests.comment_support import make_comment, relaxed_settings
from tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db

EMAIL = "private.reader@example.org"


def test_emails_appear_nowhere_readers_or_apps_can_see(client):
    article = make_article()
    top = make_comment(article, author_email=EMAIL, body="Public words", ip_address="203.0.113.9")
    make_comment(article, parent=top, author_email="second.private@example.org")
    make_comment(article, status=CommentStatus.PENDING, author_email="held@example.org")

    pages = [
        client.get(article.url),
        client.get(article.url, {"replytocom": top.pk}),
        client.get("/api/v2/comments/", {"article": article.pk}),
        client.get("/api/v3/comments/", {"article": article.pk}),
        client.get(f"/api/v2/pages/{article.pk}/"),
        client.get(f"/api/v3/pages/{article.pk}/"),
        client.get("/api/v2/articles/", {"fields": "*"}),
    ]
    for response in pages:
        assert response.status_code == 200
        body = response.content.decode()
        assert "Public words" in body or "comment_count" in body
        for secret in (
            EMAIL,
            "second.private",
            "held@example.org",
            "203.0.113.9",
            "private.reader",
        ):
            assert secret not in body, (response.wsgi_request.path, secret)


def test_the_api_item_shape_has_no_personal_fields(client):
    article = make_article()
    make_comment(article, author_email=EMAIL, ip_address="203.0.113.9", user_agent="Firefox/140")
    item = client.get("/api/v2/comments/", {"article": article.pk}).json()["items"][0]
    flat = json.dumps(item)
    for key in ("email", "ip", "user_agent", "status", "check_results"):
        assert f'"{key}' not in flat


def test_ip_and_user_agent_are_erased_after_the_retention_period():
    relaxed_settings(personal_data_retention_days=30)
    article = make_article()
    now = timezone.now()
    old = make_comment(
        article, ip_address="203.0.113.1", user_agent="Old/1.0", created_at=now - timedelta(days=31)
    )
    recent = make_comment(
        article, ip_address="203.0.113.2", user_agent="New/1.0", created_at=now - timedelta(days=29)
    )

    out = StringIO()
    call_command("erase_comment_personal_data", stdout=out)

    assert out.getvalue().strip() == "Erased the IP address and user agent of 1 comment(s)."
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.ip_address, old.user_agent) == (None, "")
    assert (old.author_name, old.body, old.author_email) != ("", "", "")  # the comment stays
    assert (recent.ip_address, recent.user_agent) == ("203.0.113.2", "New/1.0")
    call_command("erase_comment_personal_data", stdout=StringIO())
    assert Comment.objects.filter(ip_address__isnull=True).count() == 1


def test_each_site_keeps_personal_data_for_its_own_period():
    relaxed_settings(personal_data_retention_days=90)
    other_root = make_section("Second site root")
    other_site = Site.objects.create(hostname="other.example", root_page=other_root)
    CommentSettings.objects.update_or_create(
        site=other_site, defaults={"personal_data_retention_days": 7}
    )
    on_default = make_article(make_section("Local"), title="Local story")
    on_other = make_article(other_root, title="Other site story")
    eight_days_ago = timezone.now() - timedelta(days=8)
    kept = make_comment(on_default, ip_address="203.0.113.3", created_at=eight_days_ago)
    erased = make_comment(on_other, ip_address="203.0.113.4", created_at=eight_days_ago)

    result = tasks.erase_expired_personal_data.enqueue()

    assert result.return_value == 1
    kept.refresh_from_db()
    erased.refresh_from_db()
    assert kept.ip_address == "203.0.113.3"
    assert erased.ip_address is None


def test_the_command_can_queue_the_work_for_the_task_worker():
    out = StringIO()
    call_command("erase_comment_personal_data", "--enqueue", stdout=out)
    assert out.getvalue().startswith("Queued task ")


def test_mentions_are_stored_through_the_public_function(client):
    relaxed_settings()
    article = make_article()
    mention = services.create_mention(
        article,
        CommentKind.WEBMENTION,
        author_name="Field Notes",
        author_url="https://field.example/",
        title="A reply from my blog",
        excerpt="<b>bold claims</b> about the article",
        source_url="https://field.example/reply",
    )
    assert (mention.kind, mention.status, mention.author_email) == ("webmention", "pending", "")
    assert [r["check"] for r in mention.check_results][:3] == ["honeypot", "fill_time", "blocklist"]
    assert mention.check_results[1]["reason"] == "not a form submission"

    services.moderate([mention], CommentStatus.APPROVED)
    page = client.get(article.url).content.decode()
    assert "Webmention:" in page and "A reply from my blog" in page
    assert "<b>bold claims</b>" not in page


@pytest.mark.parametrize(
    ("kind", "source_url", "author_url", "message"),
    [
        ("comment", "https://ok.example/", "", "kind must be one of"),
        ("pingback", "javascript:alert(1)", "", "source_url must be an http(s) address"),
        ("pingback", "https://ok.example/" + "x" * 600, "", "at most 500 characters"),
        ("webmention", "https://ok.example/", "ftp://files.example/", "author_url must be"),
    ],
)
def test_mentions_with_bad_addresses_are_refused(kind, source_url, author_url, message):
    article = make_article()
    with pytest.raises(ValidationError, match=message.replace("(", r"\(").replace(")", r"\)")):
        services.create_mention(
            article,
            kind,
            author_name="x",
            author_url=author_url,
            title="t",
            excerpt="e",
            source_url=source_url,
        )
    assert not Comment.objects.exists()
