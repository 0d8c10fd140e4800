"""The "Leave a Reply" form on the article page: fields, notice, posting, errors, safety."""

import pytest
from byline_comments.models import Comment, CommentKind, CommentStatus
from django.test import Client
from django.urls import reverse

from tests.comment_support import (
    aged_token,
    form_data,
    make_comment,
    prose,
    relaxed_settings,
    soup,
    text_of,
)
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def post_url(article):
    return reverse("byline_comments:post", args=[article.pk])


@pytest.mark.extension_point("register_template_slots")
def test_article_page_shows_an_empty_discussion_and_the_reply_form(client):
    article = make_article(title="Harbour dredging starts")
    page = soup(client.get(article.url))

    section = page.select_one('.plugin-slot[data-plugin="comments"] section#comments')
    assert section is not None, "the comments section is in the article_after_body slot"
    assert text_of(section.select_one("#comments-title")) == "No comments yet"
    assert text_of(section.select_one("#reply-title")) == "Leave a Reply"

    form = section.select_one("form.comment-form")
    assert form["method"] == "post"
    assert form["action"] == post_url(article)
    # No CSRF cookie: the page stays the same for every reader (tests/test_http_caching.py).
    assert form.select_one('input[name="csrfmiddlewaretoken"]') is None
    labels = [text_of(label) for label in form.select(".comment-form__field label")]
    assert labels == ["Name *", "Email *", "Website", "Comment *"]
    assert form.select_one('input[name="form_token"][type="hidden"]')["value"]
    trap = form.select_one(".comment-form__trap")
    assert trap["aria-hidden"] == "true" and "left:-10000px" in trap["style"]
    assert trap.select_one('input[name="homepage_url"]')["tabindex"] == "-1"

    notice = text_of(form.select_one(".comment-form__notice"))
    assert "checked automatically" in notice
    assert "never your email address" in notice
    assert "60 days" in notice
    assert "Akismet" not in notice  # not configured, so not mentioned


def test_notice_names_akismet_when_the_site_uses_it(client):
    relaxed_settings(akismet_api_key="k-123", personal_data_retention_days=1)
    article = make_article()
    notice = text_of(soup(client.get(article.url)).select_one(".comment-form__notice"))
    assert "sent to the Akismet spam service" in notice
    assert "for 1 day " in notice


def test_first_comment_is_held_and_the_reader_is_told_so(client):
    relaxed_settings()
    article = make_article()
    data = form_data(article, author_name="Maya Lind", body="When does the ferry run again?")

    response = client.post(post_url(article), data, REMOTE_ADDR="198.51.100.7")

    assert response.status_code == 302
    assert response["Location"].startswith(article.url + "?comment_posted=")
    assert response["Location"].endswith("#comments")
    comment = Comment.objects.get()
    assert comment.status == CommentStatus.PENDING
    assert comment.moderation_note == "first comment from this reader"
    assert comment.kind == CommentKind.COMMENT
    assert comment.ip_address == "198.51.100.7"
    assert [r["check"] for r in comment.check_results] == [
        "honeypot",
        "fill_time",
        "blocklist",
        "link_count",
        "duplicate",
        "rate_limit",
        "akismet",
    ]
    assert {r["verdict"] for r in comment.check_results} == {"accept"}

    page = soup(client.get(response["Location"]))
    notice = page.select_one(".comments__notice--pending")
    assert "awaiting moderation" in text_of(notice)
    assert notice["role"] == "status"
    assert text_of(page.select_one("#comments-title")) == "No comments yet"
    assert "When does the ferry run again?" not in page.get_text()


def test_returning_reader_is_published_at_once(client):
    relaxed_settings()
    article = make_article()
    make_comment(article, author_email="maya@example.org", body="An earlier approved comment.")
    data = form_data(article, author_email="Maya@Example.org", body="A second thought on it.")

    response = client.post(post_url(article), data)

    comment = Comment.objects.get(body="A second thought on it.")
    assert comment.status == CommentStatus.APPROVED
    assert comment.author_email == "maya@example.org"
    assert comment.moderation_note == "returning reader with an approved comment"
    assert response["Location"].endswith(f"#comment-{comment.pk}")
    page = soup(client.get(response["Location"]))
    assert "your comment is published" in text_of(page.select_one(".comments__notice--published"))
    assert text_of(page.select_one("#comments-title")) == "2 Comments so far"
    assert "A second thought on it." in text_of(page.select_one(f"#comment-{comment.pk}"))


def test_returning_readers_wait_too_when_the_site_says_so(client):
    relaxed_settings(auto_approve_returning=False)
    article = make_article()
    make_comment(article, author_email="maya@example.org")
    client.post(post_url(article), form_data(article, author_email="maya@example.org"))
    newest = Comment.objects.order_by("-pk").first()
    assert newest.status == CommentStatus.PENDING
    assert newest.moderation_note == "every comment awaits moderation on this site"


