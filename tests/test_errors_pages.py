"""404 and 500 pages in the site's design."""

import pytest
from django.db import OperationalError, connection
from django.template import engines
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import path
from django.views.defaults import server_error

from cms.urls import urlpatterns as site_urlpatterns
from tests.factories import make_section

pytestmark = pytest.mark.django_db


def database_is_down(request):
    raise OperationalError("could not connect to server")


# Used by @pytest.mark.urls(__name__): the site's URLs plus one that fails.
urlpatterns = [path("boom/", database_is_down), *site_urlpatterns]


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
