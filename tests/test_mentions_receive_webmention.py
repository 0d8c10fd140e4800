"""Receiving webmentions: 202 and a status URL, verification in the background, updates, deletions.

The source pages are served by a real server on 127.0.0.1. Verification never runs
in the request: with the test settings' immediate backend the webmention is only
recorded as queued, and the periodic job `mentions_verify_waiting` verifies it (the
`send` fixture runs that job after each POST, as the clock would within a minute);
with a queueing backend the request queues a task for a worker (the tests play the
worker). tests/test_mentions_runtime.py covers the job itself.
"""

from urllib.parse import urljoin

import pytest
from bs4 import BeautifulSoup
from byline_comments.models import CommentStatus
from byline_comments.services import moderate, set_comments_closed
from byline_mentions.models import ReceivedMention
from django.test import override_settings
from wagtail.contrib.redirects.models import Redirect

from tests.comment_support import site_settings
from tests.factories import make_section
from tests.mentions_support import (
    _other_site_server,
    blog_post,
    h_entry_post,
    mention_article,
    mention_settings,
    mentions_of,
    only_global_addresses,
    other_site,
    verify_waiting,
)

__all__ = ["_other_site_server", "other_site"]

pytestmark = pytest.mark.django_db

ENDPOINT = "/webmention/"
QUEUEING_BACKEND = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture
def send(client, django_capture_on_commit_callbacks):
    """POST a webmention as a sender would, then run the periodic job that verifies it."""

    def send(source, target, **extra):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(ENDPOINT, {"source": source, "target": target}, **extra)
        with django_capture_on_commit_callbacks(execute=True):
            verify_waiting()
        return response

    return send


def serve(other_site, path, html, status=200, content_type="text/html; charset=utf-8"):
    other_site.expect_request(path).respond_with_data(
        html, status=status, content_type=content_type
    )
    return other_site.url_for(path)


def status_of(client, response):
    return client.get(response["Location"]).json()


# Accepting ------------------------------------------------------------------------------


@pytest.mark.extension_point("register_plugin_urls")
def test_a_webmention_is_accepted_with_202_and_a_status_url(client, send, other_site):
    article = mention_article()
    source = serve(other_site, "/notes/ferries", h_entry_post(article.get_full_url()))

    response = send(source, article.get_full_url())

    assert response.status_code == 202
    received = ReceivedMention.objects.get()
    assert response["Location"] == f"http://testserver/webmention/{received.token}/"
    assert response.json()["status"] == "queued"  # what was true when it was answered
    status = status_of(client, response)
    assert status["status"] == "accepted"
    assert status["source"] == source and status["target"] == article.get_full_url()
    [mention] = mentions_of(article)
    assert status["detail"] == f"stored as comment #{mention.pk} (awaiting moderation)"
    # Title, author and excerpt from the microformats h-entry.
    assert mention.kind == "webmention"
    assert mention.status == CommentStatus.PENDING
    assert mention.source_title == "Ferries, finally"
    assert mention.author_name == "Jo Marsh"
    assert mention.author_url == "https://jo.example/"
    assert mention.body == (
        "Good news for island commuters: the new timetable adds an evening crossing."
    )
    assert mention.ip_address == "127.0.0.1"  # the sender's, handed to the spam checks
    assert ReceivedMention.objects.get().client_ip is None  # erased once verified


def test_an_approved_webmention_shows_on_the_article_and_counts(client, send, other_site):
    article = mention_article()
    send(serve(other_site, "/n", h_entry_post(article.get_full_url())), article.get_full_url())
    [mention] = mentions_of(article)
    page = BeautifulSoup(client.get(article.url).content, "html.parser")
    assert page.select_one(f"#comment-{mention.pk}") is None  # waiting for a moderator
    assert page.select_one("#comments-title").get_text(strip=True) == "No comments yet"

    moderate([mention], CommentStatus.APPROVED)

    page = BeautifulSoup(client.get(article.url).content, "html.parser")
    shown = page.select_one(f"#comment-{mention.pk} .comment__mention")
    assert " ".join(shown.get_text(" ").split()) == "Webmention: Ferries, finally – Jo Marsh"
    assert page.select_one("#comments-title").get_text(strip=True) == "1 Comment so far"


