"""The article page kept whole (news.models.pages.ArticlePage.serve): made once for every
reader and made again exactly when the article or anything it shows changes, however it
was saved, with the comment form's token and the per-request slot (cms.plugins.slots)
filled in for each request; signed-in editors always get it made afresh."""

import re

import pytest
from byline_comments.models import ArticleCommentOptions
from byline_comments.tokens import read_form_token
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from taggit.models import Tag
from wagtail.models import PageViewRestriction

from authors.models import Author
from news.models import ArticleAuthor, ArticleCorrection, ArticlePage, ArticlePageTag
from tests.comment_support import make_comment, soup, text_of
from tests.factories import make_article, make_author, make_image, make_section

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="form_token" value="([^"]+)"')


@pytest.fixture(autouse=True)
def no_page_cache(settings):
    # Every answer is made by the view: what is kept is the page's own fragments.
    settings.BYLINE_PAGE_CACHE = False


@pytest.fixture
def article():
    return make_article(
        make_section("World", slug="world"),
        title="Harbour reopens after the storm",
        slug="harbour",
        authors=[make_author("Ada Reporter")],
        tags=["Harbour"],
        lead_image=make_image(width=48, height=32),
        body=[("paragraph", "<p>The quay opened at dawn.</p>")],
    )


def page_of(client, url, **extra):
    response = client.get(url, **extra)
    assert response.status_code == 200
    return response.content.decode()


def test_the_page_is_made_once_and_each_reader_gets_a_form_token_of_their_own(client, article):
    make_comment(article, author_name="Maya Lind", body="Glad the ferry runs again.")
    first = page_of(client, article.url)
    with CaptureQueriesContext(connection) as kept:
        second = page_of(client, article.url)
    # Routing's lookup of the article and the discussion's options row (which names the
    # kept comments): no byline, tag, image, comment or setting.
    sql = [query["sql"] for query in kept.captured_queries]
    assert len(sql) == 2, "\n".join(statement[:200] for statement in sql)
    assert '"news_articlepage"' in sql[0] and '"byline_comments_articlecommentoptions"' in sql[1]
    tokens = [TOKEN.search(html).group(1) for html in (first, second)]
    assert tokens[0] != tokens[1]
    for token in tokens:
        assert read_form_token(token, article.pk) > 0
    assert TOKEN.sub("", first) == TOKEN.sub("", second)
    html = soup(client.get(article.url))
    assert text_of(html.select_one("h1")) == "Harbour reopens after the storm"
    assert text_of(html.select_one("#comments-title")) == "1 Comment so far"
    assert "Glad the ferry runs again." in text_of(html.select_one(".comment-list"))
    assert html.select_one("form.comment-form")
    assert "byline-kept-" not in second


def test_the_page_follows_its_article_saved_by_a_script(client, article):
    page_of(client, article.url)
    article.title = "Harbour reopens on Monday"
    article.save()  # no revision, no publishing: the stored row changes
    html = soup(client.get(article.url))
    assert text_of(html.select_one("h1")) == "Harbour reopens on Monday"
    assert text_of(html.select_one("title")).startswith("Harbour reopens on Monday")
    ArticlePage.objects.filter(pk=article.pk).update(standfirst="Boats are back.")
    assert text_of(soup(client.get(article.url)).select_one(".article__standfirst")) == (
        "Boats are back."
    )


def test_bylines_tags_and_corrections_changed_alone_show_at_once(client, article):
    page_of(client, article.url)
    ben = make_author("Ben Writer")
    ArticleAuthor.objects.create(page=article, author=ben, sort_order=1)
    ArticlePageTag.objects.create(content_object=article, tag=Tag.objects.create(name="Ferries"))
    ArticleCorrection.objects.create(
        page=article, kind="correction", note="An earlier version gave the wrong day."
    )
    html = soup(client.get(article.url))
    assert [text_of(name) for name in html.select(".author-box .p-name")] == [
        "Ada Reporter",
        "Ben Writer",
    ]
    assert [text_of(tag) for tag in html.select(".article__tags a")] == ["Ferries", "Harbour"]
    assert "An earlier version gave the wrong day." in html.get_text()
    ArticleAuthor.objects.filter(page=article, author=ben).delete()
    html = soup(client.get(article.url))
    assert [text_of(name) for name in html.select(".author-box .p-name")] == ["Ada Reporter"]


def test_the_discussion_follows_comments_and_closing(client, article):
    assert text_of(soup(client.get(article.url)).select_one("#comments-title")) == (
        "No comments yet"
    )
    make_comment(article, author_name="Maya Lind")
    html = soup(client.get(article.url))
    assert text_of(html.select_one("#comments-title")) == "1 Comment so far"
    assert "Maya Lind" in text_of(html.select_one(".comment-list"))
    options, _ = ArticleCommentOptions.objects.get_or_create(article_id=article.pk)
    options.comments_closed = True
    options.save()
    html = soup(client.get(article.url))
    assert html.select_one("form.comment-form") is None
    assert text_of(html.select_one(".comments__closed")) == "Comments are closed."


def test_a_reply_is_written_on_a_page_made_for_its_reader(client, article):
    comment = make_comment(article, author_name="Maya Lind")
    page_of(client, article.url)
    html = soup(client.get(f"{article.url}?replytocom={comment.pk}"))
    assert text_of(html.select_one("#reply-title")).startswith("Reply to Maya Lind")
    assert html.select_one('input[name="parent"]')["value"] == str(comment.pk)
    # The reader who is not replying still gets the plain form.
    html = soup(client.get(article.url))
    assert text_of(html.select_one("#reply-title")) == "Leave a Reply"
    assert not html.select_one('input[name="parent"]').get("value")


def test_signed_in_editors_get_the_page_made_afresh(client, article):
    page_of(client, article.url)
    # Renamed behind the page's back (no signal, so no purge): readers keep the page they
    # were served until its staleness bound; an editor sees the truth.
    Author.objects.filter(name="Ada Reporter").update(name="Ada Harbourside")
    html = soup(client.get(article.url))
    assert [text_of(name) for name in html.select(".author-box .p-name")] == ["Ada Reporter"]
    editor = get_user_model().objects.create_superuser("editor", "editor@example.test", "pw")
    client.force_login(editor)
    html = soup(client.get(article.url))
    assert [text_of(name) for name in html.select(".author-box .p-name")] == ["Ada Harbourside"]


def test_a_restriction_above_a_kept_page_asks_for_the_password(client, article):
    page_of(client, article.url)
    restriction = PageViewRestriction.objects.create(
        page=article.get_parent(), restriction_type="password", password="tide"
    )
    html = page_of(client, article.url)
    assert 'name="password"' in html and "The quay opened at dawn." not in html
    restriction.delete()
    assert "The quay opened at dawn." in page_of(client, article.url)


def test_an_alias_of_a_restricted_article_asks_for_its_password(client, article):
    PageViewRestriction.objects.create(page=article, restriction_type="password", password="tide")
    elsewhere = make_section("Coast", slug="coast")
    alias = article.create_alias(parent=elsewhere, update_slug="harbour-alias")
    html = page_of(client, alias.url)
    assert 'name="password"' in html and "The quay opened at dawn." not in html
