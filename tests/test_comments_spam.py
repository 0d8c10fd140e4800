"""The spam pipeline: each check on the plugin interface, and the Akismet-compatible client."""

import socket
import time
from urllib.parse import parse_qs

import pytest
from byline_comments import services
from byline_comments.checks import akismet
from byline_comments.models import Comment, CommentKind, CommentStatus
from django.test import RequestFactory
from django.urls import reverse
from werkzeug import Response

from cms.plugins import CheckResult, Verdict
from tests.comment_support import aged_token, form_data, make_comment, relaxed_settings
from tests.factories import make_article
from tests.plugin_support import temporary_hooks

pytestmark = pytest.mark.django_db


def submit(article, ip="203.0.113.5", issued_seconds_ago=60, **fields):
    """Store a comment through the same path as the form, from `ip`."""
    request = RequestFactory().post("/", REMOTE_ADDR=ip, HTTP_USER_AGENT="TestBrowser/1.0")
    data = {
        "author_name": "Rosa",
        "author_email": "rosa@example.org",
        "author_url": "",
        "body": "The new timetable is confusing.",
        "parent": None,
        "homepage_url": "",
    }
    data.update(fields)
    return services.submit_comment(
        article, data, request, channel="form", form_issued_at=time.time() - issued_seconds_ago
    )


def outcome(comment, check):
    return next(result for result in comment.check_results if result["check"] == check)


# Honeypot, fill time, links ---------------------------------------------------------


def test_a_filled_honeypot_is_spam_but_the_reader_is_told_it_awaits_moderation(client):
    relaxed_settings()
    article = make_article()
    data = form_data(article, homepage_url="https://bot.example/")
    response = client.post(reverse("byline_comments:post", args=[article.pk]), data)
    assert response["Location"].endswith("#comments")
    comment = Comment.objects.get()
    assert comment.status == CommentStatus.SPAM
    assert outcome(comment, "honeypot") == {
        "check": "honeypot",
        "verdict": "spam",
        "reason": "the hidden field that people leave empty was filled",
    }
    page = client.get(response["Location"]).content.decode()
    assert "your comment is awaiting moderation" in page


@pytest.mark.parametrize(("seconds", "verdict"), [(1, "spam"), (10, "accept")])
def test_a_form_sent_too_fast_is_spam(client, seconds, verdict):
    relaxed_settings(min_fill_seconds=3)
    article = make_article()
    data = form_data(article, form_token=aged_token(article.pk, seconds_ago=seconds))
    client.post(reverse("byline_comments:post", args=[article.pk]), data)
    result = outcome(Comment.objects.get(), "fill_time")
    assert result["verdict"] == verdict
    if verdict == "spam":
        assert result["reason"].endswith("after the form was issued (minimum 3 s)")


def test_too_many_links_hold_even_a_returning_reader():
    relaxed_settings(max_links=2)
    article = make_article()
    make_comment(article, author_email="rosa@example.org")
    body = "See https://a.example/1 and http://b.example/2 and www.c.example too"
    comment = submit(article, body=body)
    assert comment.status == CommentStatus.PENDING
    assert outcome(comment, "link_count") == {
        "check": "link_count",
        "verdict": "hold",
        "reason": "3 links (more than 2)",
    }
    assert comment.moderation_note == "a spam check held it for moderation"
    assert outcome(submit(article, body="Just one: https://a.example/"), "link_count")[
        "verdict"
    ] == ("accept")


# Blocklists -----------------------------------------------------------------------


LOCAL = "203.0.113.5"
BLOCKED_DOMAIN = "mentions the blocked domain"


@pytest.mark.parametrize(
    ("fields", "ip", "reason"),
    [
        ({"body": "Buy CHEAP Watches today"}, LOCAL, "contains the blocked word 'cheap watches'"),
        ({"author_name": "casino king"}, LOCAL, "contains the blocked word 'casino'"),
        ({"body": "visit https://www.pills.example/x"}, LOCAL, f"{BLOCKED_DOMAIN} 'pills.example'"),
        ({"author_url": "https://shop.pills.example/"}, LOCAL, f"{BLOCKED_DOMAIN} 'pills.example'"),
        ({"author_email": "bot@spam-mail.example"}, LOCAL, f"{BLOCKED_DOMAIN} 'spam-mail.example'"),
        ({}, "192.0.2.77", "sent from the blocked network 192.0.2.0/24"),
        ({}, "2001:db8::1", "sent from the blocked network 2001:db8::/32"),
    ],
)
def test_blocklists_of_words_domains_and_addresses(fields, ip, reason):
    relaxed_settings(
        blocked_words="Cheap watches\ncasino",
        blocked_domains="pills.example\n*.spam-mail.example",
        blocked_ips="192.0.2.0/24\n2001:db8::/32\nnot an address",
    )
    comment = submit(make_article(), ip=ip, **fields)
    assert comment.status == CommentStatus.SPAM
    assert outcome(comment, "blocklist") == {
        "check": "blocklist",
        "verdict": "spam",
        "reason": reason,
    }


