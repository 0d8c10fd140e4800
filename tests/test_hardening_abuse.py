"""Abuse limits (README "Hardening"): admin sign-in lockout, failed API tokens,
comment bursts and storage caps, and names that show nothing or flip text."""

import json
from datetime import timedelta

import pytest
import time_machine
from byline_comments import services
from byline_comments.models import Comment, CommentStatus
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from cms import abuse
from cms.abuse import client_ip
from tests.api_support import token_for
from tests.comment_support import (
    aged_token,
    form_data,
    make_comment,
    relaxed_settings,
    soup,
    text_of,
)
from tests.factories import make_article

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"
PASSWORD = "correct horse battery 9"


@pytest.fixture
def fresh_window():
    """Start at the beginning of an hour, so no fixed rate-limit window (a divisor of an
    hour: 60 s, 300 s) ends during the test and restarts its count (a burst that crossed
    a five-minute boundary had its last posts accepted)."""
    hour = 3600
    start = (int(timezone.now().timestamp()) // hour + 1) * hour + 1
    with time_machine.travel(start, tick=True):
        yield


# Admin sign-in lockout (django-axes) ----------------------------------------------------


@pytest.fixture
def editors():
    users = get_user_model().objects
    return (
        users.create_superuser("editor", "editor@example.org", PASSWORD),
        users.create_superuser("other", "other@example.org", PASSWORD),
    )


def sign_in(client, username, password, ip="203.0.113.20"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def signed_in(response):
    return response.status_code == 302 and "_auth_user_id" in response.client.session


def test_six_wrong_passwords_lock_the_account_from_that_address(client, editors):
    for _ in range(6):
        response = sign_in(client, "editor", "wrong")
        assert response.status_code in (200, 429)
    locked = sign_in(client, "editor", PASSWORD)
    assert locked.status_code == 429
    assert "Too many failed sign-in attempts" in locked.content.decode()
    assert "locked for 15 minutes" in locked.content.decode()
    assert locked["Retry-After"] == str(15 * 60)
    assert "no-store" in locked["Cache-Control"]
    assert "_auth_user_id" not in client.session


def test_the_lockout_spares_other_users_and_other_addresses(client, editors):
    for _ in range(6):
        sign_in(client, "editor", "wrong")
    assert signed_in(sign_in(client, "other", PASSWORD))
    client.logout()
    assert signed_in(sign_in(client, "editor", PASSWORD, ip="198.51.100.30"))


def test_the_lockout_ends_after_the_cool_off_time(client, editors):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        for _ in range(6):
            sign_in(client, "editor", "wrong")
        clock.shift(timedelta(minutes=14))
        assert sign_in(client, "editor", PASSWORD).status_code == 429
        # The cool-off counts from the last attempt, refused ones included.
        clock.shift(timedelta(minutes=14))
        assert sign_in(client, "editor", PASSWORD).status_code == 429
        clock.shift(timedelta(minutes=16))
        assert signed_in(sign_in(client, "editor", PASSWORD))


def test_a_success_resets_the_failure_count(client, editors):
    for _ in range(4):
        sign_in(client, "editor", "wrong")
    assert signed_in(sign_in(client, "editor", PASSWORD))
    client.logout()
    for _ in range(4):
        assert sign_in(client, "editor", "wrong").status_code == 200
    assert signed_in(sign_in(client, "editor", PASSWORD))


def test_behind_proxies_the_address_the_outer_proxy_saw_counts(rf, settings):
    forged_then_real = "10.9.9.9, 203.0.113.7"  # the client wrote the first itself
    request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=forged_then_real)
    settings.BYLINE_PROXY_COUNT = 0
    assert client_ip(request) == "127.0.0.1"
    settings.BYLINE_PROXY_COUNT = 1
    assert client_ip(request) == "203.0.113.7"
    settings.BYLINE_PROXY_COUNT = 3  # more proxies than entries: don't guess
    assert client_ip(request) == "127.0.0.1"


def test_lockouts_count_the_client_behind_the_proxy(client, editors, settings):
    settings.BYLINE_PROXY_COUNT = 1
    for _ in range(6):
        client.post(
            LOGIN,
            {"username": "editor", "password": "wrong"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR="203.0.113.66",
        )
    from_proxy = {"REMOTE_ADDR": "127.0.0.1"}
    locked = client.post(
        LOGIN,
        {"username": "editor", "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="203.0.113.66",
        **from_proxy,
    )
    assert locked.status_code == 429
    elsewhere = client.post(
        LOGIN,
        {"username": "editor", "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="198.51.100.2",
        **from_proxy,
    )
    assert signed_in(elsewhere)


# Failed bearer tokens on /api/v3/ -------------------------------------------------------


def api_get(client, token, ip="203.0.113.40"):
    # /pages/ checks a token when there is one, and reads anonymously without.
    return client.get("/api/v3/pages/", HTTP_AUTHORIZATION=f"Bearer {token}", REMOTE_ADDR=ip)


def test_many_bogus_tokens_from_one_address_get_429(client, settings, fresh_window):
    settings.BYLINE_API_TOKEN_FAILURE_LIMIT = 5
    for n in range(5):
        assert api_get(client, f"bogus-{n}").status_code == 200  # anonymous read
    refused = api_get(client, "bogus-6")
    assert refused.status_code == 429
    assert refused["Content-Type"] == "application/problem+json"
    assert 1 <= int(refused["Retry-After"]) <= settings.BYLINE_API_TOKEN_FAILURE_WINDOW
    problem = json.loads(refused.content)
    assert problem["status"] == 429
    assert "invalid API token" in problem["detail"]
    # Another address, and the same one without a token, are not refused.
    assert api_get(client, "bogus-7", ip="198.51.100.41").status_code == 200
    assert client.get("/api/v3/pages/", REMOTE_ADDR="203.0.113.40").status_code == 200


def test_valid_tokens_are_not_counted_and_writes_with_bad_tokens_are(
    client, settings, fresh_window
):
    settings.BYLINE_API_TOKEN_FAILURE_LIMIT = 3
    editor = get_user_model().objects.create_superuser("api", "api@example.org", "pw")
    good = token_for(editor)
    for _ in range(5):
        assert api_get(client, good).status_code == 200
    for n in range(3):
        response = client.post(
            "/api/v3/pages/",
            data="{}",
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer bad-{n}",
            REMOTE_ADDR="203.0.113.40",
        )
        assert response.status_code == 401
    assert api_get(client, "bad-again").status_code == 429


@pytest.mark.parametrize(
    "path",
    [
        "/api/v3/articles/",  # Byline's router: a token is optional
        "/api/v3/site/",  # no authentication at all: the middleware looks the token up
        "/api/v3/openapi.json",
        "/api/v3/comments/",
        "/api/v3/sites/",  # token required: 401
        "/api/v3/no-such-route/",
    ],
)
def test_every_v3_route_counts_bogus_tokens(client, settings, path, fresh_window):
    settings.BYLINE_API_TOKEN_FAILURE_LIMIT = 3
    for n in range(3):
        response = client.get(
            path, HTTP_AUTHORIZATION=f"Bearer bogus-{n}", REMOTE_ADDR="203.0.113.42"
        )
        assert response.status_code != 429
    refused = client.get(path, HTTP_AUTHORIZATION="Bearer bogus-4", REMOTE_ADDR="203.0.113.42")
    assert refused.status_code == 429
    assert refused["Content-Type"] == "application/problem+json"
    # The limit is per address, whatever the route: the others are refused too.
    assert api_get(client, "bogus-5", ip="203.0.113.42").status_code == 429


def test_good_tokens_on_routes_without_authentication_are_not_counted(
    client, settings, fresh_window
):
    settings.BYLINE_API_TOKEN_FAILURE_LIMIT = 2
    good = token_for(get_user_model().objects.create_superuser("site", "s@example.org", "pw"))
    for _ in range(4):
        response = client.get("/api/v3/site/", HTTP_AUTHORIZATION=f"Bearer {good}")
        assert response.status_code == 200


def test_the_token_throttle_counts_the_client_behind_the_proxy(client, settings, fresh_window):
    settings.BYLINE_API_TOKEN_FAILURE_LIMIT = 2
    settings.BYLINE_PROXY_COUNT = 1

    def bogus(forwarded):
        return client.get(
            "/api/v3/articles/",
            HTTP_AUTHORIZATION="Bearer bogus",
            REMOTE_ADDR="10.0.0.1",  # the load balancer
            HTTP_X_FORWARDED_FOR=forwarded,
        )

    assert bogus("198.51.100.1").status_code == 200
    assert bogus("6.6.6.6, 198.51.100.1").status_code == 200  # a forged entry changes nothing
    assert bogus("198.51.100.1").status_code == 429
    assert bogus("198.51.100.2").status_code == 200  # another reader behind the same proxy


def test_the_token_throttle_ends_with_its_window(client, settings):
    settings.BYLINE_API_TOKEN_FAILURE_LIMIT = 2
    settings.BYLINE_API_TOKEN_FAILURE_WINDOW = 60
    with time_machine.travel(timezone.now(), tick=False) as clock:
        api_get(client, "a")
        api_get(client, "b")
        assert api_get(client, "c").status_code == 429
        clock.shift(timedelta(seconds=61))
        assert api_get(client, "d").status_code == 200


# Comment bursts: over the limit nothing is stored ---------------------------------------


def post_url(article):
    return reverse("byline_comments:post", args=[article.pk])


def test_a_burst_of_form_posts_stores_only_what_the_limit_allows(client, fresh_window):
    relaxed_settings(rate_limit_count=5, rate_limit_window_seconds=300)
    article = make_article()
    statuses = [
        client.post(
            post_url(article),
            form_data(article, body=f"Burst number {n}"),
            REMOTE_ADDR="203.0.113.9",
        ).status_code
        for n in range(50)
    ]
    assert statuses[:5] == [302] * 5
    assert set(statuses[5:]) == {429}
    assert Comment.objects.count() == 5


def test_an_over_limit_post_gets_the_form_back_with_its_text(client, fresh_window):
    relaxed_settings(rate_limit_count=1, rate_limit_window_seconds=300)
    article = make_article()
    client.post(post_url(article), form_data(article), REMOTE_ADDR="203.0.113.9")
    response = client.post(
        post_url(article),
        form_data(article, body="Please keep this text for me."),
        REMOTE_ADDR="203.0.113.9",
    )
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 301
    page = soup(response)
    assert "too many comments in a short time" in text_of(page.select_one("#comment-form-errors"))
    assert (
        page.select_one("textarea[name=body]").get_text().strip() == "Please keep this text for me."
    )
    assert Comment.objects.count() == 1


def test_behind_a_proxy_the_comment_limit_counts_each_reader(client, settings, fresh_window):
    """Posts reach the app from the proxy's address: BYLINE_PROXY_COUNT tells readers apart."""
    settings.BYLINE_PROXY_COUNT = 1
    relaxed_settings(rate_limit_count=2, rate_limit_window_seconds=300)
    article = make_article()

    def post(reader, n):
        return client.post(
            post_url(article),
            form_data(article, body=f"Is the harbour road open yet? ({reader} {n})"),
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR=reader,
        )

    assert [post("198.51.100.7", n).status_code for n in range(3)] == [302, 302, 429]
    assert post("198.51.100.8", 0).status_code == 302
    stored = sorted(Comment.objects.values_list("ip_address", flat=True))
    assert stored == ["198.51.100.7", "198.51.100.7", "198.51.100.8"]


@pytest.mark.parametrize("prefix", ["/api/v2/comments/", "/api/v3/comments/"])
def test_an_over_limit_api_post_gets_429_and_retry_after(client, prefix, fresh_window):
    origin = "https://frontend.example"
    relaxed_settings(rate_limit_count=1, api_allowed_origins=origin)
    article = make_article()

    def post(n):
        payload = {
            "article": article.pk,
            "author_name": "Ola",
            "author_email": "ola@example.org",
            "body": f"Will the trams run at night? ({n})",
            "form_token": aged_token(article.pk, origin=origin),
        }
        return client.generic(
            "POST",
            prefix,
            json.dumps(payload),
            content_type="application/json",
            HTTP_ORIGIN=origin,
            REMOTE_ADDR="203.0.113.9",
        )

    assert post(1).status_code == 201
    refused = post(2)
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) >= 1
    body = json.loads(refused.content)
    assert "too many comments" in (body.get("detail") or body.get("message"))
    if prefix.startswith("/api/v3/"):
        assert refused["Content-Type"] == "application/problem+json"
    assert Comment.objects.count() == 1


def test_the_rate_limit_is_counted_atomically_in_the_cache(monkeypatch, fresh_window):
    """add() creates the counter, incr() counts: no read-modify-write to race on."""
    from byline_comments.checks import basic

    calls = []
    real = abuse.cache

    class Recording:
        def add(self, *args, **kwargs):
            calls.append("add")
            return real.add(*args, **kwargs)

        def incr(self, *args, **kwargs):
            calls.append("incr")
            return real.incr(*args, **kwargs)

        def set(self, *args, **kwargs):  # pragma: no cover - would be a race
            raise AssertionError("the counter must not be set")

        def get(self, *args, **kwargs):  # pragma: no cover - would be a race
            raise AssertionError("the counter must not be read then written")

    monkeypatch.setattr(abuse, "cache", Recording())
    settings = relaxed_settings(rate_limit_count=3)
    assert basic.count_rate("203.0.113.9", settings)[0] == 1
    assert basic.count_rate("203.0.113.9", settings)[0] == 2
    assert calls == ["add", "incr", "add", "incr"]


# Storage caps for held comments ---------------------------------------------------------


def spam(article, n, minutes_ago):
    return make_comment(
        article,
        status=CommentStatus.SPAM,
        body=f"spam {n}",
        created_at=timezone.now() - timedelta(minutes=minutes_ago),
    )


def submit_spam(article, ip="203.0.113.5"):
    from django.test import RequestFactory

    request = RequestFactory().post("/", REMOTE_ADDR=ip)
    data = {
        "author_name": "Bot",
        "author_email": "bot@example.org",
        "body": "Cheap pills here",
        "homepage_url": "filled by a bot",
    }
    return services.submit_comment(article, data, request, form_issued_at=0)


def test_spam_past_the_per_article_cap_prunes_the_oldest(settings):
    settings.BYLINE_COMMENTS_MAX_SPAM_PER_ARTICLE = 3
    relaxed_settings()
    article, other = make_article(), make_article()
    old = [spam(article, n, minutes_ago=100 - n) for n in range(3)]
    elsewhere = spam(other, 9, minutes_ago=500)
    newest = submit_spam(article)
    assert newest.status == CommentStatus.SPAM
    kept = set(Comment.objects.filter(article=article).values_list("pk", flat=True))
    assert kept == {old[1].pk, old[2].pk, newest.pk}
    assert Comment.objects.filter(pk=elsewhere.pk).exists()


def test_spam_past_the_site_wide_cap_prunes_the_oldest_anywhere(settings):
    settings.BYLINE_COMMENTS_MAX_SPAM = 2
    relaxed_settings()
    article, other = make_article(), make_article()
    oldest = spam(other, 1, minutes_ago=60)
    middle = spam(article, 2, minutes_ago=30)
    approved = make_comment(other, created_at=timezone.now() - timedelta(days=9))
    newest = submit_spam(article)
    assert set(Comment.objects.values_list("pk", flat=True)) == {middle.pk, newest.pk, approved.pk}
    assert not Comment.objects.filter(pk=oldest.pk).exists()


def test_a_full_moderation_queue_refuses_new_comments_without_storing(client, settings):
    settings.BYLINE_COMMENTS_MAX_PENDING_PER_ARTICLE = 2
    relaxed_settings()
    article = make_article()
    for _ in range(2):
        make_comment(article, status=CommentStatus.PENDING)
    response = client.post(post_url(article), form_data(article, body="Is anyone there?"))
    assert response.status_code == 503
    assert response["Retry-After"] == str(services.QUEUE_FULL_RETRY_AFTER)
    assert "waiting for a moderator" in text_of(soup(response).select_one("#comment-form-errors"))
    assert Comment.objects.filter(article=article).count() == 2


# Names --------------------------------------------------------------------------------

INVISIBLE_NAMES = [
    "\u200b\u200b",
    "\u200c\u200d\u200e\u200f",
    "\u2060",
    "\ufeff ",
    "\u0301\u0308",  # combining marks with nothing to combine with
    " \u00a0\u3000 ",
    "\u202e\u200b",
]


@pytest.mark.parametrize("name", INVISIBLE_NAMES)
def test_a_name_that_shows_nothing_is_refused(client, name):
    relaxed_settings()
    article = make_article()
    response = client.post(post_url(article), form_data(article, author_name=name))
    assert response.status_code == 400
    errors = text_of(soup(response).select_one("#comment-form-errors"))
    assert "Please give" in errors and "name" in errors
    assert not Comment.objects.exists()


def test_direction_overrides_are_stripped_and_names_isolated(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    relaxed_settings(moderator_emails="desk@example.org", auto_approve_returning=True)
    article = make_article()
    make_comment(article, author_email="eve@example.org")  # a returning reader: published
    spoof = "Eve \u202egnp.exe\u202c \u2066x\u2069"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            post_url(article),
            form_data(article, author_name=spoof, author_email="eve@example.org"),
        )
    assert response.status_code == 302
    comment = Comment.objects.get(author_name__startswith="Eve")
    assert comment.author_name == "Eve gnp.exe x"
    # HTML: inside <bdi>, so even a stored override could not leak into the page.
    page = soup(client.get(article.url))
    author = page.select_one(f"#comment-{comment.pk}-author bdi")
    assert author is not None and author.get_text() == "Eve gnp.exe x"
    # API (both versions) and the moderators' e-mail: the stripped name.
    for prefix in ("/api/v2/comments/", "/api/v3/comments/"):
        items = client.get(prefix, {"article": article.pk}).json()["items"]
        names = [item["author"]["name"] for item in items]
        assert "Eve gnp.exe x" in names
        assert not any(ch in "".join(names) for ch in "\u202a\u202b\u202c\u202d\u202e\u2066\u2069")
    assert "Author: Eve gnp.exe x <eve@example.org>" in mailoutbox[-1].body


def test_mentions_lose_direction_overrides_too():
    relaxed_settings()
    article = make_article()
    mention = services.create_mention(
        article,
        "webmention",
        author_name="\u202eevil.example",
        author_url="",
        title="A reply",
        excerpt="Nice",
        source_url="https://evil.example/post",
    )
    assert mention.author_name == "evil.example"
    blank = services.create_mention(
        article,
        "pingback",
        author_name="\u200b",
        author_url="",
        title="Another",
        excerpt="Nice",
        source_url="https://blank.example/post",
    )
    assert blank.author_name == "https://blank.example/post"


# Limits shared by every process through Redis ------------------------------------------


@pytest.fixture
def two_redis_clients(monkeypatch):
    """Two separate Redis cache clients on one server (db 3), as two app processes have.

    Each is the project's cache as REDIS_URL configures it (cms/settings/base.py).
    """
    import uuid

    from django.core.cache.backends.redis import RedisCache

    from tests.browser_support import missing

    prefix = f"byline-test-{uuid.uuid4().hex}"
    clients = [RedisCache(REDIS_TEST_URL, {"KEY_PREFIX": prefix}) for _ in range(2)]
    try:
        clients[0].get("ping")
    except Exception as error:  # redis.ConnectionError, not importable without redis
        missing(f"Redis is not reachable at {REDIS_TEST_URL}: {error}")
    yield clients
    for key in clients[0]._cache.get_client(write=True).scan_iter(f"{prefix}:*"):
        clients[0]._cache.get_client(write=True).delete(key)


REDIS_TEST_URL = "redis://127.0.0.1:6379/3"


def test_comment_rate_limit_is_shared_by_processes_through_redis(
    monkeypatch, two_redis_clients, fresh_window
):
    first, second = two_redis_clients
    from byline_comments.checks.basic import count_rate

    settings = relaxed_settings(rate_limit_count=3, rate_limit_window_seconds=300)
    counts = []
    for process in (first, second, first, second):
        monkeypatch.setattr(abuse, "cache", process)
        counts.append(count_rate("203.0.113.50", settings)[0])
    assert counts == [1, 2, 3, 4]  # one count, whichever process takes the post


def test_token_throttle_is_shared_by_processes_through_redis(
    client, settings, monkeypatch, two_redis_clients
):
    first, second = two_redis_clients
    settings.BYLINE_API_TOKEN_FAILURE_LIMIT = 2
    monkeypatch.setattr(abuse, "cache", first)
    assert api_get(client, "bogus-1").status_code == 200
    assert api_get(client, "bogus-2").status_code == 200
    monkeypatch.setattr(abuse, "cache", second)  # the next request lands on another process
    assert api_get(client, "bogus-3").status_code == 429
