"""CORS on the API: which browser origins may read it, and how the comment endpoints keep theirs."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.checks import run_checks
from django.test import Client
from wagtail.models import Site

from cms.headless.models import HeadlessFrontend, HeadlessSettings
from tests.comment_support import relaxed_settings
from tests.factories import make_article

pytestmark = pytest.mark.django_db

ALLOWED = "https://front.example"
REFUSED = "https://evil.example"
API_URLS = ["/api/v2/articles/", "/api/v3/articles/", "/api/v3/pages/", "/api/v2/preview/"]
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def origins(settings):
    """BYLINE_CORS_ALLOWED_ORIGINS=https://front.example, as the settings read it."""
    settings.CORS_ALLOWED_ORIGINS = [ALLOWED]
    settings.CORS_ALLOW_ALL_ORIGINS = False
    settings.CORS_ALLOW_CREDENTIALS = False


def get(url, origin, **extra):
    return Client().get(url, HTTP_ORIGIN=origin, **extra)


def preflight(url, origin, method="GET", headers=None):
    extra = {"HTTP_ACCESS_CONTROL_REQUEST_METHOD": method}
    if headers:
        extra["HTTP_ACCESS_CONTROL_REQUEST_HEADERS"] = headers
    return Client().options(url, HTTP_ORIGIN=origin, **extra)