def test_invalid_form_shows_clear_errors_and_keeps_what_was_typed(client):
    relaxed_settings()
    article = make_article()
    data = form_data(
        article,
        author_name="",
        author_email="maya-at-example",
        author_url="javascript:alert(1)",
        body="My carefully written paragraph about the harbour.",
    )

    response = client.post(post_url(article), data)

    assert response.status_code == 400
    assert not Comment.objects.exists()
    page = soup(response)
    errors = [prose(li) for li in page.select("#comment-form-errors li")]
    assert errors == [
        "Name: Please give your name (it is shown with your comment).",
        "Email: Please give a valid email address, like name@example.com.",
        "Website: Please give a full web address, like https://example.com.",
    ], errors
    form = page.select_one("form.comment-form")
    assert form.select_one("textarea[name=body]").get_text().strip() == (
        "My carefully written paragraph about the harbour."
    )
    assert form.select_one("input[name=author_email]")["value"] == "maya-at-example"
    assert form.select_one("input[name=author_email]")["aria-invalid"] == "true"
    # The rest of the article page is still there around the form.
    assert text_of(page.select_one("#article-title")) == article.title


def test_expired_form_keeps_the_text_and_works_when_sent_again(client):
    relaxed_settings()
    article = make_article()
    data = form_data(article, body="Written over a long lunch.")
    data["form_token"] = aged_token(article.pk, seconds_ago=3 * 24 * 3600)

    response = client.post(post_url(article), data)

    assert response.status_code == 400
    page = soup(response)
    assert "The form has expired." in text_of(page.select_one("#comment-form-errors"))
    assert page.select_one("textarea[name=body]").get_text().strip() == "Written over a long lunch."
    fresh_token = page.select_one("input[name=form_token]")["value"]
    assert fresh_token != data["form_token"]

    resent = client.post(post_url(article), {**data, "form_token": fresh_token})
    assert resent.status_code == 302
    assert Comment.objects.filter(body="Written over a long lunch.").exists()


@pytest.mark.parametrize(
    ("parent", "message"),
    [
        ("abc", "Enter a whole number."),
        (str(10**30), "less than or equal to 2147483647"),
        ("0", "greater than or equal to 1"),
    ],
)
def test_a_tampered_parent_is_refused_cleanly(client, parent, message):
    relaxed_settings()
    article = make_article()
    response = client.post(post_url(article), form_data(article, parent=parent))
    assert response.status_code == 400
    assert message in text_of(soup(response).select_one("#comment-form-errors"))


def test_token_of_another_article_is_refused(client):
    relaxed_settings()
    article, other = make_article(), make_article()
    response = client.post(post_url(article), form_data(article, form_token=aged_token(other.pk)))
    assert response.status_code == 400
    assert "belongs to another article" in text_of(
        soup(response).select_one("#comment-form-errors")
    )


def test_overlong_comment_is_refused_with_its_length():
    client = Client()
    relaxed_settings()
    article = make_article()
    response = client.post(post_url(article), form_data(article, body="x" * 5001))
    assert response.status_code == 400
    assert "under 5,000 characters (it has 5001)" in soup(response).get_text()


def test_the_form_is_accepted_from_this_site_only_without_a_csrf_cookie():
    relaxed_settings()
    article = make_article()
    browser = Client(enforce_csrf_checks=True)
    page = browser.get(article.url)
    assert not page.cookies, "the article page sets no cookie"

    refused = browser.post(
        post_url(article), form_data(article), HTTP_ORIGIN="https://evil.example"
    )
    assert refused.status_code == 403
    assert "not sent from a page of this site" in soup(refused).get_text()
    assert not Comment.objects.exists()

    accepted = browser.post(post_url(article), form_data(article), HTTP_ORIGIN="http://testserver")
    assert accepted.status_code == 302
    assert Comment.objects.count() == 1


def test_posting_needs_a_published_article(client):
    article = make_article(publish=False)
    assert client.post(post_url(article), form_data(article)).status_code == 404
    assert client.post(f"/comments/{10**30}/post/", form_data(article)).status_code == 404
    assert client.get(post_url(make_article())).status_code == 405


def test_comment_text_cannot_inject_markup_and_links_are_nofollow_ugc(client):
    article = make_article()
    comment = make_comment(
        article,
        author_name='<img src=x onerror="alert(1)">Eve',
        author_url="https://eve.example/",
        body='<script>alert("x")</script> read https://harbour.example/report?a=1&b=2 now\n\n'
        "<b>second</b> paragraph\nwith a line break",
    )
    page = soup(client.get(article.url))
    node = page.select_one(f"#comment-{comment.pk}")

    assert node.select("script") == [] and node.select("img") == []
    assert node.select(".comment__body b") == []
    body = node.select_one(".comment__body")
    paragraphs = body.select("p")
    assert len(paragraphs) == 2
    assert text_of(paragraphs[0]).startswith('<script>alert("x")</script> read')
    link = body.select_one("a")
    assert link["href"] == "https://harbour.example/report?a=1&b=2"
    assert link["rel"] == ["nofollow", "ugc"]
    assert paragraphs[1].select("br")
    author = node.select_one(".comment__author a")
    assert author["href"] == "https://eve.example/"
    assert set(author["rel"]) == {"external", "nofollow", "ugc"}
    assert text_of(author) == '<img src=x onerror="alert(1)">Eve'


def test_a_stored_javascript_website_is_never_linked(client):
    article = make_article()
    comment = make_comment(article, author_name="Mallory", author_url="javascript:alert(1)")
    node = soup(client.get(article.url)).select_one(f"#comment-{comment.pk}")
    assert node.select_one(".comment__author a") is None
    assert text_of(node.select_one(".comment__author")) == "Mallory"