def test_a_plain_blog_post_gives_its_title_site_name_and_the_text_around_the_link(send, other_site):
    article = mention_article()
    send(serve(other_site, "/walk", blog_post(article.get_full_url())), article.get_full_url())
    [mention] = mentions_of(article)
    assert mention.source_title == "A walk along the harbour"
    assert mention.author_name == "Harbour Walks"
    assert mention.body.startswith("Before the walk I read the Courier's report about")


def test_a_relative_link_in_the_source_counts(send, other_site):
    article = mention_article()
    # Relative to a <base> on our own site, wherever article URLs point.
    base = urljoin(article.get_full_url(), "/elsewhere/")
    other_site.expect_request("/base").respond_with_data(
        f'<html><head><base href="{base}"></head><body>'
        f'<p>See <a href="..{article.url}">this</a>.</p></body></html>',
        content_type="text/html",
    )
    send(other_site.url_for("/base"), article.get_full_url())
    assert len(mentions_of(article)) == 1


def test_a_plain_text_source_that_names_the_url_counts(send, other_site):
    article = mention_article()
    text = f"Worth reading: {article.get_full_url()} (about ferries)."
    send(serve(other_site, "/t.txt", text, content_type="text/plain"), article.get_full_url())
    [mention] = mentions_of(article)
    assert mention.body == text


def test_the_spam_checks_judge_webmentions_too(send, other_site):
    article = mention_article()
    site_settings(blocked_domains="jo.example")
    send(serve(other_site, "/n", h_entry_post(article.get_full_url())), article.get_full_url())
    [mention] = mentions_of(article)
    assert mention.status == CommentStatus.SPAM
    assert {
        "check": "blocklist",
        "verdict": "spam",
        "reason": "mentions the blocked domain 'jo.example'",
    } in mention.check_results


# Old addresses --------------------------------------------------------------------------


def test_a_webmention_to_an_old_address_reaches_the_article(
    client, send, other_site, django_capture_on_commit_callbacks
):
    """Pages keep linking to an article's old address after its slug changes or it
    moves: Wagtail's redirect from there names the article, no fetch needed."""
    article = mention_article()
    first_url = article.get_full_url()
    with django_capture_on_commit_callbacks(execute=True):
        article.slug = "evening-crossing-added"
        article.save_revision().publish()  # leaves a redirect from the first address
    article.refresh_from_db()
    second_url = article.get_full_url()
    article.move(make_section("Travel"), pos="last-child")  # and one from the second
    article.refresh_from_db()
    assert article.get_full_url() == urljoin(first_url, "/travel/evening-crossing-added/")
    assert Redirect.objects.filter(redirect_page=article).count() == 2

    for n, old_url in enumerate([first_url, second_url]):
        source = serve(other_site, f"/notes/{n}", h_entry_post(old_url))
        response = send(source, old_url)
        assert response.status_code == 202, response.content
        assert status_of(client, response)["status"] == "accepted"
    assert [m.source_url for m in mentions_of(article)] == [
        other_site.url_for("/notes/0"),
        other_site.url_for("/notes/1"),
    ]
    # Verifying asked nothing of our own site: the only requests were for the sources.
    assert [request.path for request, _ in other_site.log] == ["/notes/0", "/notes/1"]


def test_an_editors_redirect_to_an_article_counts_too(client, send, other_site):
    article = mention_article()
    short = urljoin(article.get_full_url(), "/ferries")
    Redirect.objects.create(old_path="/ferries", redirect_page=article)
    typed = urljoin(article.get_full_url(), "/timetable/")
    Redirect.objects.create(old_path="/timetable", redirect_link=article.url)

    for n, old_url in enumerate([short, typed]):
        response = send(serve(other_site, f"/r{n}", h_entry_post(old_url)), old_url)
        assert status_of(client, response)["status"] == "accepted"
    assert len(mentions_of(article)) == 2


