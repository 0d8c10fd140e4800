"""The editors' side: the Wagtail admin screens for authors, articles and images."""

import io
import json

import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from authors.models import Author
from news.blocks import CORE_BODY_BLOCKS
from news.models import ArticlePage, NewsImage
from tests.factories import home_page, make_article, make_author, make_section
from tests.html_support import text

pytestmark = pytest.mark.django_db


def parse(response):
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content, "html.parser")


def author_form(**overrides):
    data = {
        "name": "Ines Duarte",
        "slug": "",
        "role": "Picture editor",
        "short_bio": "Ines edits the paper's photography.",
        "long_bio": rich_text("<p>Ines joined the paper in 2015.</p>"),
        "portrait": "",
        "profile_links": streamfield(
            [
                ("link", {"service": "mastodon", "url": "https://social.example/@ines"}),
                ("link", {"service": "website", "url": "https://ines.example/"}),
            ]
        ),
        "email": "ines@example.com",
    }
    data.update(overrides)
    return nested_form_data(data)


def list_items(values):
    """Form data of a ListBlock (count, then value/order/deleted per item)."""
    data = {
        str(index): {"value": value, "order": str(index), "deleted": ""}
        for index, value in enumerate(values)
    }
    data["count"] = str(len(values))
    return data


def article_form(author, **overrides):
    data = {
        "title": "Ferry timetable changes",
        "slug": "ferry-timetable-changes",
        "standfirst": "Winter sailings start a week early.",
        "publication_date": "2024-11-03 07:30",
        "article_authors": inline_formset([{"author": author.pk}]),
        "lead_image": "",
        "lead_image_caption": "",
        "lead_image_credit": "",
        "lead_image_alt": "",
        "body": streamfield(
            [
                ("paragraph", rich_text("<p>The ferry company published its timetable.</p>")),
                ("heading", {"text": "What changes", "level": "h2"}),
                ("list", {"style": "unordered", "items": list_items(["Earlier", "Fewer"])}),
            ]
        ),
        "tags": "Ferries, Winter",
    }
    data.update(overrides)
    # Inline panels other features add to the editor (corrections, related links)
    # are sent empty, as the browser sends their management forms.
    for name in ArticlePage.get_edit_handler().get_form_class().formsets:
        data.setdefault(name, inline_formset([]))
    return nested_form_data(data)


# Dashboard ------------------------------------------------------------------------


def test_dashboard_opens_for_a_superuser(admin_client):
    page = parse(admin_client.get(reverse("wagtailadmin_home")))
    assert "Dashboard" in page.title.string
    assert "The Byline Courier" in text(page.select_one("h1"))
    sidebar = json.loads(page.select_one("#wagtail-sidebar-props").string)
    assert "Authors" in json.dumps(sidebar)


def test_admin_requires_login(client):
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("wagtailadmin_login"))


# Author snippet -----------------------------------------------------------------------


def test_author_listing_shows_authors(admin_client):
    make_author("Nia Berg", role="Science editor")
    make_author("Ada Lamb", role="Court reporter")
    page = parse(admin_client.get(reverse("wagtailsnippets_authors_author:list")))
    rows = [text(row) for row in page.select("table tbody tr")]
    assert len(rows) == 2
    assert "Ada Lamb" in rows[0] and "Court reporter" in rows[0]
    assert "Nia Berg" in rows[1] and "nia-berg" in rows[1]


@pytest.mark.parametrize(("query", "found"), [("Berg", "Nia Berg"), ("court", "Ada Lamb")])
def test_author_listing_searches_names_and_roles(admin_client, query, found):
    make_author("Nia Berg", role="Science editor")
    make_author("Ada Lamb", role="Court reporter")
    url = reverse("wagtailsnippets_authors_author:list")
    page = parse(admin_client.get(url, {"q": query}))
    rows = [text(row) for row in page.select("table tbody tr")]
    assert len(rows) == 1
    assert found in rows[0]


