"""One public address: every absolute URL Byline emits starts with BYLINE_BASE_URL.

`make run PORT=8123` sets BYLINE_BASE_URL=http://127.0.0.1:8123; the Site record
keeps Wagtail's stock `localhost:80` (it only routes requests). Each surface is
read with that setting and must name :8123, never the Site record's host, the
test server's or :8000. The system checks keep production on an https address.
"""

import io
import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path
from xml.etree import ElementTree

import feedparser
import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from wagtail.models import Site

from cms.public_address import address_problem, check_public_address, public_root_url
from tests.comment_support import make_comment, relaxed_settings
from tests.factories import home_page, make_article, make_author, make_image, make_section

pytestmark = pytest.mark.django_db

BASE = "http://127.0.0.1:8123"
REPO = Path(__file__).resolve().parent.parent
SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
# Addresses of other parties that may appear in a response (XML namespaces,
# schema.org, JSON Feed's version, the story's own external links).
FOREIGN = re.compile(
    r"https?://(www\.w3\.org|purl\.org|search\.yahoo\.com|www\.sitemaps\.org|"
    r"www\.google\.com|schema\.org|jsonfeed\.org|backend\.userland\.com|[a-z.]*\.example)(/|$)"
)


@pytest.fixture(autouse=True)
def public_address(settings):
    # Only the one setting: the Wagtail copies must follow it (cms.public_address).
    settings.BYLINE_BASE_URL = BASE


@pytest.fixture
def story():
    section = make_section("World", slug="world")
    ada = make_author("Ada Reporter")
    article = make_article(
        section,
        title="Harbour tides, a new plan",
        authors=[ada],
        tags=["Harbour"],
        lead_image=make_image("Boats at dawn", width=400, height=300),
        body=[("paragraph", '<p>See <a href="/tags/harbour/">the harbour tag</a>.</p>')],
    )
    return {"section": section, "author": ada, "article": article}


def absolute_urls(text):
    """Every http(s) URL in `text` that is not another party's."""
    found = re.findall(r"https?://[^\s\"'<>\\)]+", text)
    return [url for url in found if not FOREIGN.match(url)]


def assert_all_public(text, *, at_least=1):
    urls = absolute_urls(text)
    assert len(urls) >= at_least, text[:500]
    strays = [url for url in urls if not url.startswith(BASE + "/")]
    assert not strays, strays


# Pages: canonical, social tags, JSON-LD --------------------------------------------


def test_page_urls_follow_the_setting_not_the_site_record(story):
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("localhost", 80)  # the loader leaves it alone
    article = story["article"]
    assert article.full_url == article.get_full_url() == f"{BASE}/world/harbour-tides-a-new-plan/"
    assert story["section"].full_url == f"{BASE}/world/"
    assert home_page().full_url == f"{BASE}/"
    assert article.url == "/world/harbour-tides-a-new-plan/"  # relative links stay relative


def test_article_canonical_social_tags_and_json_ld(client, story):
    response = client.get(story["article"].url)
    head = BeautifulSoup(response.content, "html.parser").head
    own = f"{BASE}/world/harbour-tides-a-new-plan/"
    assert head.find("link", rel="canonical")["href"] == own
    assert head.find("meta", property="og:url")["content"] == own
    assert head.find("meta", property="og:image")["content"].startswith(f"{BASE}/media/")
    assert head.find("meta", property="article:author")["content"] == (
        f"{BASE}/authors/{story['author'].slug}/"
    )
    documents = [json.loads(s.string) for s in head.find_all("script", type="application/ld+json")]
    article = next(d for d in documents if d["@type"] == "NewsArticle")
    assert article["url"] == article["mainEntityOfPage"]["@id"] == own
    assert article["publisher"]["url"] == f"{BASE}/"
    assert article["author"][0]["url"] == f"{BASE}/authors/{story['author'].slug}/"
    crumbs = next(d for d in documents if d["@type"] == "BreadcrumbList")
    assert [item["item"] for item in crumbs["itemListElement"]] == [
        f"{BASE}/",
        f"{BASE}/world/",
        own,
    ]
    assert_all_public(str(head), at_least=8)


@pytest.mark.parametrize("path", ["/", "/world/", "/authors/ada-reporter/", "/tags/harbour/"])
def test_other_pages_heads(client, story, path):
    head = BeautifulSoup(client.get(path).content, "html.parser").head
    assert head.find("link", rel="canonical")["href"] == BASE + path
    assert_all_public(str(head), at_least=3)


def test_mentions_endpoints_are_advertised_on_the_public_address(client, story):
    response = client.get(story["article"].url)
    assert response["X-Pingback"] == f"{BASE}/xmlrpc/"
    assert f"<{BASE}/webmention/>" in response["Link"]


