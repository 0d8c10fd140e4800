"""Corrections and updates: dated notes on the page, in the API, in JSON-LD and the feeds.

An article's corrections log is Wagtail's own inline list (news.models.corrections);
the notes are published with the article, shown newest first at its top, typed in
both APIs, given to search engines as schema.org ``correction`` (CorrectionComment),
and the newest one dates the article's last change (dateModified, the visible
"Updated" line, the API's last_modified, the feeds' updated).
"""

import datetime as dt
import json

import feedparser
import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone

from news.dates import format_publication_datetime, machine_datetime
from news.models import ArticleCorrection, ArticlePage
from tests.factories import make_article, make_author, make_section

pytestmark = pytest.mark.django_db

NOW = timezone.now().replace(microsecond=0)


def ago(hours):
    return NOW - dt.timedelta(hours=hours)


def with_notes(article, *notes):
    """Publish `article` with the correction notes `(kind, noted_at, text)`, in that order."""
    article = ArticlePage.objects.get(pk=article.pk)
    article.corrections = [
        ArticleCorrection(kind=kind, noted_at=noted_at, note=text, sort_order=n)
        for n, (kind, noted_at, text) in enumerate(notes)
    ]
    article.save_revision().publish()
    return ArticlePage.objects.get(pk=article.pk)


@pytest.fixture
def corrected():
    article = make_article(
        make_section("World"),
        title="Council votes on the bridge",
        authors=[make_author("Ada Reporter")],
        publication_date=ago(72),
    )
    return with_notes(
        article,
        ("correction", ago(30), "An earlier version gave the wrong date for the vote."),
        ("update", ago(5), "The council has now published the full result."),
    )


