"""Threads on the article page: nesting, replies, depth, pingbacks, and a constant query count."""

import pytest
from byline_comments.display import render_comments_slot
from byline_comments.models import Comment, CommentKind, CommentStatus
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.comment_support import (
    form_data,
    make_comment,
    prose,
    relaxed_settings,
    soup,
    text_of,
)
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def thread_shape(list_node):
    """[(comment id, [replies...]), ...] read from the nested <ol> lists."""
    shape = []
    for item in list_node.find_all("li", recursive=False):
        replies = item.find("ol", class_="comment-list--replies", recursive=False)
        shape.append(
            (int(item["id"].removeprefix("comment-")), thread_shape(replies) if replies else [])
        )
    return shape


def test_threads_nest_replies_and_show_pingbacks_as_such(client):
    relaxed_settings(max_depth=3)
    article = make_article()
    ana = make_comment(article, author_name="Ana", body="Top comment.")
    ben = make_comment(article, parent=ana, author_name="Ben")
    cy = make_comment(article, parent=ben, author_name="Cy")
    dee = make_comment(article, author_name="Dee")
    ping = make_comment(
        article,
        kind=CommentKind.PINGBACK,
        author_name="kodak notes",
        source_url="https://notes.example/trams",
        source_title="Trams, again",
        body="mentions the article",
    )
    make_comment(article, status=CommentStatus.PENDING, body="Not yet approved")

    page = soup(client.get(article.url))

    assert text_of(page.select_one("#comments-title")) == "5 Comments so far"
    assert thread_shape(page.select_one("#comments > ol.comment-list")) == [
        (ana.pk, [(ben.pk, [(cy.pk, [])])]),
        (dee.pk, []),
        (ping.pk, []),
    ]
    pingback = page.select_one(f"#comment-{ping.pk}")
    assert "comment--pingback" in pingback["class"]
    assert prose(pingback.select_one(".comment__mention")) == "Pingback: Trams, again – kodak notes"
    link = pingback.select_one(".comment__mention a")
    assert link["href"] == "https://notes.example/trams"
    assert "nofollow" in link["rel"] and "ugc" in link["rel"]
    assert pingback.select_one(".comment__reply") is None
    assert "Not yet approved" not in page.get_text()
    # Reply links only where the thread may still grow (depth 3: not on Cy).
    assert page.select_one(f"#comment-{ana.pk} > article .comment__reply a")["href"] == (
        f"?replytocom={ana.pk}#respond"
    )
    assert page.select_one(f"#comment-{ben.pk} > article .comment__reply") is not None
    assert page.select_one(f"#comment-{cy.pk} > article .comment__reply") is None


@pytest.mark.parametrize(("approved", "title"), [(1, "1 Comment so far"), (2, "2 Comments so far")])
def test_the_count_is_singular_or_plural(client, approved, title):
    article = make_article()
    for _ in range(approved):
        make_comment(article)
    make_comment(article, status=CommentStatus.SPAM)
    assert text_of(soup(client.get(article.url)).select_one("#comments-title")) == title


def test_a_lone_pingback_counts_as_one_comment(client):
    article = make_article()
    make_comment(
        article,
        kind=CommentKind.WEBMENTION,
        author_name="Field Notes",
        source_url="https://field.example/post",
        source_title="A reply elsewhere",
    )
    page = soup(client.get(article.url))
    assert text_of(page.select_one("#comments-title")) == "1 Comment so far"
    assert prose(page.select_one(".comment__mention")).startswith("Webmention: A reply elsewhere")


