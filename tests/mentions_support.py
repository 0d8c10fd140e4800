"""Helpers for the pingback and webmention tests (tests/test_mentions_*.py).

`other_site` is a real HTTP server on 127.0.0.1 (pytest-httpserver, threaded so a
slow handler does not hold up the next request) playing the rest of the web: a blog
whose post links to one of our articles, or a site our articles link to that
advertises its endpoints. Only loopback addresses are ever contacted.
"""

import contextlib

import pytest
from byline_comments.models import Comment
from byline_mentions.models import MentionSettings
from django.test import override_settings
from pytest_httpserver import HTTPServer
from wagtail.models import Site

from tests.factories import make_article


@pytest.fixture(scope="session")
def _other_site_server():
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    yield server
    server.clear()
    if server.is_running():
        server.stop()


@pytest.fixture
def other_site(_other_site_server):
    _other_site_server.clear()
    yield _other_site_server
    _other_site_server.clear()


def by_name(server, path):
    """The server's URL for `path` with the host name localhost instead of 127.0.0.1."""
    return f"http://localhost:{server.port}{path}"


def blog_post(link_to=None, *, title="A walk along the harbour", extra="", h_entry=""):
    """An HTML blog post; with `link_to`, its second paragraph links there."""
    link = (
        f'<p>Before the walk I read <a href="{link_to}">the Courier\'s report</a> about the '
        "new ferry timetable, which changes everything for commuters.</p>"
        if link_to
        else "<p>Nothing about any newspaper here.</p>"
    )
    return (
        "<!DOCTYPE html><html><head>"
        f"<title>{title}</title>"
        '<meta property="og:site_name" content="Harbour Walks">'
        "</head><body>"
        f"<article {h_entry}><h1>{title}</h1>"
        "<p>The morning was grey and the gulls were loud.</p>"
        f"{link}{extra}</article></body></html>"
    )


def h_entry_post(link_to, *, author="Jo Marsh", author_url="https://jo.example/"):
    """A microformats2 h-entry with a name, an author h-card and content linking to us."""
    return (
        "<!DOCTYPE html><html><head><title>Jo's notebook</title></head><body>"
        '<article class="h-entry">'
        '<h1 class="p-name">Ferries, finally</h1>'
        f'<a class="p-author h-card" href="{author_url}">{author}</a>'
        '<div class="e-content"><p>Good news for island commuters: '
        f'<a href="{link_to}">the new timetable</a> adds an evening crossing.</p></div>'
        "</article></body></html>"
    )


def mention_article(**fields):
    fields.setdefault("title", "New ferry timetable adds evening crossing")
    return make_article(**fields)


def mentions_of(article):
    return list(
        Comment.objects.filter(article=article, kind__in=["pingback", "webmention"]).order_by("pk")
    )


def mention_settings(**values):
    settings = MentionSettings.for_site(Site.objects.get(is_default_site=True))
    for name, value in values.items():
        setattr(settings, name, value)
    settings.save()
    return settings


@contextlib.contextmanager
def only_global_addresses():
    """Production's guard: loopback refused. (Tests then must not fetch anything allowed.)"""
    with override_settings(BYLINE_MENTIONS_ALLOWED_ADDRESSES=["global"]):
        yield