def test_author_add_form_has_every_field(admin_client):
    page = parse(admin_client.get(reverse("wagtailsnippets_authors_author:add")))
    form = page.select_one("form[method=post]")
    for name in ("name", "slug", "role", "short_bio", "long_bio", "portrait", "email"):
        assert form.select_one(f"[name={name}]"), name
    assert form.select_one("#profile_links[data-controller=w-block]")


def test_author_created_through_the_admin_is_saved_with_a_slug(admin_client):
    response = admin_client.post(
        reverse("wagtailsnippets_authors_author:add"), author_form(**{"action-publish": "1"})
    )
    assert response.status_code == 302
    author = Author.objects.get(name="Ines Duarte")
    assert author.live
    assert author.slug == "ines-duarte"
    assert author.role == "Picture editor"
    assert "2015" in author.long_bio
    assert [link.value["service"] for link in author.profile_links] == ["mastodon", "website"]
    assert author.latest_revision is not None
    # Published: the public page exists straight away (a draft would not; see
    # tests/test_editor_draft_authors.py).
    assert parse(admin_client.get("/authors/ines-duarte/")).select_one("h1").string == (
        "Ines Duarte"
    )


def test_author_with_a_name_already_taken_gets_a_numbered_slug(admin_client):
    make_author("Ines Duarte")
    response = admin_client.post(reverse("wagtailsnippets_authors_author:add"), author_form())
    assert response.status_code == 302
    assert sorted(Author.objects.values_list("slug", flat=True)) == [
        "ines-duarte",
        "ines-duarte-2",
    ]


def test_author_slug_taken_by_another_author_is_a_form_error(admin_client):
    make_author("Someone Else", slug="ines")
    response = admin_client.post(
        reverse("wagtailsnippets_authors_author:add"), author_form(slug="ines")
    )
    page = parse(response)  # 200: the form again, with the error
    assert "already exists" in text(page)
    assert not Author.objects.filter(name="Ines Duarte").exists()


def test_author_edit(admin_client):
    author = make_author("Ines Duarte", role="Reporter")
    url = reverse("wagtailsnippets_authors_author:edit", args=[author.pk])
    page = parse(admin_client.get(url))
    assert page.select_one("[name=name]")["value"] == "Ines Duarte"
    assert page.select_one("[name=role]")["value"] == "Reporter"

    # Saving keeps a draft: readers still see the published version.
    response = admin_client.post(url, author_form(slug="ines-duarte", role="Picture editor"))
    assert response.status_code == 302
    author.refresh_from_db()
    assert author.role == "Reporter"
    assert author.has_unpublished_changes
    assert author.revisions.count() == 1

    response = admin_client.post(
        url, author_form(slug="ines-duarte", role="Picture editor", **{"action-publish": "1"})
    )
    assert response.status_code == 302
    author.refresh_from_db()
    assert author.role == "Picture editor"
    assert author.slug == "ines-duarte"
    assert not author.has_unpublished_changes
    assert author.revisions.count() == 2


def test_author_preview_renders_the_author_box(admin_client):
    """Preview works before the first save, when the author has no slug yet."""
    url = reverse("wagtailsnippets_authors_author:preview_on_add")
    response = admin_client.post(url, author_form())
    assert response.json() == {"is_valid": True, "is_available": True}
    page = parse(admin_client.get(url))
    box = page.select_one(".author-box")
    assert text(box.select_one(".author-box__name")) == "Ines Duarte"
    assert box.select_one(".author-box__name a")["href"] == "/authors/ines-duarte/"
    assert text(box.select_one(".author-box__role")) == "Picture editor"
    assert "me" in box.select_one(".profile-links a[href='https://social.example/@ines']")["rel"]
    assert not Author.objects.exists()  # previewing saves nothing


