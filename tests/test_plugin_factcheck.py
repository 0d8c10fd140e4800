"""The example third-party plugin (plugins/byline-factcheck), on and off."""

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from news.models import ArticlePage
from tests.factories import make_article, make_author
from tests.plugin_support import plugin_switched_off

ROOT = Path(__file__).resolve().parent.parent

FACT_CHECK = {
    "claim": "The ferry carries more passengers in winter.",
    "claimant": "A harbour board leaflet",
    "rating": "mostly_false",
    "explanation": "Ticket counts show summer traffic is three times higher.",
    "source_url": "https://example.org/harbour-figures",
}


def stored_body(article):
    """The body exactly as stored in the database, bypassing the block definitions."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT body FROM news_articlepage WHERE page_ptr_id = %s", [article.pk])
        (raw,) = cursor.fetchone()
    return json.loads(raw) if isinstance(raw, str) else raw


@pytest.fixture
def checked_article(db):
    return make_article(
        title="Ferry figures",
        authors=[make_author("Iris Vale")],
        body=[
            ("paragraph", "<p>The harbour board published new numbers.</p>"),
            ("fact_check", FACT_CHECK),
            ("paragraph", "<p>We asked the board for comment.</p>"),
        ],
    )


@pytest.mark.django_db
def test_fact_check_block_and_sidebar_render_on_the_article(client, checked_article):
    soup = BeautifulSoup(client.get(checked_article.url).content, "html.parser")
    box = soup.select_one(".article__body aside.fact-check")
    assert "fact-check--mostly-false" in box["class"]
    assert (
        box.select_one(".fact-check__claim")
        .get_text(" ", strip=True)
        .startswith("Claim: The ferry carries more passengers in winter.")
    )
    assert box.select_one("[data-rating]").text == "Mostly false"
    assert box.select_one("a")["href"] == "https://example.org/harbour-figures"
    sidebar = soup.select_one("aside.article__sidebar .fact-check-scale")
    assert sidebar.h2.text == "How we rate claims"
    assert "rates 1 claim on a five-step scale" in sidebar.p.text


@pytest.mark.extension_point("register_api_fields")
@pytest.mark.django_db
def test_plugin_api_field_and_block_in_api_v2_and_v3(client, checked_article):
    summary = [
        {
            "claim": FACT_CHECK["claim"],
            "rating": "mostly_false",
            "rating_label": "Mostly false",
        }
    ]
    block_value = {**FACT_CHECK, "rating_label": "Mostly false"}
    for url in (
        f"/api/v2/pages/{checked_article.pk}/",
        f"/api/v3/pages/{checked_article.pk}/",
    ):
        data = client.get(url).json()
        assert data["fact_checks"] == summary, url
        assert [block["type"] for block in data["body"]] == ["paragraph", "fact_check", "paragraph"]
        assert data["body"][1]["value"] == block_value, url
    listing = client.get("/api/v2/pages/?type=news.ArticlePage&fields=fact_checks").json()
    assert listing["items"][0]["fact_checks"] == summary
    schema = client.get("/api/v3/openapi.json").json()["components"]["schemas"]
    described = [
        name for name, body in schema.items() if "fact_checks" in body.get("properties", {})
    ]
    assert described, "the OpenAPI document does not describe the plugin's field"


@pytest.mark.extension_point("register_setting")
@pytest.mark.django_db
def test_site_setting_turns_the_sidebar_note_off(client, checked_article):
    from byline_factcheck.models import FactCheckSettings
    from wagtail.models import Site

    settings_row = FactCheckSettings.for_site(Site.objects.get(is_default_site=True))
    settings_row.show_rating_scale = False
    settings_row.save()
    soup = BeautifulSoup(client.get(checked_article.url).content, "html.parser")
    assert soup.select_one(".fact-check-scale") is None
    assert soup.select_one("aside.article__sidebar") is None
    assert soup.select_one("aside.fact-check") is not None


@pytest.mark.django_db
def test_articles_without_fact_checks_get_no_sidebar(client):
    article = make_article(title="Plain story", body=[("paragraph", "<p>Nothing rated.</p>")])
    soup = BeautifulSoup(client.get(article.url).content, "html.parser")
    assert soup.select_one("aside.article__sidebar") is None


@pytest.mark.django_db
def test_switched_off_plugin_content_still_renders_without_the_block(
    client, checked_article, caplog
):
    with plugin_switched_off("factcheck"), caplog.at_level(logging.WARNING, "byline.plugins"):
        response = client.get(checked_article.url)
        assert response.status_code == 200
        soup = BeautifulSoup(response.content, "html.parser")
        paragraphs = [p.text for p in soup.select(".article__body .block-paragraph p")]
        assert paragraphs == [
            "The harbour board published new numbers.",
            "We asked the board for comment.",
        ]
        assert soup.select_one(".fact-check") is None
        assert "Skipped a body block of type 'fact_check'" in caplog.text
        body = ArticlePage.objects.get(pk=checked_article.pk).body
        api = body.stream_block.get_api_representation(body)
        assert [block["type"] for block in api] == ["paragraph", "paragraph"]
    # Back on: the block is there again.
    soup = BeautifulSoup(client.get(checked_article.url).content, "html.parser")
    assert soup.select_one(".fact-check [data-rating]").text == "Mostly false"


@pytest.mark.django_db
def test_switched_off_plugin_block_survives_an_admin_edit(admin_client, checked_article):
    original = stored_body(checked_article)
    fact_block = next(block for block in original if block["type"] == "fact_check")
    with plugin_switched_off("factcheck"):
        page = ArticlePage.objects.get(pk=checked_article.pk)
        edit_url = f"/admin/pages/{page.pk}/edit/"
        editor = admin_client.get(edit_url).content.decode()
        assert "Unavailable block (its plugin is off)" in editor
        # What the editor's browser sends back: the hidden JSON state of the
        # unavailable block, the paragraphs, and an edited title.
        byline = page.article_authors.get()
        data = nested_form_data(
            {
                "title": "Ferry figures (updated)",
                "slug": page.slug,
                "standfirst": page.standfirst,
                "publication_date": page.publication_date.strftime("%Y-%m-%d %H:%M"),
                "article_authors": inline_formset(
                    [{"id": str(byline.pk), "author": str(byline.author_id)}], initial=1
                ),
                "body": streamfield(
                    [
                        (
                            "paragraph",
                            json.dumps(_draftail("The harbour board published new numbers.")),
                        ),
                        (
                            "unavailable_block",
                            json.dumps({"type": "fact_check", "value": fact_block["value"]}),
                        ),
                        ("paragraph", json.dumps(_draftail("We asked the board for comment."))),
                    ]
                ),
                "tags": "",
                "action-publish": "publish",
                # The editor's other inline panels, sent empty as the browser does.
                "corrections": inline_formset([]),
                "related_links": inline_formset([]),
            }
        )
        data["body-1-id"] = fact_block["id"]
        response = admin_client.post(edit_url, data)
        assert response.status_code == 302, _form_errors(response)
        saved = stored_body(checked_article)
        assert ArticlePage.objects.get(pk=page.pk).title == "Ferry figures (updated)"
        assert [block["type"] for block in saved] == ["paragraph", "fact_check", "paragraph"]
        assert saved[1] == fact_block
    soup = BeautifulSoup(admin_client.get(checked_article.url).content, "html.parser")
    assert soup.select_one(".fact-check [data-rating]").text == "Mostly false"


def _draftail(text):
    return {
        "blocks": [
            {
                "key": "a1b2c",
                "text": text,
                "type": "unstyled",
                "depth": 0,
                "inlineStyleRanges": [],
                "entityRanges": [],
            }
        ],
        "entityMap": {},
    }


def _form_errors(response):
    context = getattr(response, "context", None)
    if not context or "form" not in context:
        return response.content[:500]
    return context["form"].errors.as_json()


def _manage(db_path, *args, disabled=""):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL"}}
    env.update(
        DJANGO_SETTINGS_MODULE="cms.settings.test",
        SQLITE_PATH=str(db_path),
        BYLINE_DISABLED_PLUGINS=disabled,
    )
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


RENDER = """
from django.test import Client
from news.models import ArticlePage
page = ArticlePage.objects.get(slug="plugin-off")
html = Client().get(page.url).content.decode()
print("STATUS", Client().get(page.url).status_code)
print("RATED", "fact-check__rating" in html)
print("TEXT", "Kept paragraph" in html)
api = Client().get(f"/api/v2/pages/{page.pk}/").json()
print("API_FIELD", "fact_checks" in api)
print("API_BODY", [b["type"] for b in api["body"]])
page.save_revision().publish()
from django.db import connection
import json
with connection.cursor() as cursor:
    cursor.execute("SELECT body FROM news_articlepage WHERE page_ptr_id = %s", [page.pk])
    raw = cursor.fetchone()[0]
