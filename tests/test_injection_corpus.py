"""Hostile text in every field people fill comes out inert everywhere (README "Hardening").

The corpus (tests/injection_corpus.py: script tags, event attributes,
``javascript:`` and ``data:`` URLs, broken markup, direction overrides and
zero-width characters) goes into every text field an editor or a reader
fills: article title, standfirst, every body block, lead image fields, images,
authors (name, role, bios, links), tags, sections, the home page, comments and
pingbacks. Then each surface is read the way its client reads it: the HTML
pages and the admin with an HTML parser, both APIs as JSON, feeds with
feedparser (its own sanitising off), the moderators' e-mail from the outbox.

An escape is a construct that would run a payload (a ``<script>`` or event
attribute holding a marker, a ``javascript:`` URL, ...) or a name with a
direction override shown without isolation. Figures for ``make audit``:
"payloads" (payload × field placements read back on a surface) and "escapes".
"""

import re

import feedparser
import pytest
from bs4 import BeautifulSoup
from byline_comments.models import Comment, CommentKind
from django.core.exceptions import ValidationError
from django.urls import reverse
from wagtail.api.rich_text import APIRichText
from wagtail.blocks import URLBlock

from tests import injection_corpus as corpus
from tests.api_support import block, small_image
from tests.comment_support import form_data, make_comment, relaxed_settings
from tests.factories import home_page, make_article, make_author, make_section

pytestmark = pytest.mark.django_db


def as_editors_store(html):
    """Rich text as every entry point stores it: the admin's editor and API v3 writes
    keep only the features' elements (Wagtail's DbHTMLConverter). Plain-text fields
    take the payload as it is."""
    cleaned, _removed = APIRichText.sanitize_db_html(html)
    return cleaned


def refused_url(url):
    """A URL payload goes only where its field's validation lets it: none does.

    The author's links (URLBlock) and a commenter's website (WebAddressField) are
    checked by every entry point (admin forms, API v3 writes, the comment form);
    their stored value is then a plain web address.
    """
    with pytest.raises(ValidationError):
        URLBlock().clean(url)
    with pytest.raises(ValidationError):
        Comment._meta.get_field("author_url").clean(url, None)
    return "https://reader.example/profile"


def placements(payload, n):
    """The article, its image, author, tag and comments, with ``payload`` in every field."""
    url = refused_url(corpus.URLS[n % len(corpus.URLS)])
    image = small_image(
        payload[:255], description=payload[:255], default_caption=payload, credit=payload[:200]
    )
    author = make_author(
        payload[:120],
        role=payload[:100],
        short_bio=payload,
        long_bio=as_editors_store(f"<p>Bio {payload} end</p>"),
        profile_links=[{"type": "link", "value": {"service": "website", "url": url}}],
    )
    body = [
        block("paragraph", as_editors_store(f"<p>Before {payload} after</p>")),
        block("heading", {"text": payload[:200], "level": "h3"}),
        block(
            "quotation",
            {"quote": payload, "attribution": payload[:200], "source": payload, "source_url": ""},
        ),
        block("pull_quote", {"text": payload, "attribution": payload[:200]}),
        block("list", {"style": "unordered", "items": [payload, "plain"]}),
        block(
            "table",
            {
                "data": [[payload, "b"], ["c", payload]],
                "first_row_is_table_header": True,
                "table_caption": payload[:200],
            },
        ),
        block("fact_box", {"title": payload[:200], "body": as_editors_store(f"<p>{payload}</p>")}),
        block(
            "image",
            {
                "image": image.pk,
                "caption": payload,
                "credit": payload[:200],
                "alt_text": payload[:200],
                "alignment": "wide",
            },
        ),
    ]
    return {"image": image, "author": author, "body": body, "url": url}


FIELDS_PER_ARTICLE = 37  # the fields placements() and build_corpus_site() fill per payload


@pytest.fixture
def hostile_site(db):
    relaxed_settings(moderator_emails="desk@example.org")
    home = home_page()
    home.tagline = corpus.PAYLOADS[0][:200]
    home.save_revision().publish()
    sections = [
        make_section(corpus.PAYLOADS[0], slug="hostile-one"),
        make_section(corpus.PAYLOADS[6], slug="hostile-two"),
    ]
    articles = []
    for n, payload in enumerate(corpus.PAYLOADS):
        made = placements(payload, n)
        article = make_article(
            sections[n % 2],
            title=payload[:255],
            standfirst=payload,
            authors=[made["author"]],
            tags=[payload[:100]],
            body=made["body"],
            lead_image=made["image"],
            lead_image_caption=payload[:250],
            lead_image_credit=payload[:200],
            lead_image_alt=payload[:200],
        )
        make_comment(
            article,
            author_name=payload[:100],
            author_url=made["url"],
            body=f"Reader says {payload}",
        )
        make_comment(
            article,
            kind=CommentKind.PINGBACK,
            author_name=payload[:100],
            source_url="https://blog.example/post",
            source_title=payload[:300],
            body=f"[…] {payload} […]",
        )
        articles.append(article)
    return {"sections": sections, "articles": articles, "home": home}