# Feeds -------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/feed/", "/feed/atom/", "/sections/world/feed/"])
def test_xml_feeds(client, story, path):
    response = client.get(path)
    parsed = feedparser.parse(
        response.content, response_headers={"content-type": response["Content-Type"]}
    )
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    links = [link.href for link in parsed.feed.links]
    assert f"{BASE}{path}" in links  # rel="self"
    assert parsed.feed.link.startswith(f"{BASE}/")
    (entry,) = parsed.entries
    assert entry.link == f"{BASE}/world/harbour-tides-a-new-plan/"
    # Item ids do not follow the address (news/feeds/identity.py).
    assert entry.id.startswith("tag:byline.invalid,") and BASE not in entry.id
    (enclosure,) = entry.enclosures
    assert enclosure.href.startswith(f"{BASE}/media/images/")
    assert_all_public(response.content.decode(), at_least=6)


def test_json_feed(client, story):
    response = client.get("/feed/json/")
    document = response.json()
    assert document["home_page_url"] == f"{BASE}/"
    assert document["feed_url"] == f"{BASE}/feed/json/"
    (item,) = document["items"]
    assert item["url"] == f"{BASE}/world/harbour-tides-a-new-plan/"
    assert item["image"].startswith(f"{BASE}/media/images/")
    assert item["authors"][0]["url"] == f"{BASE}/authors/{story['author'].slug}/"
    assert_all_public(response.content.decode(), at_least=5)


# Sitemaps and robots.txt ---------------------------------------------------------------


def locations(client, path):
    root = ElementTree.fromstring(client.get(path).content)
    return [loc.text for loc in root.iter(f"{{{SITEMAP_NS['sm']}}}loc")]


def test_sitemaps_news_sitemap_and_robots_txt(client, story):
    index = locations(client, "/sitemap.xml")
    assert index == [
        f"{BASE}/sitemap-pages.xml",
        f"{BASE}/sitemap-authors.xml",
        f"{BASE}/sitemap-tags.xml",
    ]
    pages = locations(client, "/sitemap-pages.xml")
    assert f"{BASE}/world/harbour-tides-a-new-plan/" in pages and f"{BASE}/" in pages
    assert locations(client, "/sitemap-authors.xml") == [f"{BASE}/authors/ada-reporter/"]
    assert locations(client, "/sitemap-tags.xml") == [f"{BASE}/tags/harbour/"]
    assert locations(client, "/news-sitemap.xml") == [f"{BASE}/world/harbour-tides-a-new-plan/"]
    robots = client.get("/robots.txt").content.decode()
    assert f"Sitemap: {BASE}/sitemap.xml" in robots
    assert f"Sitemap: {BASE}/news-sitemap.xml" in robots
    assert_all_public(robots, at_least=2)


# APIs ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/api/v2/pages/?fields=*",
        "/api/v2/articles/?fields=*",
        "/api/v2/pages/{article}/",
        "/api/v2/pages/{section}/",
        "/api/v2/authors/",
        "/api/v2/tags/",
        "/api/v2/images/",
        "/api/v3/pages/",
        "/api/v3/articles/",
        "/api/v3/pages/{article}/",
        "/api/v3/pages/{section}/",
        "/api/v3/images/",
        "/api/v3/authors/",
        "/api/v3/tags/",
    ],
)
def test_api_urls(client, story, path):
    path = path.format(article=story["article"].pk, section=story["section"].pk)
    response = client.get(path)
    assert response.status_code == 200, response.content[:300]
    assert_all_public(response.content.decode())


@pytest.mark.parametrize("version", ["v2", "v3"])
def test_api_article_html_url_and_detail_url(client, story, version):
    article = story["article"]
    data = client.get(f"/api/{version}/pages/{article.pk}/").json()
    assert data["meta"]["html_url"] == f"{BASE}/world/harbour-tides-a-new-plan/"
    assert data["meta"]["detail_url"] == f"{BASE}/api/{version}/pages/{article.pk}/"
    assert data["section"]["html_url"] == f"{BASE}/world/"
    assert data["authors"][0]["html_url"] == f"{BASE}/authors/ada-reporter/"
    assert data["tags"][0]["html_url"] == f"{BASE}/tags/harbour/"


@pytest.mark.parametrize(
    "version, root", [("v2", BASE), ("v3", "")], ids=["v2 absolute", "v3 relative"]
)
def test_api_find_redirects_to_the_public_address(client, story, version, root):
    response = client.get(f"/api/{version}/pages/find/?html_path=/world/harbour-tides-a-new-plan/")
    assert response.status_code == 302
    assert response["Location"] == f"{root}/api/{version}/pages/{story['article'].pk}/?"


# E-mail and commands -------------------------------------------------------------------


def test_moderator_email_links(story, django_capture_on_commit_callbacks):
    from byline_comments.models import Comment, CommentStatus
    from byline_comments.notifications import notify_moderators

    relaxed_settings(moderator_emails="desk@example.org")
    comment = make_comment(story["article"], status=CommentStatus.PENDING)
    assert notify_moderators(Comment.objects.get(pk=comment.pk)) == 1
    body = mail.outbox[-1].body
    assert f"{BASE}/world/harbour-tides-a-new-plan/" in body
    assert f"{BASE}/admin/comments/edit/{comment.pk}/" in body
    assert f"{BASE}/admin/comments/?status=pending" in body
    assert_all_public(body, at_least=3)


