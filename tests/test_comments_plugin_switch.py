"""Reader comments are a plugin: found by its entry point, and the site works without it."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from cms.plugins import discovered_plugins
from tests.comment_support import make_comment, soup
from tests.factories import make_article
from tests.plugin_support import plugin_switched_off

ROOT = Path(__file__).resolve().parent.parent


def test_comments_is_an_installed_plugin_found_by_its_entry_point():
    plugin = next(p for p in discovered_plugins() if p.name == "comments")
    assert (plugin.app, plugin.distribution, plugin.state) == (
        "byline_comments",
        "byline-comments",
        "enabled",
    )


@pytest.mark.extension_point("register_plugin_urls")
@pytest.mark.extension_point("register_api_v3_routers")
@pytest.mark.django_db
def test_its_routes_come_from_the_plugin_url_registry():
    from cms.plugins.registries import api_v3_routers, plugin_urls

    routes = {entry.key: entry.owner for entry in plugin_urls.entries()}
    assert {routes["comments/"], routes["api/v2/comments/"]} == {"comments"}
    # API v3 routes join the core's API (and its OpenAPI document) as a router.
    routers = {entry.key: entry.owner for entry in api_v3_routers.entries()}
    assert routers["comments/"] == "comments"


@pytest.mark.django_db
def test_the_article_page_works_with_the_plugin_switched_off(client):
    article = make_article(title="Quiet story")
    make_comment(article, body="Only while the plugin is on")
    with plugin_switched_off("comments"):
        page = soup(client.get(article.url))
    assert page.select_one("#comments") is None
    assert "Only while the plugin is on" not in page.get_text()
    assert page.select_one("#article-title").get_text(strip=True) == "Quiet story"
    assert client.get(f"/api/v2/pages/{article.pk}/").json()["comment_count"] == 1


def test_disabling_the_plugin_needs_no_migration_and_passes_the_checks():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.test",
        "BYLINE_DISABLED_PLUGINS": "comments",
    }
    script = (
        "import django, sys; django.setup(); "
        "from django.conf import settings; from django.core.management import call_command; "
        "assert 'byline_comments' not in settings.INSTALLED_APPS; "
        "call_command('makemigrations', check=True, dry_run=True, verbosity=0); "
        "call_command('check', fail_level='ERROR', verbosity=0); "
        "from news.models import ArticlePage; "
        "assert 'comment_count' not in [getattr(f, 'name', f) for f in ArticlePage.api_fields]; "
        "print('clean')"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().endswith("clean")
