"""404 and 500 pages in the site's design, in production and under `make run` (DEBUG on)."""

import pytest
from django.db import OperationalError, connection
from django.template import engines
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import path
from django.views.defaults import server_error

from cms.settings import dev as dev_settings
from cms.urls import urlpatterns as site_urlpatterns
from tests.factories import make_section

pytestmark = pytest.mark.django_db


def database_is_down(request):
    raise OperationalError("could not connect to server")


def has_a_bug(request):
    return 1 / 0


# Used by @pytest.mark.urls(__name__): the site's URLs plus two that fail.
urlpatterns = [path("boom/", database_is_down), path("bug/", has_a_bug), *site_urlpatterns]


def test_404_is_in_the_site_design(client):
    make_section("Politics")
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "<title>Page not found | The Byline Courier</title>" in html
    assert '<meta name="robots" content="noindex">' in html
    assert 'class="masthead"' in html
    assert '<a href="/politics/">Politics</a>' in html  # the section menu
    assert "/static/css/site.css" in html
    assert '<h1 id="error-heading">Page not found</h1>' in html
    assert 'action="/search/"' in html
    assert 'class="site-footer"' in html


def test_views_that_find_nothing_use_the_same_404(client):
    for url in ("/authors/nobody/", "/tags/nothing-here/", "/2024/13/"):
        response = client.get(url)
        assert response.status_code == 404
        assert "Page not found" in response.content.decode()


def test_500_renders_without_database_or_context(django_assert_num_queries):
    request = RequestFactory().get("/anything/")
    with django_assert_num_queries(0):
        response = server_error(request)
    assert response.status_code == 500
    html = response.content.decode()
    assert "<title>Something went wrong | The Byline Courier</title>" in html
    assert 'class="masthead"' in html
    assert 'class="site-footer"' in html
    assert "<h1>Something went wrong</h1>" in html


def test_500_template_uses_no_tags_or_variables():
    source = engines["django"].get_template("500.html").template.source
    assert "{%" not in source and "{{" not in source


@pytest.mark.urls(__name__)
def test_a_failing_view_gets_the_500_page(client):
    client.raise_request_exception = False
    with CaptureQueriesContext(connection):
        response = client.get("/boom/")
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()


# Under `make run` (the development settings, DEBUG on) -----------------------------


@pytest.fixture
def make_run(settings):
    """The development settings' DEBUG and middleware, as `make run` serves."""
    assert dev_settings.DEBUG is True
    settings.DEBUG = True
    settings.MIDDLEWARE = dev_settings.MIDDLEWARE
    return settings


@pytest.mark.parametrize("url", ["/no/such/page/", "/authors/nobody/", "/nothing.php"])
def test_404_is_in_the_site_design_under_make_run(client, make_run, monkeypatch, url):
    monkeypatch.delenv("BYLINE_DEBUG_PAGES", raising=False)
    make_section("Politics")
    response = client.get(url)
    assert response.status_code == 404
    html = response.content.decode()
    assert "<title>Page not found | The Byline Courier</title>" in html
    assert 'class="masthead"' in html and '<a href="/politics/">Politics</a>' in html
    # Not Django's debug page, which lists every URL pattern.
    assert "URLconf" not in html and "DEBUG = True" not in html


def test_debug_404_page_when_asked_for(client, make_run, monkeypatch):
    monkeypatch.delenv("BYLINE_DEBUG_PAGES", raising=False)
    html = client.get("/nothing.php?debug").content.decode()
    assert "URLconf" in html and "Page not found | The Byline Courier" not in html
    monkeypatch.setenv("BYLINE_DEBUG_PAGES", "1")
    html = client.get("/no/such/page/").content.decode()
    assert "DEBUG = True" in html


@pytest.mark.urls(__name__)
def test_500_is_in_the_site_design_under_make_run(client, make_run, monkeypatch, caplog):
    monkeypatch.delenv("BYLINE_DEBUG_PAGES", raising=False)
    client.raise_request_exception = False
    response = client.get("/bug/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "<title>Something went wrong | The Byline Courier</title>" in html
    assert "Traceback" not in html
    # The developer still gets the traceback, on the console.
    logged = [r for r in caplog.records if r.name == "django.request" and r.exc_info]
    assert logged and "ZeroDivisionError" in repr(logged[-1].exc_info[1].__class__)
    # ?debug shows Django's technical page.
    client.raise_request_exception = True
    with pytest.raises(ZeroDivisionError):
        client.get("/bug/?debug")


def test_the_database_outage_answer_is_kept_under_make_run(client, make_run):
    """A 503 for a database fault, not the generic 500, with DEBUG on too."""
    from django.test import override_settings

    client.raise_request_exception = False
    with override_settings(ROOT_URLCONF=__name__):
        response = client.get("/boom/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