@pytest.mark.parametrize("url", API_URLS)
def test_an_allowed_origin_reads_the_api(origins, url):
    make_article()
    response = get(url, ALLOWED)
    assert response["Access-Control-Allow-Origin"] == ALLOWED
    assert "origin" in response["Vary"].lower()
    assert "Access-Control-Allow-Credentials" not in response
    assert "ETag" in response["Access-Control-Expose-Headers"]

    answer = preflight(url, ALLOWED, headers="authorization, if-none-match")
    assert answer.status_code == 200
    assert answer["Access-Control-Allow-Origin"] == ALLOWED
    assert answer["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    assert "if-none-match" in answer["Access-Control-Allow-Headers"]


@pytest.mark.parametrize("url", API_URLS)
def test_another_origin_gets_no_permission(origins, url):
    response = get(url, REFUSED)
    assert "Access-Control-Allow-Origin" not in response
    answer = preflight(url, REFUSED)
    assert "Access-Control-Allow-Origin" not in answer
    assert "Access-Control-Allow-Methods" not in answer


def test_cors_is_for_the_api_only(origins):
    make_article()
    for url in ["/", "/feed/", "/admin/login/"]:
        response = get(url, ALLOWED)
        assert "Access-Control-Allow-Origin" not in response, url


def test_writes_are_not_allowed_from_browsers(origins):
    answer = preflight("/api/v3/pages/", ALLOWED, method="PATCH")
    # The browser compares the method with the list and does not send the PATCH.
    assert "PATCH" not in answer["Access-Control-Allow-Methods"]


def test_a_wildcard_never_carries_credentials(settings):
    settings.CORS_ALLOW_ALL_ORIGINS = True
    settings.CORS_ALLOWED_ORIGINS = []
    settings.CORS_ALLOW_CREDENTIALS = False
    response = get("/api/v3/articles/", REFUSED)
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response


def test_credentials_go_to_listed_origins_only(settings):
    settings.CORS_ALLOWED_ORIGINS = [ALLOWED]
    settings.CORS_ALLOW_CREDENTIALS = True
    response = get("/api/v3/articles/", ALLOWED)
    assert response["Access-Control-Allow-Origin"] == ALLOWED
    assert response["Access-Control-Allow-Credentials"] == "true"
    assert "Access-Control-Allow-Credentials" not in get("/api/v3/articles/", REFUSED)


def test_a_wildcard_with_credentials_is_a_configuration_error(settings):
    settings.CORS_ALLOW_ALL_ORIGINS = True
    settings.CORS_ALLOW_CREDENTIALS = True
    assert "headless.E001" in {message.id for message in run_checks()}


def test_the_environment_decides_and_star_drops_credentials():
    """BYLINE_CORS_ALLOWED_ORIGINS and BYLINE_CORS_ALLOW_CREDENTIALS, read when settings load."""
    script = (
        "import django; django.setup(); from django.conf import settings as s; "
        "from django.core.checks import run_checks; "
        "print(s.CORS_ALLOW_ALL_ORIGINS, s.CORS_ALLOW_CREDENTIALS, s.CORS_ALLOWED_ORIGINS, "
        "sorted(m.id for m in run_checks() if m.id.startswith('headless')))"
    )

    def settings_with(**env):
        environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "cms.settings.test", **env}
        result = subprocess.run(
            [sys.executable, "-c", script],
            cwd=ROOT,
            env=environment,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        return result.stdout.strip().splitlines()[-1]

    listed = settings_with(
        BYLINE_CORS_ALLOWED_ORIGINS="https://A.example/, http://127.0.0.1:3000",
        BYLINE_CORS_ALLOW_CREDENTIALS="on",
    )
    assert listed == "False True ['https://a.example', 'http://127.0.0.1:3000'] []"
    star = settings_with(BYLINE_CORS_ALLOWED_ORIGINS="*", BYLINE_CORS_ALLOW_CREDENTIALS="on")
    assert star == "True False [] ['headless.W001']"
    assert settings_with() == "False False [] []"


# Frontends set in the admin ------------------------------------------------------------


def add_frontend(url):
    settings = HeadlessSettings.for_site(Site.objects.get(is_default_site=True))
    settings.frontends.add(HeadlessFrontend(name="Website", url=url))
    settings.save()
    return settings


def test_a_frontend_set_in_the_admin_may_read_the_api(settings):
    settings.CORS_ALLOWED_ORIGINS = []
    frontend_origin = "http://127.0.0.1:3000"
    assert "Access-Control-Allow-Origin" not in get("/api/v3/articles/", frontend_origin)

    site_settings = add_frontend("http://127.0.0.1:3000/preview/index.html?theme=dark")
    response = get("/api/v3/articles/", frontend_origin)
    assert response["Access-Control-Allow-Origin"] == frontend_origin
    answer = preflight("/api/v2/preview/", frontend_origin)
    assert answer["Access-Control-Allow-Origin"] == frontend_origin
    # Its origin only, and for the API only.
    assert "Access-Control-Allow-Origin" not in get("/api/v3/articles/", "http://127.0.0.1:3001")
    assert "Access-Control-Allow-Origin" not in get("/", frontend_origin)

    # Removing the frontend takes its permission away at once.
    site_settings.frontends.all().delete()
    assert "Access-Control-Allow-Origin" not in get("/api/v3/articles/", frontend_origin)


def test_frontend_origins_cost_no_query_once_known(settings, django_assert_num_queries):
    settings.CORS_ALLOWED_ORIGINS = []
    add_frontend("http://127.0.0.1:3000/")
    from cms.headless.frontends import frontend_origins

    assert frontend_origins() == {"http://127.0.0.1:3000"}
    with django_assert_num_queries(0):
        assert frontend_origins() == {"http://127.0.0.1:3000"}


# The comment endpoints answer CORS themselves -------------------------------------------


@pytest.mark.parametrize("prefix", ["/api/v2/comments/", "/api/v3/comments/"])
def test_comment_endpoints_keep_their_own_cors(origins, prefix):
    # ALLOWED may read the API, but only the comment settings' origins may post.
    relaxed_settings(api_allowed_origins="https://comments.example")
    refused = preflight(prefix, ALLOWED, method="POST", headers="content-type")
    assert refused.status_code == 204  # the plugin's answer, not the library's
    assert "Access-Control-Allow-Origin" not in refused

    allowed = preflight(prefix, "https://comments.example", method="POST", headers="content-type")
    assert allowed["Access-Control-Allow-Origin"] == "https://comments.example"
    assert "POST" in allowed["Access-Control-Allow-Methods"]
