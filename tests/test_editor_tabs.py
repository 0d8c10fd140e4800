"""The article editor: tabs in newsroom order, human labels and help text, the
search/social preview and the word count's place (news/panels.py)."""

import re
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.urls import reverse

from news.article_form import STANDFIRST_MAX_LENGTH
from news.models import ArticlePage
from news.reading import WORDS_PER_MINUTE
from tests.factories import make_article, make_author, make_image, make_section
from tests.html_support import text

pytestmark = pytest.mark.django_db

BASE = settings.BYLINE_BASE_URL.rstrip("/")


def parse(response):
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content, "html.parser")


def tab_panels(page):
    """{tab label: its panel element}, in the order the tabs are shown."""
    tabs = {}
    for tab in page.select("[role=tablist] a[role=tab]"):
        # The label, without the error counter Wagtail adds to each tab.
        label = re.sub(r"\s*\(\s*\d*\s*\)$", "", text(tab))
        tabs[label] = page.select_one(tab["href"])
    return tabs


def label_of(form, name):
    field = form.select_one(f"[name={name}]")
    assert field is not None, name
    label = form.select_one(f"label[for={field['id']}]")
    assert label is not None, name
    return text(label)


def help_of(form, name):
    field = form.select_one(f"[name={name}]")
    described = field.get("aria-describedby", "")
    return " ".join(text(form.select_one(f"#{ident}")) for ident in described.split() if ident)


@pytest.fixture
def edit_page(admin_client):
    section = make_section("Coast")
    article = make_article(
        section,
        title="Ferry timetable changes",
        slug="ferry-timetable-changes",
        authors=[make_author("Nia Berg")],
        lead_image=make_image("Harbour", description="The ferry at dusk"),
    )
    return parse(admin_client.get(reverse("wagtailadmin_pages:edit", args=[article.pk])))


NEWSROOM_TABS = ["Content", "Authors & media", "SEO & social", "Settings"]


def assert_newsroom_tabs(page):
    tabs = list(tab_panels(page))
    assert tabs[:4] == NEWSROOM_TABS
    # Then the corrections log and related links, where those features are in.
    assert tabs[4:] in ([], ["Corrections & related"])


def test_article_editor_has_the_newsroom_tabs_in_order(edit_page):
    assert_newsroom_tabs(edit_page)


def test_each_tab_holds_its_fields(edit_page):
    tabs = tab_panels(edit_page)
    expected = {
        "Content": {"title", "standfirst", "tags"},
        "Authors & media": {
            "article_authors-TOTAL_FORMS",
            "lead_image",
            "lead_image_alt",
            "lead_image_caption",
            "lead_image_credit",
        },
        "SEO & social": {
            "slug",
            "seo_title",
            "search_description",
            "social_image",
            "canonical_url",
        },
        "Settings": {"publication_date"},
    }
    for tab, names in expected.items():
        for name in names:
            assert tabs[tab].select_one(f"[name={name}]") is not None, (tab, name)
    # The body is in the Content tab, not elsewhere.
    assert tabs["Content"].select_one("#body[data-controller=w-block]") is not None
    assert tabs["Settings"].select_one("[name=title]") is None
    # Go-live and expiry times: Wagtail's scheduling dialog, opened from the
    # Settings tab's "Set schedule" button.
    fields = ArticlePage.get_edit_handler().get_form_class().base_fields
    assert {"go_live_at", "expire_at"} <= set(fields)


def test_fields_have_human_labels(edit_page):
    form = edit_page.select_one("form#page-edit-form")
    assert label_of(form, "title").startswith("Headline")
    assert label_of(form, "standfirst").startswith("Standfirst")
    assert label_of(form, "lead_image_alt").startswith("Alt text")
    assert label_of(form, "lead_image_caption").startswith("Caption")
    assert label_of(form, "lead_image_credit").startswith("Credit")
    assert label_of(form, "slug").startswith("Web address (slug)")
    assert label_of(form, "seo_title").startswith("Search and social title")
    assert label_of(form, "search_description").startswith("Search and social description")
    assert label_of(form, "social_image").startswith("Social image")
    assert label_of(form, "canonical_url").startswith("Original address")
    assert label_of(form, "publication_date").startswith("Publication date")
    # No label reads like code.
    labels = [text(label) for label in form.select("label")]
    assert not any(label.startswith(("Url", "Seo", "Lead image alt")) for label in labels)


def test_fields_explain_themselves(edit_page):
    form = edit_page.select_one("form#page-edit-form")
    assert "headline readers see" in help_of(form, "title")
    assert f"at most {STANDFIRST_MAX_LENGTH} characters" in help_of(form, "standfirst")
    assert "readers who cannot see it" in help_of(form, "lead_image_alt")
    assert "Leave blank to use the headline" in help_of(form, "seo_title")
    assert "Leave blank to use the standfirst" in help_of(form, "search_description")
    assert "schedules it" in help_of(form, "publication_date")
    byline = tab_panels(edit_page)["Authors & media"]
    assert "Publishing needs at least one author" in text(byline)


def test_seo_tab_shows_the_saved_search_result_and_social_card(edit_page):
    preview = tab_panels(edit_page)["SEO & social"].select_one("[data-byline-preview]")
    assert preview is not None
    assert preview["data-parent-url"] == f"{BASE}/coast/"
    search = preview.select_one(".byline-preview__search")
    assert text(search.select_one("[data-byline-preview-target=address]")) == (
        f"{BASE}/coast/ferry-timetable-changes/"
    )
    assert text(search.select_one("[data-byline-preview-target=title]")) == (
        "Ferry timetable changes"
    )
    standfirst = ArticlePage.objects.get().standfirst
    card = preview.select_one(".byline-preview__card")
    assert text(card.select_one("[data-byline-preview-target=description]")) == standfirst
    assert text(card.select_one(".byline-preview__card-domain")) == urlsplit(BASE).hostname
    # The lead image stands in for the social image, as in the page's metadata.
    assert card.select_one(".byline-preview__card-image img") is not None


def test_body_panel_carries_the_reading_speed_for_the_word_count(edit_page):
    panel = edit_page.select_one("[data-byline-word-count]")
    assert panel is not None
    assert panel["data-words-per-minute"] == str(WORDS_PER_MINUTE)
    assert panel.select_one("#body") is not None


def test_editor_loads_its_script_and_styles_from_static_files(edit_page):
    scripts = [tag.get("src", "") for tag in edit_page.select("script")]
    assert any(src.endswith("news/admin/article-editor.js") for src in scripts)
    styles = [tag.get("href", "") for tag in edit_page.select("link[rel=stylesheet]")]
    assert any(href.endswith("news/admin/article-editor.css") for href in styles)


def test_add_form_has_the_same_tabs_and_a_preview_under_the_section(admin_client):
    section = make_section("Coast")
    url = reverse("wagtailadmin_pages:add", args=("news", "articlepage", section.pk))
    page = parse(admin_client.get(url))
    assert_newsroom_tabs(page)
    preview = page.select_one("[data-byline-preview]")
    assert preview["data-parent-url"] == f"{BASE}/coast/"


def test_sections_keep_their_seo_tabs(admin_client):
    section = make_section("Coast")
    page = parse(admin_client.get(reverse("wagtailadmin_pages:edit", args=[section.pk])))
    # (Their Settings tab holds only Wagtail's scheduling dialog, so Wagtail shows
    # no tab for it.)
    assert list(tab_panels(page))[:2] == ["Content", "SEO"]
