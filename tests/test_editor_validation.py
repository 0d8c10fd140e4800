"""What an article needs before it is published, and messages that say what to do
(news/article_form.py). Drafts may be saved incomplete."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from news.article_form import NO_ALT_TEXT, NO_AUTHOR, STANDFIRST_MAX_LENGTH
from news.models import ArticlePage
from tests.factories import make_article, make_author, make_image, make_section

pytestmark = pytest.mark.django_db


def text(node):
    return " ".join(node.get_text(" ", strip=True).split())


def errors(response):
    """The error messages on a form page, to show why a save did not go through."""
    page = BeautifulSoup(response.content, "html.parser")
    return [text(node) for node in page.select(".error-message, .help-critical, .messages")]


def article_data(authors=(), **overrides):
    data = {
        "title": "Harbour wall repairs",
        "slug": "harbour-wall-repairs",
        "standfirst": "The council starts work on the north wall in March.",
        "publication_date": "2024-11-03 07:30",
        "article_authors": inline_formset([{"author": author.pk} for author in authors]),
        "lead_image": "",
        "lead_image_caption": "",
        "lead_image_credit": "",
        "lead_image_alt": "",
        "body": streamfield([("paragraph", rich_text("<p>Work starts in March.</p>"))]),
        "tags": "",
        "seo_title": "",
        "search_description": "",
        "social_image": "",
        "canonical_url": "",
    }
    data.update(overrides)
    # Inline panels other features add to the editor (corrections, related
    # links, ...) are sent empty.
    for name in ArticlePage.get_edit_handler().get_form_class().formsets:
        data.setdefault(name, inline_formset([]))
    return nested_form_data(data)


def add_url(section):
    return reverse("wagtailadmin_pages:add", args=("news", "articlepage", section.pk))


def publish(client, section, **kwargs):
    data = article_data(**kwargs)
    data["action-publish"] = "Publish"
    return client.post(add_url(section), data)


def save_draft(client, section, **kwargs):
    return client.post(add_url(section), article_data(**kwargs))


def error_near(response, name):
    """The error messages shown with the field called `name`."""
    assert response.status_code == 200, response.status_code
    page = BeautifulSoup(response.content, "html.parser")
    field = page.select_one(f"[name={name}]")
    assert field is not None, name
    wrapper = field.find_parent(class_="w-field__wrapper")
    return " ".join(text(error) for error in wrapper.select(".error-message"))


@pytest.fixture
def section():
    return make_section("Coast")


def test_publishing_without_an_author_says_to_add_one(admin_client, section):
    response = publish(admin_client, section, authors=())
    assert not ArticlePage.objects.exists()
    page = BeautifulSoup(response.content, "html.parser")
    byline = page.select_one("[name=article_authors-TOTAL_FORMS]").find_parent("section")
    assert NO_AUTHOR in text(byline)
    assert "Add at least one author before publishing" in NO_AUTHOR


def test_a_draft_without_an_author_saves(admin_client, section):
    response = save_draft(admin_client, section, authors=())
    assert response.status_code == 302, errors(response)
    article = ArticlePage.objects.get(slug="harbour-wall-repairs")
    assert not article.live
    assert list(article.article_authors.all()) == []


def test_publishing_with_an_author_goes_live(admin_client, section):
    response = publish(admin_client, section, authors=[make_author("Nia Berg")])
    assert response.status_code == 302, errors(response)
    assert ArticlePage.objects.get(slug="harbour-wall-repairs").live


def test_removed_authors_do_not_count(admin_client, section):
    author = make_author("Nia Berg")
    data = article_data(authors=[author])
    data["article_authors-0-DELETE"] = "1"
    data["action-publish"] = "Publish"
    response = admin_client.post(add_url(section), data)
    assert response.status_code == 200
    assert NO_AUTHOR in response.content.decode()


def test_publishing_a_lead_image_without_alt_text_says_to_describe_it(admin_client, section):
    image = make_image("Harbour wall", description="")
    response = publish(admin_client, section, authors=[make_author()], lead_image=str(image.pk))
    assert not ArticlePage.objects.exists()
    assert error_near(response, "lead_image_alt") == NO_ALT_TEXT
    assert "Describe the lead image" in NO_ALT_TEXT


def test_alt_text_from_the_article_or_the_image_library_is_enough(admin_client, section):
    image = make_image("Harbour wall", description="")
    response = publish(
        admin_client,
        section,
        authors=[make_author()],
        lead_image=str(image.pk),
        lead_image_alt="Workers on the harbour wall at low tide",
    )
    assert response.status_code == 302, errors(response)
    described = make_image("Harbour wall", description="Workers on the wall")
    response = publish(
        admin_client,
        section,
        authors=[make_author("Ola Dahl")],
        lead_image=str(described.pk),
        slug="second-article",
    )
    assert response.status_code == 302, errors(response)
    assert ArticlePage.objects.filter(live=True).count() == 2


def test_a_draft_with_an_undescribed_lead_image_saves(admin_client, section):
    image = make_image("Harbour wall", description="")
    response = save_draft(admin_client, section, lead_image=str(image.pk))
    assert response.status_code == 302, errors(response)
    assert ArticlePage.objects.get().lead_image_id == image.pk


def test_publishing_a_long_standfirst_says_how_much_to_cut(admin_client, section):
    standfirst = "word " * 70  # 349 characters once trimmed
    response = publish(admin_client, section, authors=[make_author()], standfirst=standfirst)
    assert not ArticlePage.objects.exists()
    message = error_near(response, "standfirst")
    assert message == (
        f"The standfirst is {len(standfirst.strip())} characters long; cut it to "
        f"{STANDFIRST_MAX_LENGTH} or fewer before publishing, so that listings and search "
        "results show it whole."
    )


def test_a_standfirst_at_the_limit_publishes(admin_client, section):
    standfirst = "x" * STANDFIRST_MAX_LENGTH
    response = publish(admin_client, section, authors=[make_author()], standfirst=standfirst)
    assert response.status_code == 302, errors(response)
    assert ArticlePage.objects.get().standfirst == standfirst


def test_a_draft_with_a_long_standfirst_saves(admin_client, section):
    response = save_draft(admin_client, section, standfirst="word " * 70)
    assert response.status_code == 302, errors(response)
    assert len(ArticlePage.objects.get().standfirst) > STANDFIRST_MAX_LENGTH


def test_every_problem_is_reported_at_once(admin_client, section):
    image = make_image("Harbour wall", description="")
    response = publish(admin_client, section, lead_image=str(image.pk), standfirst="y" * 350)
    body = response.content.decode()
    assert NO_AUTHOR in body
    assert NO_ALT_TEXT in body
    assert "cut it to 300 or fewer" in body


def test_publishing_an_existing_draft_is_checked_too(admin_client, section):
    article = make_article(section, publish=False, authors=())
    data = article_data(slug=article.slug, title=article.title)
    data["action-publish"] = "Publish"
    url = reverse("wagtailadmin_pages:edit", args=[article.pk])
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert NO_AUTHOR in response.content.decode()
    article.refresh_from_db()
    assert not article.live
    # Saving it as a draft again works.
    response = admin_client.post(url, article_data(slug=article.slug, title="New headline"))
    assert response.status_code == 302, errors(response)
    draft = ArticlePage.objects.get(pk=article.pk).get_latest_revision_as_object()
    assert draft.title == "New headline"