def soup_of(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return BeautifulSoup(response.content.decode(), "html.parser")


def news_article_ld(soup):
    for script in soup.find_all("script", type="application/ld+json"):
        data = json.loads(script.string)
        if data.get("@type") == "NewsArticle":
            return data
    raise AssertionError("no NewsArticle JSON-LD")


def test_the_page_lists_the_notes_newest_first_near_the_top(client, corrected):
    soup = soup_of(client, corrected.url)
    aside = soup.find("aside", class_="corrections")
    assert aside is not None
    # At the top: right after the header, before the body.
    assert aside.find_previous_sibling("header", class_="article__header") is not None
    assert aside.find_next_sibling("div", class_="article__body") is not None
    assert aside.find("h2").get_text() == "Corrections and updates"
    items = aside.select("li.correction")
    assert [item.select_one(".correction__label").get_text() for item in items] == [
        "Update",
        "Correction",
    ]
    assert [item.select_one(".correction__note").get_text() for item in items] == [
        "The council has now published the full result.",
        "An earlier version gave the wrong date for the vote.",
    ]
    assert [item.find("time")["datetime"] for item in items] == [
        machine_datetime(ago(5)),
        machine_datetime(ago(30)),
    ]
    assert items[0].find("time").get_text() == format_publication_datetime(ago(5))


def test_the_byline_says_when_it_was_updated(client, corrected):
    byline = soup_of(client, corrected.url).find("p", class_="byline")
    updated = byline.find(class_="byline__updated")
    assert updated.get_text(" ", strip=True) == f"Updated {format_publication_datetime(ago(5))}"
    assert updated.find("time")["datetime"] == machine_datetime(ago(5))


def test_an_article_without_notes_shows_neither_box_nor_updated_line(client):
    article = make_article(make_section("Quiet"), title="Nothing to correct")
    html = client.get(article.url).content.decode()
    assert "corrections" not in html and "byline__updated" not in html
    assert "correction" not in news_article_ld(BeautifulSoup(html, "html.parser"))


def test_json_ld_has_each_note_as_a_correction_comment(client, corrected):
    data = news_article_ld(soup_of(client, corrected.url))
    assert data["correction"] == [
        {
            "@type": "CorrectionComment",
            "name": "Update",
            "text": "The council has now published the full result.",
            "datePublished": machine_datetime(ago(5)),
        },
        {
            "@type": "CorrectionComment",
            "name": "Correction",
            "text": "An earlier version gave the wrong date for the vote.",
            "datePublished": machine_datetime(ago(30)),
        },
    ]


def test_the_newest_note_dates_the_last_change_everywhere(client, corrected):
    # An article whose last publication is older than its newest note (an import, a
    # note dated when the change was made): the note dates the change.
    ArticlePage.objects.filter(pk=corrected.pk).update(last_published_at=ago(48))
    soup = soup_of(client, corrected.url)
    assert news_article_ld(soup)["dateModified"] == machine_datetime(ago(5))
    assert soup.find("meta", property="article:modified_time")["content"] == machine_datetime(
        ago(5)
    )
    assert soup.find("data", class_="dt-updated")["value"] == machine_datetime(ago(5))

    v2 = client.get(f"/api/v2/articles/{corrected.pk}/").json()
    v3 = client.get(f"/api/v3/articles/{corrected.pk}/").json()
    for data in (v2, v3):
        modified = dt.datetime.fromisoformat(data["last_modified"].replace("Z", "+00:00"))
        assert modified == ago(5)

    feed = feedparser.parse(client.get("/feed/atom/").content)
    entry = next(e for e in feed.entries if e.title == "Council votes on the bridge")
    assert dt.datetime(*entry.updated_parsed[:6], tzinfo=dt.UTC) == ago(5)


def test_both_apis_give_the_notes_newest_first(client, corrected):
    expected = [
        ("update", "Update", ago(5), "The council has now published the full result."),
        (
            "correction",
            "Correction",
            ago(30),
            "An earlier version gave the wrong date for the vote.",
        ),
    ]
    v2 = client.get(f"/api/v2/articles/{corrected.pk}/").json()["corrections"]
    v3 = client.get(f"/api/v3/articles/{corrected.pk}/").json()["corrections"]
    for notes in (v2, v3):
        assert [
            (
                n["kind"],
                n["label"],
                dt.datetime.fromisoformat(n["noted_at"].replace("Z", "+00:00")),
                n["note"],
            )
            for n in notes
        ] == expected
    # Listings: v2 on request (not a card field), v3 always, in one query for all.
    listing = client.get("/api/v2/articles/").json()["items"]
    assert "corrections" not in listing[0]
    asked = client.get("/api/v2/articles/?fields=corrections").json()["items"]
    assert [n["note"] for n in asked[0]["corrections"]] == [e[3] for e in expected]
    v3_listing = client.get("/api/v3/articles/").json()["items"]
    assert [n["kind"] for n in v3_listing[0]["corrections"]] == ["update", "correction"]


def test_a_note_dated_in_the_future_or_too_long_is_refused_with_a_reason(corrected):
    future = ArticleCorrection(
        page=corrected, kind="correction", noted_at=NOW + dt.timedelta(days=1), note="Soon."
    )
    with pytest.raises(ValidationError) as error:
        future.full_clean()
    assert "cannot be dated in the future" in str(error.value)
    long = ArticleCorrection(page=corrected, kind="update", noted_at=ago(1), note="x" * 1001)
    with pytest.raises(ValidationError) as error:
        long.full_clean()
    assert "at most 1000 characters" in str(error.value)
    odd = ArticleCorrection(page=corrected, kind="retraction", noted_at=ago(1), note="No.")
    with pytest.raises(ValidationError) as error:
        odd.full_clean()
    assert "not a valid choice" in str(error.value)


def test_editors_add_notes_in_the_corrections_tab(client, corrected):
    editor = get_user_model().objects.create_superuser("editor", "editor@example.com", "pw")
    client.force_login(editor)
    html = client.get(f"/admin/pages/{corrected.pk}/edit/").content.decode()
    soup = BeautifulSoup(html, "html.parser")
    assert soup.find(id="id_corrections-TOTAL_FORMS")["value"] == "2"
    assert soup.find(id="id_related_links-TOTAL_FORMS") is not None
    assert soup.find("input", attrs={"name": "breaking", "type": "checkbox"}) is not None
    tabs = [tab.get_text(" ", strip=True) for tab in soup.select("[role=tab]")]
    assert any("Corrections" in tab for tab in tabs), tabs