def test_a_redirect_elsewhere_or_to_a_hidden_article_is_no_target(client, other_site):
    article = mention_article()
    hidden = mention_article(title="Not yet", publish=False)
    Redirect.objects.create(old_path="/shop", redirect_link="https://shop.example/courier")
    Redirect.objects.create(old_path="/soon", redirect_page=hidden)
    Redirect.objects.create(old_path="/world", redirect_page=article.get_parent())
    source = other_site.url_for("/post")
    for path in ("/shop/", "/soon/", "/world/"):
        target = urljoin(article.get_full_url(), path)
        response = client.post(ENDPOINT, {"source": source, "target": target})
        assert response.status_code == 400, path
        assert "target is not a published article of this site" in response.json()["message"]
    assert other_site.log == []


# Refused at once --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data, message",
    [
        ({}, "source and target are both required"),
        ({"source": "https://blog.example/post"}, "source and target are both required"),
        (
            {"source": "javascript:alert(1)", "target": "http://localhost/news/x/"},
            "source must be an http(s) URL",
        ),
        ({"source": "https://blog.example/p", "target": "ftp://x/"}, "target must be an http(s)"),
        (
            {"source": "https://blog.example/p", "target": "https://elsewhere.example/news/x/"},
            "target is not a published article of this site",
        ),
        (
            {"source": "https://blog.example/p", "target": "http://localhost/"},
            "target is not a published article of this site",
        ),
        (
            {"source": "https://blog.example/" + "p" * 600, "target": "http://localhost/"},
            "at most 500 characters",
        ),
    ],
)
def test_bad_requests_get_400_and_a_reason(client, data, message):
    mention_article()
    response = client.post(ENDPOINT, data)
    assert response.status_code == 400
    assert message in response.json()["message"]
    assert ReceivedMention.objects.count() == 0


def test_source_and_target_must_differ(client):
    article = mention_article()
    url = article.get_full_url()
    response = client.post(ENDPOINT, {"source": url + "#top", "target": url})
    assert response.status_code == 400
    assert response.json()["message"] == "source and target must be different pages"


def test_a_closed_article_refuses_webmentions(client, other_site):
    article = mention_article()
    set_comments_closed(article, True)
    response = client.post(
        ENDPOINT, {"source": other_site.url_for("/p"), "target": article.get_full_url()}
    )
    assert response.status_code == 400
    assert "comments on this article are closed" in response.json()["message"]
    assert other_site.log == []


def test_a_site_that_turned_webmentions_off_refuses_them(client, other_site):
    article = mention_article()
    mention_settings(receive_webmentions=False)
    response = client.post(
        ENDPOINT, {"source": other_site.url_for("/p"), "target": article.get_full_url()}
    )
    assert response.status_code == 400
    assert "this site does not accept webmentions" in response.json()["message"]


def test_get_is_not_allowed_and_unknown_statuses_are_404(client):
    response = client.get(ENDPOINT)
    assert response.status_code == 405 and response["Allow"] == "POST"
    assert client.get("/webmention/9b2f4b0e-0000-4000-8000-000000000000/").status_code == 404