def names_shown(n):
    """The names shown for payload ``n`` (author and commenters): they must be isolated."""
    payload = corpus.PAYLOADS[n]
    return [payload[:100], payload[:120]]


class Findings:
    def __init__(self, audit_figures):
        self.figures = audit_figures
        self.escapes = []

    def read(self, placed, escapes):
        self.figures.add("payloads", placed)
        self.escapes.extend(escapes)

    def done(self):
        self.figures.add("escapes", len(self.escapes))
        kinds = sorted({escape.split(": ", 1)[-1] for escape in self.escapes})
        assert self.escapes == [], kinds


@pytest.fixture
def findings(audit_figures):
    return Findings(audit_figures)


def get_ok(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response


# HTML pages ---------------------------------------------------------------------------


def reader_pages(client, hostile_site):
    """(url, HTML, payloads placed) for every reader page that shows the corpus."""
    for article in hostile_site["articles"]:
        html = get_ok(client, article.url).content.decode()
        assert corpus.MARKER in html  # the words are there, as text
        yield article.url, html, FIELDS_PER_ARTICLE
    listings = [
        "/",
        *(section.url for section in hostile_site["sections"]),
        f"/search/?q={corpus.MARKER}",
        "/authors/",
    ]
    for article in hostile_site["articles"]:
        listings += _tag_and_author_urls(article)
    for url in listings:
        yield url, get_ok(client, url).content.decode(), len(corpus.PAYLOADS)


def test_reader_pages_render_every_payload_inert(client, hostile_site, findings):
    for url, html, placed in reader_pages(client, hostile_site):
        findings.read(placed, corpus.escapes_in_html(html, url))
    findings.done()


def test_commenters_names_with_overrides_are_isolated(client, hostile_site):
    names = [corpus.PAYLOADS[n][:100] for n in range(len(corpus.MARKUP), len(corpus.PAYLOADS))]
    for article in hostile_site["articles"]:
        html = get_ok(client, article.url).content.decode()
        comments = str(BeautifulSoup(html, "html.parser").find(id="comments") or "")
        assert comments, article.url
        assert corpus.unisolated_overrides(comments, names, article.url) == []


def test_author_names_with_overrides_are_isolated(client, hostile_site):
    names = [
        name for n in range(len(corpus.MARKUP), len(corpus.PAYLOADS)) for name in names_shown(n)
    ]
    found = []
    for url, html, _ in reader_pages(client, hostile_site):
        found += corpus.unisolated_overrides(html, names, url)
    assert found == []


def _tag_and_author_urls(article):
    urls = [reverse("tag_detail", args=[tag.slug]) for tag in article.tags.all()]
    return urls + [link.author.get_absolute_url() for link in article.article_authors.all()]


# The APIs: JSON strings are data; rich text is sanitised -----------------------------

#: Where the APIs send HTML: rich text (bios, paragraphs, fact box bodies) and any
#: ``*html`` field. Every other string is data (JSON), sent as stored.
RICH_TEXT_PATH = re.compile(r"(^|\.)(bio|long_bio|\w*html)$|(^|\.)body\.\d+\.value(\.body)?$")


def _json_escapes(data, where):
    escapes = []
    for path, text in corpus.marked_strings(data):
        if RICH_TEXT_PATH.search(path):
            escapes += corpus.escapes_in_html(text, f"{where} {path}")
    return escapes


def test_apis_send_rich_text_sanitised(client, hostile_site, findings):
    for article in hostile_site["articles"]:
        for url in (
            f"/api/v2/pages/{article.pk}/?fields=*",
            f"/api/v2/articles/{article.pk}/",
            f"/api/v3/articles/{article.pk}/",
            f"/api/v3/pages/{article.pk}/",
            f"/api/v2/comments/?article={article.pk}",
            f"/api/v3/comments/?article={article.pk}",
        ):
            response = get_ok(client, url)
            assert response["Content-Type"].startswith("application/json"), url
            data = response.json()
            assert any(True for _ in corpus.marked_strings(data)), url
            findings.read(FIELDS_PER_ARTICLE, _json_escapes(data, url))
    for url in ("/api/v2/authors/", "/api/v3/authors/", "/api/v2/tags/", "/api/v3/tags/"):
        data = get_ok(client, f"{url}?limit=50").json()
        findings.read(len(corpus.PAYLOADS) * 3, _json_escapes(data, url))
    findings.done()


# Feeds ----------------------------------------------------------------------------------


def test_feeds_carry_payloads_escaped(client, hostile_site, findings):
    """Atom says what is HTML: its content and summary are read as feedparser gives them,
    unsanitised. RSS 2.0 does not say, and feedparser (like many readers) decodes an
    escaped description once more, so RSS is read as such a reader shows it: with
    feedparser's own sanitising, plus a check of the XML that markup stays escaped."""
    feeds = ["/feed/atom/", *(f"/sections/{s.slug}/feed/atom/" for s in hostile_site["sections"])]
    for url in [*feeds, "/feed/"]:
        response = get_ok(client, url)
        atom = "/atom/" in url
        feed = feedparser.parse(response.content, sanitize_html=not atom)
        assert not feed.bozo, (url, feed.get("bozo_exception"))
        assert feed.entries, url
        for entry in feed.entries:
            escapes = []
            details = [entry.get("title_detail"), entry.get("summary_detail")]
            for detail in details + list(entry.get("content", [])):
                if detail and detail.get("type") in ("text/html", "application/xhtml+xml"):
                    escapes += corpus.escapes_in_html(detail["value"], f"{url} {entry.get('id')}")
            findings.read(4, escapes)
        if not atom:
            raw = response.content.decode()
            assert "<script>" not in raw and '<a href="javascript' not in raw
    findings.done()


# E-mail -------------------------------------------------------------------------------


def test_moderators_email_holds_no_live_markup_or_overrides(
    client, hostile_site, findings, mailoutbox, django_capture_on_commit_callbacks
):
    article = hostile_site["articles"][0]
    for payload in corpus.PAYLOADS:
        relaxed_settings(moderator_emails="desk@example.org")
        with django_capture_on_commit_callbacks(execute=True):
            client.post(
                reverse("byline_comments:post", args=[article.pk]),
                form_data(
                    article,
                    author_name=f"Reader {payload}"[:100],
                    body=f"Comment {payload}",
                    author_url="https://reader.example/",
                ),
            )
    assert len(mailoutbox) == len(corpus.PAYLOADS)
    for mail in mailoutbox:
        escapes = []
        assert "\n" not in mail.subject and "\r" not in mail.subject
        if corpus.BIDI_CONTROLS.search(mail.body.split("Author:", 1)[-1].split("\n", 1)[0]):
            escapes.append(f"e-mail to {mail.to}: a direction override in the author's name")
        for content, mimetype in getattr(mail, "alternatives", []):
            if "html" in mimetype:
                escapes += corpus.escapes_in_html(content, "e-mail (HTML part)")
        findings.read(3, escapes)
    findings.done()


# The admin ----------------------------------------------------------------------------


def test_admin_lists_and_edits_show_payloads_escaped(client, admin_user, hostile_site, findings):
    client.force_login(admin_user)
    article = hostile_site["articles"][0]
    urls = [
        reverse("wagtailadmin_explore", args=[section.pk]) for section in hostile_site["sections"]
    ] + [
        reverse("wagtailadmin_pages:edit", args=[article.pk]),
        reverse("wagtailimages:index"),
        reverse("wagtailsnippets_authors_author:list"),
        "/admin/comments/",
        "/admin/comments/?status=approved",
    ]
    for comment in Comment.objects.filter(article=article):
        urls.append(reverse("byline_comments_comment:edit", args=[comment.pk]))
    for url in urls:
        html = get_ok(client, url).content.decode()
        findings.read(len(corpus.PAYLOADS), corpus.escapes_in_html(html, url))
    findings.done()


def test_a_javascript_address_for_a_commenter_is_refused(client, hostile_site):
    """The real entry point: the form refuses a website that is not http(s)."""
    article = hostile_site["articles"][0]
    before = Comment.objects.count()
    for url in corpus.URLS:
        response = client.post(
            reverse("byline_comments:post", args=[article.pk]),
            form_data(article, author_url=url, body="Hello from my site"),
        )
        assert response.status_code in (200, 400)
        assert corpus.escapes_in_html(response.content.decode(), url) == []
    assert Comment.objects.count() == before