def test_a_lookalike_domain_is_not_blocked():
    relaxed_settings(blocked_domains="pills.example")
    comment = submit(make_article(), body="I read notpills.example/news today")
    assert outcome(comment, "blocklist")["verdict"] == "accept"


# Rate limit and duplicates --------------------------------------------------------------


def test_the_rate_limit_counts_comments_per_ip_address():
    relaxed_settings(rate_limit_count=2, rate_limit_window_seconds=600)
    article = make_article()
    verdicts = [
        outcome(
            submit(article, body=f"Comment {n}", author_email=f"r{n}@example.org"), "rate_limit"
        )
        for n in range(2)
    ]
    assert [v["verdict"] for v in verdicts] == ["accept", "accept"]
    assert verdicts[1]["reason"] == "comment 2 of 2 allowed in 600 s"
    # Over the limit nothing is stored at all (tests/test_hardening_abuse.py).
    with pytest.raises(services.CommentRefused) as refused:
        submit(article, body="Comment 3", author_email="r3@example.org")
    assert refused.value.status == 429
    assert Comment.objects.filter(article=article).count() == 2
    other_ip = submit(article, ip="198.51.100.1", body="From elsewhere")
    assert outcome(other_ip, "rate_limit")["verdict"] == "accept"


def test_the_same_text_twice_from_one_person_is_a_duplicate():
    relaxed_settings()
    article, other = make_article(), make_article()
    first = submit(article, body="Great   article!")
    again = submit(article, body="great article!", ip="198.51.100.9")
    elsewhere = submit(other, body="Great article!", ip="198.51.100.10")
    someone_else = submit(
        article, body="Great article!", author_email="x@example.org", ip="198.51.100.11"
    )

    assert outcome(first, "duplicate")["verdict"] == "accept"
    assert outcome(again, "duplicate") == {
        "check": "duplicate",
        "verdict": "spam",
        "reason": f"same text as comment #{first.pk} on this article",
    }
    assert outcome(elsewhere, "duplicate")["reason"].endswith("on another article")
    assert outcome(someone_else, "duplicate")["verdict"] == "accept"


def test_a_second_mention_from_the_same_source_is_a_duplicate():
    relaxed_settings()
    article = make_article()
    kwargs = dict(
        author_name="Harbour Blog",
        author_url="https://harbour.example/",
        title="Dredging, explained",
        excerpt="… as the Courier reported …",
        source_url="https://harbour.example/dredging",
    )
    first = services.create_mention(article, CommentKind.PINGBACK, **kwargs)
    second = services.create_mention(article, CommentKind.WEBMENTION, **kwargs)
    assert first.status == CommentStatus.PENDING
    assert first.moderation_note == "pingbacks await moderation"
    assert second.status == CommentStatus.SPAM
    assert (
        outcome(second, "duplicate")["reason"] == f"this source already mentioned it (#{first.pk})"
    )


# The extension point ---------------------------------------------------------------------


class ShoutingCheck:
    name = "no_shouting"

    def check(self, comment, request):
        if comment.body.isupper():
            return CheckResult(Verdict.HOLD, "all capitals")
        return CheckResult(Verdict.ACCEPT, "calm")


class BrokenCheck:
    name = "broken"

    def check(self, comment, request):
        raise RuntimeError("lost its word list")


@pytest.mark.extension_point("register_comment_checks")
def test_a_check_from_another_plugin_joins_the_pipeline_and_a_broken_one_holds():
    relaxed_settings()
    article = make_article()
    make_comment(article, author_email="rosa@example.org")  # a returning reader

    def add_checks(registry):
        registry.register(ShoutingCheck(), order=55)
        registry.register(BrokenCheck(), order=200)

    with temporary_hooks(("register_comment_checks", add_checks)):
        loud = submit(article, body="WHY IS THE FERRY LATE")
        names = [r["check"] for r in loud.check_results]
    assert names.index("no_shouting") == names.index("duplicate") + 1
    assert names[-1] == "broken"
    assert outcome(loud, "no_shouting") == {
        "check": "no_shouting",
        "verdict": "hold",
        "reason": "all capitals",
    }
    assert outcome(loud, "broken")["verdict"] == "hold"
    assert "RuntimeError: lost its word list" in outcome(loud, "broken")["reason"]
    assert loud.status == CommentStatus.PENDING

    calm = submit(article, body="Why is the ferry late?", ip="198.51.100.3")
    assert "no_shouting" not in [r["check"] for r in calm.check_results]
    assert calm.status == CommentStatus.APPROVED


# Akismet-compatible service -----------------------------------------------------------------