def test_an_oversized_form_gets_413(client):
    response = client.post(
        ENDPOINT, "source=" + "a" * 20_000, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 413


# Verification outcomes ---------------------------------------------------------------------


def test_a_source_that_does_not_link_is_rejected(client, send, other_site):
    article = mention_article()
    response = send(serve(other_site, "/other", blog_post()), article.get_full_url())
    assert response.status_code == 202
    assert status_of(client, response)["status"] == "rejected"
    assert status_of(client, response)["detail"] == "source does not link to target"
    assert mentions_of(article) == []


def test_a_source_on_a_refused_address_is_rejected_without_being_contacted(
    client, send, other_site
):
    article = mention_article()
    source = serve(other_site, "/p", blog_post(article.get_full_url()))
    with only_global_addresses():
        response = send(source, article.get_full_url())
    status = status_of(client, response)
    assert status["status"] == "rejected"
    assert "127.0.0.1 is a loopback address; refused" in status["detail"]
    assert other_site.log == []


def test_an_update_refreshes_the_mention(client, send, other_site):
    article = mention_article()
    source = serve(other_site, "/post", blog_post(article.get_full_url(), title="First draft"))
    send(source, article.get_full_url())
    [mention] = mentions_of(article)
    moderate([mention], CommentStatus.APPROVED)

    other_site.clear()
    serve(other_site, "/post", blog_post(article.get_full_url(), title="Ferry report, revised"))
    response = send(source, article.get_full_url())

    status = status_of(client, response)
    assert status["status"] == "updated"
    assert status["detail"] == f"mention #{mention.pk} updated"
    [updated] = mentions_of(article)
    assert updated.pk == mention.pk
    assert updated.source_title == "Ferry report, revised"
    assert updated.status == CommentStatus.APPROVED  # still fine by the spam checks


def test_an_update_the_spam_checks_dislike_goes_to_spam(send, other_site):
    article = mention_article()
    source = serve(other_site, "/post", blog_post(article.get_full_url()))
    send(source, article.get_full_url())
    [mention] = mentions_of(article)
    moderate([mention], CommentStatus.APPROVED)
    site_settings(blocked_words="cheap pills")

    other_site.clear()
    serve(other_site, "/post", blog_post(article.get_full_url(), title="Cheap pills here"))
    send(source, article.get_full_url())

    mention.refresh_from_db()
    assert mention.status == CommentStatus.SPAM
    assert mention.source_title == "Cheap pills here"


@pytest.mark.parametrize("gone_status", [410, 404])
def test_a_deleted_source_removes_the_mention(client, send, other_site, gone_status):
    article = mention_article()
    source = serve(other_site, "/post", blog_post(article.get_full_url()))
    send(source, article.get_full_url())
    [mention] = mentions_of(article)
    moderate([mention], CommentStatus.APPROVED)

    other_site.clear()
    serve(other_site, "/post", "Gone", status=gone_status)
    response = send(source, article.get_full_url())

    status = status_of(client, response)
    assert status["status"] == "removed"
    assert status["detail"] == (
        f"source answered HTTP {gone_status}: mention #{mention.pk} removed"
    )
    mention.refresh_from_db()
    assert mention.status == CommentStatus.TRASH
    assert mention.moderation_note == f"its source answered HTTP {gone_status} (deleted)"
    page = BeautifulSoup(client.get(article.url).content, "html.parser")
    assert page.select_one(f"#comment-{mention.pk}") is None


def test_a_source_that_no_longer_links_removes_the_mention(client, send, other_site):
    article = mention_article()
    source = serve(other_site, "/post", blog_post(article.get_full_url()))
    send(source, article.get_full_url())
    [mention] = mentions_of(article)

    other_site.clear()
    serve(other_site, "/post", blog_post())
    response = send(source, article.get_full_url())

    assert status_of(client, response)["status"] == "removed"
    mention.refresh_from_db()
    assert mention.status == CommentStatus.TRASH
    assert mention.moderation_note == "its source no longer links to the article"


def test_a_deleted_source_that_never_mentioned_us_is_just_rejected(client, send, other_site):
    article = mention_article()
    response = send(serve(other_site, "/gone", "", status=410), article.get_full_url())
    status = status_of(client, response)
    assert (status["status"], status["detail"]) == ("rejected", "source answered HTTP 410")


def test_a_server_error_at_the_source_changes_nothing(client, send, other_site):
    article = mention_article()
    source = serve(other_site, "/post", blog_post(article.get_full_url()))
    send(source, article.get_full_url())
    other_site.clear()
    serve(other_site, "/post", "oops", status=500)
    response = send(source, article.get_full_url())
    assert status_of(client, response)["status"] == "rejected"
    assert mentions_of(article)[0].status == CommentStatus.PENDING


# Abuse -------------------------------------------------------------------------------------


def test_each_request_causes_at_most_one_fetch(client, send, other_site):
    article = mention_article()
    source = serve(other_site, "/post", blog_post(article.get_full_url()))
    send(source, article.get_full_url())
    assert len(other_site.log) == 1


@override_settings(TASKS=QUEUEING_BACKEND)
def test_with_a_real_queue_the_answer_comes_first_and_repeats_are_not_queued_twice(
    client, other_site, django_capture_on_commit_callbacks
):
    from django_tasks import default_task_backend

    article = mention_article()
    source = serve(other_site, "/post", blog_post(article.get_full_url()))
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(ENDPOINT, {"source": source, "target": article.get_full_url()})
        again = client.post(ENDPOINT, {"source": source, "target": article.get_full_url()})
    assert first.status_code == again.status_code == 202
    assert first["Location"] == again["Location"]
    assert status_of(client, first)["status"] == "queued"
    assert other_site.log == []  # nothing fetched while answering
    [queued] = [r for r in default_task_backend.results if r.task.name == "verify_webmention"]

    # The worker runs the task (twice, as an at-least-once queue may): one fetch, one mention.
    queued.task.call(*queued.args)
    queued.task.call(*queued.args)
    assert status_of(client, first)["status"] == "accepted"
    assert len(mentions_of(article)) == 1
    assert len(other_site.log) == 1


def test_past_the_per_ip_limit_requests_get_429(client, other_site):
    article = mention_article()
    with override_settings(BYLINE_MENTIONS_RATE_LIMIT_PER_IP=(2, 600)):
        codes = [
            client.post(
                ENDPOINT, {"source": f"https://s{n}.example/p", "target": "http://localhost/x/"}
            ).status_code
            for n in range(2)
        ]
        limited = client.post(
            ENDPOINT, {"source": other_site.url_for("/p"), "target": article.get_full_url()}
        )
    assert codes == [400, 400]  # counted, although refused
    assert limited.status_code == 429
    assert 0 < int(limited["Retry-After"]) <= 600
    assert "too many requests from this IP address" in limited.json()["message"]
    assert other_site.log == []


def test_past_the_per_source_limit_requests_get_429_whatever_the_ip(client, other_site):
    article = mention_article()
    source = other_site.url_for("/p")
    with override_settings(BYLINE_MENTIONS_RATE_LIMIT_PER_SOURCE=(1, 600)):
        client.post(ENDPOINT, {"source": source, "target": "http://localhost/x/"})
        limited = client.post(
            ENDPOINT,
            {"source": other_site.url_for("/q"), "target": article.get_full_url()},
            REMOTE_ADDR="192.0.2.7",
        )
    assert limited.status_code == 429
    assert "too many requests from this source" in limited.json()["message"]


def test_behind_a_proxy_the_per_ip_limit_counts_each_client(client, settings):
    """With BYLINE_PROXY_COUNT, the proxy's own address is not the one counted."""
    settings.BYLINE_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.2"}

    def post(n, forwarded_for):
        return client.post(
            ENDPOINT,
            {"source": f"https://s{n}.example/p", "target": "http://localhost/x/"},
            HTTP_X_FORWARDED_FOR=forwarded_for,
            **proxy,
        ).status_code

    with override_settings(BYLINE_MENTIONS_RATE_LIMIT_PER_IP=(1, 600)):
        first = [post(0, "198.51.100.1"), post(1, "198.51.100.2")]
        # A client cannot reset its count by writing its own X-Forwarded-For entry.
        again = post(2, "203.0.113.9, 198.51.100.1")
    assert first == [400, 400]  # one each: counted, although refused
    assert again == 429