def test_reply_link_prepares_the_form_and_the_reply_is_stored_in_the_thread(client):
    relaxed_settings()
    article = make_article()
    ana = make_comment(article, author_name="Ana", author_email="ana@example.org")

    page = soup(client.get(article.url, {"replytocom": ana.pk}))
    assert text_of(page.select_one("#reply-title")) == "Reply to Ana Cancel reply"
    assert page.select_one("input[name=parent]")["value"] == str(ana.pk)

    data = form_data(article, parent=str(ana.pk), author_email="ana@example.org", body="Me again.")
    response = client.post(reverse("byline_comments:post", args=[article.pk]), data)
    assert response.status_code == 302
    reply = Comment.objects.get(body="Me again.")
    assert (reply.parent_id, reply.depth, reply.status) == (ana.pk, 1, CommentStatus.APPROVED)
    shape = thread_shape(soup(client.get(article.url)).select_one("#comments > ol"))
    assert shape == [(ana.pk, [(reply.pk, [])])]


def test_replies_deeper_than_the_site_allows_are_refused(client):
    relaxed_settings(max_depth=2)
    article = make_article()
    top = make_comment(article)
    reply = make_comment(article, parent=top)
    # No reply form for a comment at the deepest level, even when asked for.
    page = soup(client.get(article.url, {"replytocom": reply.pk}))
    assert text_of(page.select_one("#reply-title")) == "Leave a Reply"
    assert page.select_one("input[name=parent]").get("value") in (None, "")

    data = form_data(article, parent=str(reply.pk))
    response = client.post(reverse("byline_comments:post", args=[article.pk]), data)
    assert response.status_code == 400
    assert "Replies nest at most 2 levels deep" in soup(response).get_text()
    assert not Comment.objects.filter(parent=reply).exists()


def test_replies_to_unavailable_comments_are_refused(client):
    relaxed_settings()
    article, other = make_article(), make_article()
    held = make_comment(article, status=CommentStatus.PENDING)
    elsewhere = make_comment(other)
    for parent in (held, elsewhere):
        response = client.post(
            reverse("byline_comments:post", args=[article.pk]),
            form_data(article, parent=str(parent.pk)),
        )
        assert response.status_code == 400
        assert "not available any more" in soup(response).get_text()


def test_a_reply_whose_parent_was_removed_moves_to_the_top_level(client):
    article = make_article()
    top = make_comment(article, status=CommentStatus.TRASH)
    orphan = make_comment(article, parent=top, body="Still worth reading.")
    page = soup(client.get(article.url))
    assert thread_shape(page.select_one("#comments > ol")) == [(orphan.pk, [])]
    assert text_of(page.select_one("#comments-title")) == "1 Comment so far"


def _discussion(size):
    article = make_article()
    comments = []
    for n in range(size):
        parent = comments[n - 1] if n % 3 == 2 else None
        kind = CommentKind.PINGBACK if n % 7 == 6 else CommentKind.COMMENT
        comments.append(
            make_comment(
                article,
                parent=parent,
                kind=kind,
                source_url="https://blog.example/" if kind != CommentKind.COMMENT else "",
                author_url="https://reader.example/" if n % 2 else "",
            )
        )
    return article


def _slot_queries(article):
    request = RequestFactory().get(article.url)
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    with CaptureQueriesContext(connection) as queries:
        html = render_comments_slot({"page": article, "request": request})
    return len(queries), html


def test_the_comments_slot_costs_the_same_queries_for_2_or_30_comments(client):
    relaxed_settings()
    small, large = _discussion(2), _discussion(30)

    small_count, small_html = _slot_queries(small)
    large_count, large_html = _slot_queries(large)

    assert "2 Comments so far" in small_html and "30 Comments so far" in large_html
    assert small_count == large_count <= 5, (small_count, large_count)

    client.get(small.url), client.get(large.url)  # warm the site and settings caches
    with CaptureQueriesContext(connection) as small_page:
        client.get(small.url)
    with CaptureQueriesContext(connection) as large_page:
        client.get(large.url)
    assert len(small_page) == len(large_page)
    print(
        f"\ncomments slot: {small_count} queries for 2 comments, {large_count} for 30; "
        f"whole page: {len(small_page)} and {len(large_page)}"
    )
