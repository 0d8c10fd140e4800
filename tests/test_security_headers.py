"""Content-Security-Policy and the other security headers (README "Hardening").

The header tests read answers from Django's test client; the browser test loads
every kind of page in Chromium and listens for `securitypolicyviolation` events,
which is the only proof that a policy and the pages really agree.
"""

import importlib
import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from tests.factories import (
    body_with_every_block,
    make_article,
    make_embed,
    make_image,
    make_section,
)

PUBLISHED = datetime(2024, 3, 12, 9, 30, tzinfo=ZoneInfo("Europe/London"))
ARTICLE_URL = "/politics/harbour-dredging-plan-approved/"


def newsroom():
    politics = make_section("Politics")
    earlier = make_article(politics, title="Harbour board sets a date", tags=["harbour"])
    make_embed()
    return make_article(
        politics,
        title="Harbour dredging plan approved",
        standfirst="The board voted seven to two on Tuesday night.",
        tags=["harbour"],
        lead_image=make_image("Dredger", description="A dredger in the harbour mouth"),
        body=body_with_every_block(
            image=make_image("Quay", description="Boats along the quay"), related_article=earlier
        ),
        publication_date=PUBLISHED,
    )


def directives(response):
    policy = response["Content-Security-Policy"]
    parsed = {}
    for part in policy.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


def assert_security_headers(response):
    assert "Content-Security-Policy" in response, response
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


# Headers on every answer ----------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    ["/", "/politics/", ARTICLE_URL, "/search/?q=harbour", "/feed/", "/sitemap.xml",
     "/robots.txt", "/api/v2/pages/", "/api/v3/articles/", "/api/v3/openapi.json",
     "/api/v3/docs/", "/no/such/page/", "/health/", "/admin/login/"],
)  # fmt: skip
def test_every_answer_carries_the_security_headers(client, url):
    newsroom()
    response = client.get(url, follow=True)
    assert response.status_code in (200, 404)
    assert_security_headers(response)
    assert response["X-Frame-Options"] in ("DENY", "SAMEORIGIN")


@pytest.mark.django_db
def test_a_304_and_a_cors_preflight_carry_the_policy_too(client):
    newsroom()
    first = client.get(ARTICLE_URL)
    again = client.get(ARTICLE_URL, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert "Content-Security-Policy" in again
    preflight = client.options(
        "/api/v3/articles/",
        HTTP_ORIGIN="https://front.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )
    assert "Content-Security-Policy" in preflight


@pytest.mark.django_db
def test_the_reader_site_policy_is_strict(client):
    newsroom()
    policy = directives(client.get(ARTICLE_URL))
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["img-src"] == ["'self'", "data:"]
    assert policy["frame-src"] == ["https:"]
    assert "'unsafe-inline'" not in policy["script-src"] + policy["style-src"]
    assert "'unsafe-eval'" not in " ".join(sum(policy.values(), []))


@pytest.mark.django_db
def test_the_admin_gets_its_own_policy_without_foreign_scripts(admin_client):
    response = admin_client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    policy = directives(response)
    # Wagtail's widgets start with inline scripts; nothing from another origin.
    assert policy["script-src"] == ["'self'", "'unsafe-inline'"]
    assert "blob:" in policy["img-src"]
    assert "'self'" in policy["frame-src"]
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_wagtail_preview_may_be_framed_by_the_admin_only(admin_client):
    article = newsroom()
    url = reverse("wagtailadmin_pages:preview_on_edit", args=[article.pk])
    response = admin_client.get(url)
    assert response.status_code == 200
    assert response["X-Frame-Options"] == "SAMEORIGIN"


def reload_base_settings(monkeypatch, **env):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    import cms.settings.base as base

    return importlib.reload(base)


def test_media_and_cdn_hosts_and_embed_frames_are_configurable(monkeypatch):
    try:
        base = reload_base_settings(
            monkeypatch,
            MEDIA_URL="https://media.example/uploads/",
            AWS_S3_CUSTOM_DOMAIN="cdn.example",
            BYLINE_CSP_FRAME_SRC="https://www.youtube-nocookie.com,https://player.vimeo.com",
        )
        policy = base.CONTENT_SECURITY_POLICY["DIRECTIVES"]
        assert policy["img-src"] == [
            "'self'",
            "data:",
            "https://media.example",
            "https://cdn.example",
        ]
        assert policy["frame-src"] == [
            "https://www.youtube-nocookie.com",
            "https://player.vimeo.com",
        ]
    finally:
        monkeypatch.undo()
        import cms.settings.base as base

        importlib.reload(base)


# In Chromium ---------------------------------------------------------------------------

# An init script runs before any page script, so it sees every violation.
LISTEN_FOR_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.violatedDirective} blocked ${event.blockedURI || "inline"} ` +
    `(${event.sourceFile}:${event.lineNumber})`
  );
});
"""


def local_only(live_server_url):
    def handle(route):
        if route.request.url.startswith(live_server_url):
            route.continue_()
        else:  # the embed's player: allowed by the policy, but no network in tests
            route.fulfill(status=200, content_type="text/html", body="<p>player</p>")

    return handle


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_no_page_breaks_its_policy_in_chromium(browser, live_server, django_user_model):
    article = newsroom()
    django_user_model.objects.create_superuser("editor", "editor@example.org", "correct horse 9")
    context = browser.new_context()
    context.add_init_script(LISTEN_FOR_VIOLATIONS)
    page = context.new_page()
    page.route("**/*", local_only(live_server.url))
    console = []
    page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
    found = {}

    def visit(name, url, check=None):
        response = page.goto(live_server.url + url)
        assert response.status == 200, (name, response.status)
        assert "content-security-policy" in response.headers, name
        page.wait_for_load_state("networkidle")
        if check:
            check()
        violations = page.evaluate("window.__cspViolations")
        csp_console = [line for line in console if "Content Security Policy" in line]
        if violations or csp_console:
            found[name] = violations + csp_console
        console.clear()

    try:
        visit("home", "/")
        visit("article", ARTICLE_URL, lambda: page.wait_for_selector("figure.block-embed iframe"))
        visit("section", "/politics/")
        visit("search", "/search/?q=harbour")
        visit("admin login", "/admin/login/")
        page.fill("input[name=username]", "editor")
        page.fill("input[name=password]", "correct horse 9")
        page.click("button[type=submit]")
        page.wait_for_url(live_server.url + "/admin/")
        visit("dashboard", "/admin/")
        visit(
            "article editor",
            f"/admin/pages/{article.pk}/edit/",
            # The StreamField editor is built by the admin's JavaScript: its block
            # headers exist only if the scripts ran.
            lambda: page.wait_for_selector(".c-sf-block__type", timeout=15000),
        )
        assert page.locator(".c-sf-block__type").count() >= 5
        visit("API docs", "/api/v3/docs/", lambda: page.wait_for_selector(".swagger-ui .opblock"))
    finally:
        context.close()
    assert found == {}, json.dumps(found, indent=1)
