"""Closing comments: per article (stored by the plugin) and automatically after N days."""

from datetime import timedelta

import pytest
from byline_comments.models import ArticleCommentOptions, Comment
from byline_comments.services import set_comments_closed
from django.urls import reverse
from django.utils import timezone

from news.models import ArticlePage
from tests.comment_support import form_data, make_comment, relaxed_settings, soup, text_of
from tests.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_superuser("editor", "editor@example.org", "pw")


def test_an_editor_closes_and_reopens_comments_on_one_article(client, editor):
    relaxed_settings()
    article = make_article(title="Council votes on the budget")
    kept = make_comment(article, body="Posted while comments were open.")
    client.force_login(editor)
    options_url = reverse("byline_comments_admin:article", args=[article.pk])

    admin_page = soup(client.get(options_url))
    assert "Comments are open" in text_of(admin_page.select_one(".byline-comments-state"))
    response = client.post(options_url, {"comments_closed": "1"})
    assert response.status_code == 302
    assert ArticleCommentOptions.objects.get(article_id=article.pk).comments_closed is True

    client.logout()
    page = soup(client.get(article.url))
    section = page.select_one("#comments")
    assert text_of(section.select_one(".comments__closed")) == "Comments are closed."
    assert section.select_one("form") is None
    assert section.select_one(".comment__reply") is None
    assert kept.body in text_of(section)  # what was said stays readable

    refused = client.post(reverse("byline_comments:post", args=[article.pk]), form_data(article))
    assert refused.status_code == 403
    assert "Comments are closed." in text_of(soup(refused).select_one("#comments"))
    assert Comment.objects.count() == 1

    client.force_login(editor)
    client.post(options_url, {"comments_closed": "0"})
    client.logout()
    assert soup(client.get(article.url)).select_one("#comments form.comment-form") is not None


def test_the_article_page_in_the_admin_links_to_its_comment_options(client, editor):
    article = make_article()
    client.force_login(editor)
    html = client.get(reverse("wagtailadmin_pages:edit", args=[article.pk])).content.decode()
    assert reverse("byline_comments_admin:article", args=[article.pk]) in html
    assert "Reader comments" in html


@pytest.mark.parametrize(("age_days", "is_open"), [(29, True), (31, False)])
def test_comments_close_automatically_n_days_after_publication(client, age_days, is_open):
    relaxed_settings(close_after_days=30)
    published = timezone.now() - timedelta(days=age_days)
    article = make_article(publication_date=published)

    section = soup(client.get(article.url)).select_one("#comments")

    assert (section.select_one("form.comment-form") is not None) is is_open
    if not is_open:
        closes = (published + timedelta(days=30)).astimezone(timezone.get_current_timezone())
        assert text_of(section.select_one(".comments__closed")) == (
            f"Comments are closed: this article stopped taking comments on "
            f"{closes.day} {closes:%B %Y}."
        )
        response = client.post(
            reverse("byline_comments:post", args=[article.pk]), form_data(article)
        )
        assert response.status_code == 403
        assert not Comment.objects.exists()


def test_never_closing_is_the_default(client):
    article = make_article(publication_date=timezone.now() - timedelta(days=3650))
    assert soup(client.get(article.url)).select_one("#comments form.comment-form") is not None


def test_the_closed_flag_lives_in_the_plugin_not_on_the_article():
    article = make_article()
    set_comments_closed(article, True)
    article_fields = {field.name for field in ArticlePage._meta.get_fields()}
    assert not {"comments_closed", "comments", "comment_options"} & article_fields
    assert ArticleCommentOptions._meta.app_label == "byline_comments"
    assert ArticleCommentOptions.objects.get(pk=article.pk).comments_closed