def test_author_preview_on_edit_shows_unsaved_changes(admin_client):
    author = make_author("Ines Duarte", role="Reporter")
    url = reverse("wagtailsnippets_authors_author:preview_on_edit", args=[author.pk])
    admin_client.post(url, author_form(slug="ines-duarte", role="Night editor"))
    page = parse(admin_client.get(url))
    assert text(page.select_one(".author-box__role")) == "Night editor"
    author.refresh_from_db()
    assert author.role == "Reporter"


# Article pages ------------------------------------------------------------------------------


def test_article_add_form_under_a_section(admin_client):
    section = make_section("Coast")
    url = reverse("wagtailadmin_pages:add", args=("news", "articlepage", section.pk))
    page = parse(admin_client.get(url))
    form = page.select_one("form#page-edit-form")
    for name in ("title", "standfirst", "publication_date", "lead_image", "tags"):
        assert form.select_one(f"[name={name}]"), name
    # The body StreamField offers every core block.
    body = form.select_one("#body[data-controller=w-block]")
    definition = body["data-w-block-data-value"]
    for name, _block in CORE_BODY_BLOCKS:
        assert f'"{name}"' in definition, name
    # The byline is an inline of authors.
    assert form.select_one("input[name=article_authors-TOTAL_FORMS]")
    assert "Byline" in text(form)


def test_articles_only_go_under_sections(admin_client):
    url = reverse("wagtailadmin_pages:add", args=("news", "articlepage", home_page().pk))
    response = admin_client.get(url)
    # Wagtail answers a disallowed parent with a redirect to the dashboard and a message.
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")


def test_article_published_through_the_admin(admin_client):
    section = make_section("Coast")
    author = make_author("Nia Berg")
    url = reverse("wagtailadmin_pages:add", args=("news", "articlepage", section.pk))
    data = article_form(author)
    data["action-publish"] = "Publish"
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content[:2000]
    article = ArticlePage.objects.get(slug="ferry-timetable-changes")
    assert article.live
    assert [a.name for a in article.authors] == ["Nia Berg"]
    assert [t.name for t in article.tag_list] == ["Ferries", "Winter"]
    assert [block.block_type for block in article.body] == ["paragraph", "heading", "list"]
    assert article.publication_display == "3 November 2024 at 7:30 am"

    reader = parse(admin_client.get("/coast/ferry-timetable-changes/"))
    assert text(reader.select_one("h1")) == "Ferry timetable changes"
    assert [text(li) for li in reader.select(".block-list li")] == ["Earlier", "Fewer"]


@pytest.mark.parametrize("missing", ["standfirst", "authors"])
def test_article_without_authors_or_standfirst_cannot_be_published(admin_client, missing):
    section = make_section("Coast")
    author = make_author("Nia Berg")
    url = reverse("wagtailadmin_pages:add", args=("news", "articlepage", section.pk))
    data = article_form(author)
    if missing == "standfirst":
        data["standfirst"] = ""
    else:
        data.update(nested_form_data({"article_authors": inline_formset([])}))
    data["action-publish"] = "Publish"
    page = parse(admin_client.post(url, data))  # the form again with errors, not a 500
    assert page.select(".error, .w-field__errors, .help-critical, [role=alert]")
    assert "The page could not be created due to validation errors" in text(page)
    assert not ArticlePage.objects.filter(slug="ferry-timetable-changes").exists()


def test_article_preview_before_first_save(admin_client):
    """The preview of a new article shows its byline (it has no primary key yet)."""
    section = make_section("Coast")
    author = make_author("Nia Berg")
    url = reverse("wagtailadmin_pages:preview_on_add", args=("news", "articlepage", section.pk))
    response = admin_client.post(url, article_form(author))
    assert response.json()["is_valid"] is True
    page = parse(admin_client.get(url))
    assert text(page.select_one("h1")) == "Ferry timetable changes"
    byline = page.select(".byline a[rel~=author]")
    assert [text(a) for a in byline] == ["Nia Berg"]
    assert [text(a) for a in page.select(".article__tags a")] == ["Ferries", "Winter"]


