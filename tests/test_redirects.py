"""Redirects: the ones editors manage, and the ones made when an article moves."""

import pytest
from wagtail.contrib.redirects.models import Redirect

from tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    make_section("Politics")
    return make_article(title="Harbour vote", slug="harbour-vote")


def test_editor_redirect_to_a_page(client, article):
    Redirect.objects.create(old_path="/harbour", redirect_page=article, is_permanent=True)
    response = client.get("/harbour/")
    assert response.status_code == 301
    assert response["Location"] == "/politics/harbour-vote/"


def test_editor_redirect_to_an_outside_link_can_be_temporary(client):
    Redirect.objects.create(
        old_path="/subscribe", redirect_link="https://shop.example/courier", is_permanent=False
    )
    response = client.get("/subscribe/?utm=x")
    assert response.status_code == 302
    assert response["Location"] == "https://shop.example/courier"


def test_live_pages_win_over_redirects(client, article):
    Redirect.objects.create(old_path="/politics/harbour-vote", redirect_link="https://x.example/")
    assert client.get("/politics/harbour-vote/").status_code == 200


def test_changing_an_articles_slug_redirects_the_old_address(
    client, article, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        article.slug = "harbour-vote-result"
        article.save_revision().publish()

    redirect = Redirect.objects.get(old_path="/politics/harbour-vote")
    assert redirect.automatically_created
    assert redirect.redirect_page.pk == article.pk
    response = client.get("/politics/harbour-vote/")
    assert response.status_code == 301
    assert response["Location"] == "/politics/harbour-vote-result/"
    assert client.get(response["Location"]).status_code == 200


def test_moving_an_article_to_another_section_redirects_the_old_address(client, article):
    science = make_section("Science")
    article.move(science, pos="last-child")

    assert Redirect.objects.filter(
        old_path="/politics/harbour-vote", automatically_created=True
    ).exists()
    response = client.get("/politics/harbour-vote/")
    assert response.status_code == 301
    assert response["Location"] == "/science/harbour-vote/"
    assert client.get("/science/harbour-vote/").status_code == 200


def test_renaming_a_section_redirects_its_articles(
    client, article, django_capture_on_commit_callbacks
):
    section = article.get_parent().specific
    with django_capture_on_commit_callbacks(execute=True):
        section.slug = "politics-and-power"
        section.save_revision().publish()

    response = client.get("/politics/harbour-vote/")
    assert response.status_code == 301
    assert response["Location"] == "/politics-and-power/harbour-vote/"
    assert client.get("/politics/").status_code == 301


def test_moving_back_replaces_the_stale_redirect(client, article):
    politics = article.get_parent()
    science = make_section("Science")
    article.move(science, pos="last-child")
    article.refresh_from_db()
    politics.refresh_from_db()  # treebeard reads the child count from the instance
    article.move(politics, pos="last-child")

    assert client.get("/politics/harbour-vote/").status_code == 200
    response = client.get("/science/harbour-vote/")
    assert response.status_code == 301
    assert response["Location"] == "/politics/harbour-vote/"