@pytest.fixture
def akismet_settings(httpserver):
    return relaxed_settings(
        akismet_api_key="test-key", akismet_endpoint=httpserver.url_for("/1.1/")
    )


def sent_form(httpserver, index=-1):
    request = httpserver.log[index][0]
    return {key: values[0] for key, values in parse_qs(request.get_data(as_text=True)).items()}


def test_akismet_says_spam_and_receives_the_comment(httpserver, akismet_settings):
    httpserver.expect_request("/1.1/comment-check", method="POST").respond_with_response(
        Response("true", headers={"X-akismet-pro-tip": "discard"})
    )
    article = make_article(title="Ferry fares")
    comment = submit(article, body="Cheap flights at example", author_url="https://rosa.example/")

    assert comment.status == CommentStatus.SPAM
    assert outcome(comment, "akismet") == {
        "check": "akismet",
        "verdict": "spam",
        "reason": "Akismet says spam (blatant: discard)",
    }
    sent = sent_form(httpserver)
    assert sent["api_key"] == "test-key"
    assert sent["blog"] == "http://testserver"
    assert sent["user_ip"] == "203.0.113.5"
    assert sent["user_agent"] == "TestBrowser/1.0"
    assert sent["comment_type"] == "comment"
    assert sent["comment_author"] == "Rosa"
    assert sent["comment_author_email"] == "rosa@example.org"
    assert sent["comment_author_url"] == "https://rosa.example/"
    assert sent["comment_content"] == "Cheap flights at example"
    assert sent["permalink"].endswith(article.url)


def test_akismet_says_ham(httpserver, akismet_settings):
    httpserver.expect_request("/1.1/comment-check").respond_with_data("false")
    comment = submit(make_article())
    assert outcome(comment, "akismet") == {
        "check": "akismet",
        "verdict": "accept",
        "reason": "Akismet says not spam",
    }


@pytest.mark.parametrize(
    ("response", "reason"),
    [
        (
            Response("invalid", headers={"X-akismet-debug-help": "Empty api_key"}),
            "gave no verdict: Empty api_key",
        ),
        (Response("oops", status=500), "answered HTTP 500"),
    ],
)
def test_akismet_errors_hold_the_comment(httpserver, akismet_settings, response, reason):
    httpserver.expect_request("/1.1/comment-check").respond_with_response(response)
    comment = submit(make_article())
    assert comment.status == CommentStatus.PENDING
    result = outcome(comment, "akismet")
    assert result["verdict"] == "hold" and reason in result["reason"]


def _closed_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_an_unreachable_akismet_holds_the_comment():
    relaxed_settings(
        akismet_api_key="k", akismet_endpoint=f"http://127.0.0.1:{_closed_port()}/1.1/"
    )
    comment = submit(make_article())
    assert comment.status == CommentStatus.PENDING
    assert outcome(comment, "akismet")["reason"].startswith("Akismet unreachable (ConnectionError)")


def test_a_slow_akismet_times_out_and_holds(httpserver, akismet_settings, monkeypatch):
    monkeypatch.setattr(akismet, "TIMEOUT", (0.5, 0.2))

    def slow(request):
        time.sleep(0.6)
        return Response("false")

    httpserver.expect_request("/1.1/comment-check").respond_with_handler(slow)
    started = time.monotonic()
    comment = submit(make_article())
    assert time.monotonic() - started < 0.6
    assert outcome(comment, "akismet")["reason"].startswith("Akismet unreachable (ReadTimeout)")
    time.sleep(0.5)  # let the fake server finish before the next test uses it


@pytest.mark.extension_point("after_comment_moderate")
def test_moderators_corrections_are_reported_as_spam_or_ham(
    httpserver, akismet_settings, django_capture_on_commit_callbacks
):
    httpserver.expect_request("/1.1/comment-check").respond_with_data("false")
    httpserver.expect_request("/1.1/submit-spam").respond_with_data(
        "Thanks for making the web a better place."
    )
    httpserver.expect_request("/1.1/submit-ham").respond_with_data(
        "Thanks for making the web a better place."
    )
    comment = submit(make_article(), body="Is this spam? A person will know.")

    with django_capture_on_commit_callbacks(execute=True):
        services.moderate([comment], CommentStatus.SPAM)
    assert httpserver.log[-1][0].path == "/1.1/submit-spam"
    reported = sent_form(httpserver)
    assert reported["comment_content"] == "Is this spam? A person will know."
    assert reported["user_ip"] == "203.0.113.5"

    with django_capture_on_commit_callbacks(execute=True):
        services.moderate([comment], CommentStatus.APPROVED)
    assert httpserver.log[-1][0].path == "/1.1/submit-ham"

    calls = len(httpserver.log)
    with django_capture_on_commit_callbacks(execute=True):
        services.moderate([comment], CommentStatus.TRASH)  # not a spam judgement
    assert len(httpserver.log) == calls