def test_article_preview_shows_unsaved_byline_changes(admin_client):
    nia, ada = make_author("Nia Berg"), make_author("Ada Lamb")
    article = make_article(make_section("Coast"), authors=[nia])
    url = reverse("wagtailadmin_pages:preview_on_edit", args=(article.pk,))
    byline_id = article.article_authors.get().pk
    data = article_form(nia, slug=article.slug)
    data.update(
        nested_form_data(
            {
                "article_authors": inline_formset(
                    [{"id": byline_id, "author": ada.pk}, {"author": nia.pk}], initial=1
                )
            }
        )
    )
    assert admin_client.post(url, data).json()["is_valid"] is True
    page = parse(admin_client.get(url))
    assert [text(a) for a in page.select(".byline a[rel~=author]")] == ["Ada Lamb", "Nia Berg"]
    # Nothing was saved.
    assert [a.name for a in ArticlePage.objects.get(pk=article.pk).authors] == ["Nia Berg"]


# Images -------------------------------------------------------------------------------------


def jpeg_upload(name="harbour.jpg"):
    buffer = io.BytesIO()
    PILImage.new("RGB", (64, 48), (10, 120, 200)).save(buffer, format="JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def test_image_upload_form_has_credit_and_default_caption(admin_client):
    page = parse(admin_client.get(reverse("wagtailimages:add")))
    form = page.select_one("form[enctype='multipart/form-data']")
    for name in ("file", "title", "description", "default_caption", "credit"):
        assert form.select_one(f"[name={name}]"), name


def test_image_uploaded_with_credit_and_caption(admin_client):
    response = admin_client.post(
        reverse("wagtailimages:add"),
        {
            "title": "Harbour at dusk",
            "file": jpeg_upload(),
            "description": "Boats moored in the harbour at dusk",
            "default_caption": "The harbour after the storm.",
            "credit": "Sam Lee/Byline",
            "collection": "",
            "tags": "",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    image = NewsImage.objects.get(title="Harbour at dusk")
    assert image.credit == "Sam Lee/Byline"
    assert image.credit_line == "Image: Sam Lee/Byline"
    assert image.default_caption == "The harbour after the storm."
    assert image.default_alt_text == "Boats moored in the harbour at dusk"


def test_a_byline_reordered_with_a_new_row_publishes(admin_client):
    """A new byline row may take an author a kept row gives up in the same edit."""
    nia, ada = make_author("Nia Berg"), make_author("Ada Lamb")
    article = make_article(make_section("Coast"), authors=[nia])
    byline_id = article.article_authors.get().pk
    data = article_form(nia, slug=article.slug)
    rows = inline_formset([{"id": byline_id, "author": ada.pk}, {"author": nia.pk}], initial=1)
    rows["0"]["ORDER"], rows["1"]["ORDER"] = "2", "1"  # Nia first again, in a new row
    data.update(nested_form_data({"article_authors": rows}))
    data["action-publish"] = "Publish"
    response = admin_client.post(reverse("wagtailadmin_pages:edit", args=(article.pk,)), data)
    assert response.status_code == 302
    assert [a.name for a in ArticlePage.objects.get(pk=article.pk).authors] == [
        "Nia Berg",
        "Ada Lamb",
    ]


def test_a_byline_naming_an_author_twice_is_a_form_error(admin_client):
    nia = make_author("Nia Berg")
    article = make_article(make_section("Coast"), authors=[nia])
    data = article_form(nia, slug=article.slug)
    data.update(
        nested_form_data(
            {"article_authors": inline_formset([{"author": nia.pk}, {"author": nia.pk}])}
        )
    )
    data["action-publish"] = "Publish"
    response = admin_client.post(reverse("wagtailadmin_pages:edit", args=(article.pk,)), data)
    assert response.status_code == 200  # the form again, with its errors
    assert [a.name for a in ArticlePage.objects.get(pk=article.pk).authors] == ["Nia Berg"]