print("TYPES", [b["type"] for b in (json.loads(raw) if isinstance(raw, str) else raw)])
"""

CREATE = """
from tests.factories import make_article, make_section
make_article(make_section("Checks"), title="Plugin off", slug="plugin-off", body=[
    ("paragraph", "<p>Kept paragraph</p>"),
    ("fact_check", {
        "claim": "c", "rating": "true", "explanation": "e", "claimant": "", "source_url": "",
    }),
])
"""


def test_really_disabled_plugin_keeps_site_and_content_working(tmp_path):
    """With BYLINE_DISABLED_PLUGINS set, the plugin app is not even installed."""
    db_path = tmp_path / "plugin-off.sqlite3"
    _manage(db_path, "migrate", "--noinput", "-v0")
    _manage(db_path, "shell", "-c", CREATE)
    off = _manage(db_path, "shell", "-c", RENDER, disabled="factcheck")
    assert "STATUS 200" in off
    assert "RATED False" in off and "TEXT True" in off
    assert "API_FIELD False" in off and "API_BODY ['paragraph']" in off
    assert "TYPES ['paragraph', 'fact_check']" in off  # a re-publish keeps the stored block
    on = _manage(db_path, "shell", "-c", RENDER)
    assert "RATED True" in on
    assert "API_FIELD True" in on and "API_BODY ['paragraph', 'fact_check']" in on