def test_demo_admin_prints_the_public_admin_link(settings, tmp_path, monkeypatch):
    from authors.management.commands import demo_admin

    settings.DEBUG = True
    monkeypatch.setattr(demo_admin, "CREDENTIALS_FILE", tmp_path / ".demo-admin")
    out = io.StringIO()
    call_command("demo_admin", stdout=out)
    assert f"  admin:    {BASE}/admin/\n" in out.getvalue()


@pytest.mark.own_database
def test_the_environment_variable_reaches_a_fresh_process(tmp_path):
    """`make run` exports BYLINE_BASE_URL; a new process prints links from it."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DJANGO_SETTINGS_MODULE": "cms.settings.dev",
        "PYTHONDONTWRITEBYTECODE": "1",
        "SQLITE_PATH": str(tmp_path / "db.sqlite3"),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "BYLINE_BASE_URL": BASE,
    }

    def run(*args):
        result = subprocess.run(
            [sys.executable, *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=120
        )
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    run("manage.py", "migrate", "--noinput")
    # demo_admin as manage.py runs it, with its credentials file kept out of the checkout.
    output = run(
        "-c",
        textwrap.dedent(
            f"""
            import django
            from pathlib import Path
            django.setup()
            from authors.management.commands import demo_admin
            demo_admin.CREDENTIALS_FILE = Path({str(tmp_path)!r}) / ".demo-admin"
            from django.core.management import execute_from_command_line
            execute_from_command_line(["manage.py", "demo_admin"])
            """
        ),
    )
    assert f"admin:    {BASE}/admin/" in output
    assert ":8000" not in output


# Multi-site and lookups ------------------------------------------------------------------


def test_other_sites_keep_their_own_address(story):
    other_root = home_page().add_sibling(instance=type(home_page())(title="Other paper"))
    other = Site.objects.create(hostname="other.example", port=443, root_page=other_root)
    other_section = make_section("Local", parent=other_root)
    assert public_root_url(other) == "https://other.example"
    assert public_root_url(Site.objects.get(is_default_site=True)) == BASE
    assert public_root_url(None) == BASE
    assert other_section.full_url == "https://other.example/local/"
    assert story["section"].full_url == f"{BASE}/world/"


def test_the_default_site_lookup_is_cached_and_forgotten_when_sites_change(
    story, django_assert_num_queries
):
    article = story["article"]
    article.get_full_url()  # fills the caches
    fresh = type(article).objects.get(pk=article.pk)
    with django_assert_num_queries(0):
        assert fresh.get_full_url() == f"{BASE}/world/harbour-tides-a-new-plan/"
    site = Site.objects.get(is_default_site=True)
    site.is_default_site = False
    site.save()
    assert type(article).objects.get(pk=article.pk).get_full_url() == (
        "http://localhost/world/harbour-tides-a-new-plan/"
    )


# System checks -----------------------------------------------------------------------


def check_ids():
    return [message.id for message in check_public_address(None)]


@pytest.mark.parametrize(
    "value",
    [
        "",
        "127.0.0.1:8000",
        "ftp://news.example",
        "https://",
        "https://news.example/news",
        "https://news.example?x=1",
        "https://news.example#top",
        "https://editor:secret@news.example",
        "https://news.example:port",
    ],
)
def test_a_malformed_address_is_an_error_everywhere(settings, value):
    settings.BYLINE_BASE_URL = value
    assert address_problem(value)
    assert check_ids() == ["byline.E001"]
    (message,) = check_public_address(None)
    assert "BYLINE_BASE_URL" in message.hint and "https://" in message.hint


@pytest.mark.parametrize(
    "value", ["http://127.0.0.1:8123", "https://news.example", "https://news.example:8443/"]
)
def test_a_well_formed_address_passes_outside_production(settings, value):
    settings.BYLINE_BASE_URL = value
    assert check_ids() == []


def test_production_requires_https(settings):
    settings.BYLINE_REQUIRE_HTTPS_BASE_URL = True
    settings.DEBUG = False
    settings.BYLINE_BASE_URL = "http://news.example"
    (error,) = check_public_address(None)
    assert error.id == "byline.E002" and error.level >= 40  # an Error, not a warning
    assert "BYLINE_BASE_URL=https://" in error.hint

    settings.BYLINE_BASE_URL = "https://news.example"
    assert check_ids() == []

    settings.BYLINE_BASE_URL = "http://news.example"
    settings.DEBUG = True  # a production-like settings module run for debugging
    assert check_ids() == []


def test_a_wagtail_copy_set_elsewhere_is_reported(settings):
    with override_settings(WAGTAILAPI_BASE_URL="http://127.0.0.1:8000"):
        assert check_ids() == ["byline.W001"]


@pytest.mark.own_database
def test_production_check_deploy_fails_without_an_https_address():
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
        "PYTHONDONTWRITEBYTECODE": "1",
        "SECRET_KEY": "x" * 64,
        "ALLOWED_HOSTS": "news.example",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "byline.E002" in result.stderr
    assert "BYLINE_BASE_URL=https://" in result.stderr
