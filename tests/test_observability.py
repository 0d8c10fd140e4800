"""Observability: JSON error logs with request ids, X-Request-ID, Sentry, gunicorn's start-up check.

The production tests run the real thing: gunicorn with gunicorn.conf.py and the
production settings in a fresh interpreter with a scrubbed environment. The only
change to the production settings is ROOT_URLCONF, to reach a view that fails.
"""

import gzip
import http.client
import io
import json
import logging
import os
import re
import runpy
import secrets
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from contextlib import contextmanager, suppress
from datetime import datetime
from pathlib import Path

import pytest
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import path

from cms.observability import (
    JsonFormatter,
    RequestContextFilter,
    RequestIdMiddleware,
    TextFormatter,
    console_formatter,
    scrub_sentry_event,
)

REPO = Path(__file__).resolve().parent.parent
GOOD_KEY = secrets.token_urlsafe(64)
HEX_ID = re.compile(r"[0-9a-f]{32}")

# Personal data sent with the failing requests; none of it may reach a log or Sentry.
EMAIL = "reader@example.com"
COOKIE_VALUE = "reader-cookie-7d1e"
CLIENT_IP = "203.0.113.9"
QUERY = f"email={EMAIL}&q=council+tax"


class PressesStopped(Exception):
    pass


def presses_stopped(request):
    raise PressesStopped("the presses have stopped")


def signed_in_presses_stopped(request):
    assert request.user.is_authenticated
    raise PressesStopped("the presses have stopped")


def ok(request):
    return HttpResponse("ok")


def broken_not_found(request, exception):
    raise PressesStopped("the 404 page is broken")


# For @pytest.mark.urls(__name__); the subprocesses write their own small urlconf.
urlpatterns = [
    path("boom/", presses_stopped),
    path("signed-in-boom/", signed_in_presses_stopped),
    path("ok/", ok),
]
handler404 = broken_not_found

FAILING_URLS = """
from django.http import HttpResponse
from django.urls import path


def boom(request):
    raise ZeroDivisionError("the presses have stopped")


urlpatterns = [
    path("boom/", boom),
    path("ok/", lambda request: HttpResponse("ok")),
]
"""


# Production, in a subprocess ----------------------------------------------------


def production_env(tmp_path, **extra):
    """The production settings plus a test-only urlconf, in a scrubbed environment."""
    (tmp_path / "failing_urls.py").write_text(FAILING_URLS)
    (tmp_path / "failing_settings.py").write_text(
        'from cms.settings.production import *  # noqa: F403\nROOT_URLCONF = "failing_urls"\n'
    )
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "PYTHONPATH": f"{tmp_path}{os.pathsep}{REPO}",
        "PYTHONDONTWRITEBYTECODE": "1",
        "DJANGO_SETTINGS_MODULE": "failing_settings",
        "SECRET_KEY": GOOD_KEY,
        "ALLOWED_HOSTS": "news.example",
        "BYLINE_BASE_URL": "https://news.example",
        # Never the checkout's database; the `production` fixture puts a migrated copy here.
        "SQLITE_PATH": str(tmp_path / "byline.sqlite3"),
        "SECURE_SSL_REDIRECT": "false",
        "WEB_CONCURRENCY": "1",
        **extra,
    }


@pytest.fixture(scope="session")
def migrated_database(django_db_setup, django_db_blocker, tmp_path_factory):
    """An SQLite file with every migration applied, for the production subprocesses.

    Copied from this run's test database, which the same migrations built, because
    `migrate` in each subprocess would take longer than the tests themselves.
    """
    path = tmp_path_factory.mktemp("migrated") / "byline.sqlite3"
    with django_db_blocker.unblock():
        if connection.vendor == "sqlite":
            connection.ensure_connection()
            target = sqlite3.connect(path)
            try:
                connection.connection.backup(target)
                tables = target.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
            finally:
                target.close()
            if tables:
                return path
    env = production_env(path.parent)  # no SQLite test database to copy: migrate
    result = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input"],
        cwd=REPO,
        env={**env, "SQLITE_PATH": str(path)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return path


# On the tests that use `production`: makes pytest-django build the test database
# that migrated_database copies even when only these tests are selected.
builds_test_database = pytest.mark.django_db


@pytest.fixture
def production(tmp_path, migrated_database):
    """production(**extra) -> the environment of a production process with its own database."""
    shutil.copyfile(migrated_database, tmp_path / "byline.sqlite3")
    return lambda **extra: production_env(tmp_path, **extra)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def gunicorn_command(port):
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "-c",
        "gunicorn.conf.py",
        "--bind",
        f"127.0.0.1:{port}",
        # Several test runs on one machine would otherwise share one control socket.
        "--no-control-socket",
        "cms.wsgi",
    ]


class Server:
    def __init__(self, port, stdout, stderr):
        self.port, self.stdout_path, self.stderr_path = port, stdout, stderr

    def get(self, url, headers=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            connection.request("GET", url, headers={"Host": "news.example", **(headers or {})})
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read().decode()
        finally:
            connection.close()

    def stderr(self):
        return self.stderr_path.read_text()

    def stdout(self):
        return self.stdout_path.read_text()


@contextmanager
def running_gunicorn(tmp_path, env):
    port = free_port()
    stdout, stderr = tmp_path / "stdout.log", tmp_path / "stderr.log"
    with stdout.open("w") as out, stderr.open("w") as err:
        process = subprocess.Popen(
            gunicorn_command(port),
            cwd=REPO,
            env=env,
            stdout=out,
            stderr=err,
            start_new_session=True,  # its own process group, so workers are stopped too
        )
    try:
        deadline = time.monotonic() + 30
        while True:
            assert process.poll() is None, f"gunicorn exited:\n{stderr.read_text()}"
            assert time.monotonic() < deadline, f"gunicorn did not start:\n{stderr.read_text()}"
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        yield Server(port, stdout, stderr)
    finally:
        process.terminate()
        with suppress(subprocess.TimeoutExpired):
            process.wait(timeout=10)
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def json_lines(text):
    """Every stderr line that is a JSON object (gunicorn's own lines are plain text)."""
    found = []
    for line in text.splitlines():
        if line.startswith("{"):
            found.append(json.loads(line))
    return found


def wait_for(condition, timeout=10):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


@pytest.mark.own_database
@builds_test_database
def test_an_unhandled_error_is_one_json_line_on_stderr_without_personal_data(tmp_path, production):
    with running_gunicorn(tmp_path, production()) as server:
        status, headers, body = server.get(
            f"/boom/?{QUERY}",
            headers={
                # A session cookie makes the log filter look the user up (no such session).
                "Cookie": f"newsletter={COOKIE_VALUE}; sessionid={COOKIE_VALUE}",
                "X-Forwarded-For": CLIENT_IP,
                "X-Request-ID": "has spaces so it is not used",
            },
        )
        assert status == 500
        assert "Something went wrong" in body
        request_id = headers["X-Request-ID"]
        assert HEX_ID.fullmatch(request_id)

        wait_for(lambda: request_id in server.stderr() and request_id in server.stdout())
        stderr, stdout = server.stderr(), server.stdout()

    lines = json_lines(stderr)
    # One line for the failing request, and no other error or traceback anywhere.
    (error,) = [line for line in lines if line.get("request_id") == request_id]
    assert [line for line in lines if line["level"] == "ERROR" or "exception" in line] == [error]
    assert error["level"] == "ERROR"
    assert error["logger"] == "django.request"
    assert error["message"] == "Internal Server Error: /boom/"
    assert error["exception"].startswith("Traceback (most recent call last):")
    assert error["exception"].endswith("ZeroDivisionError: the presses have stopped")
    assert error["request_id"] == request_id
    assert (error["path"], error["method"], error["status_code"]) == ("/boom/", "GET", 500)
    assert error["user_id"] is None
    assert datetime.fromisoformat(error["timestamp"]).tzinfo is not None
    assert "request" not in error

    # The access log joins up with it through the request id, also without the extras.
    (access,) = [line for line in stdout.splitlines() if "/boom/" in line]
    assert '"GET /boom/ HTTP/1.1" 500' in access
    assert access.endswith(f"ms {request_id}")
    for private in (EMAIL, "email=", "council", COOKIE_VALUE, CLIENT_IP):
        assert private not in stderr
        assert private not in stdout


@pytest.mark.own_database
@builds_test_database
def test_a_sane_request_id_is_echoed_and_anything_else_replaced(tmp_path, production):
    with running_gunicorn(tmp_path, production()) as server:
        status, headers, _ = server.get("/ok/", headers={"X-Request-ID": "edge-7f3a.b_9"})
        assert (status, headers["X-Request-ID"]) == (200, "edge-7f3a.b_9")

        for bad in ("x" * 201, 'quote"d', "semi;colon"):
            status, headers, _ = server.get("/ok/", headers={"X-Request-ID": bad})
            assert status == 200
            assert HEX_ID.fullmatch(headers["X-Request-ID"])

        _, first, _ = server.get("/ok/")
        _, second, _ = server.get("/ok/")
        assert first["X-Request-ID"] != second["X-Request-ID"]


def test_gunicorn_refuses_to_start_when_the_system_checks_fail(tmp_path):
    # An http public address is a system check ERROR in production (byline.E002,
    # cms/public_address.py), the kind of mistake that must stop a deploy.
    port = free_port()
    process = subprocess.Popen(
        gunicorn_command(port),
        cwd=REPO,
        env=production_env(tmp_path, BYLINE_BASE_URL="http://news.example"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        stdout, stderr = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
    output = stdout + stderr
    assert process.returncode == 1, output
    assert "ERRORS:" in output and "BYLINE_BASE_URL" in output
    assert "Django's system checks failed" in output
    assert "Booting worker" not in output
    assert "Listening at" not in output


@pytest.mark.own_database
@builds_test_database
def test_sentry_receives_the_error_without_personal_data(tmp_path, production, httpserver):
    envelopes = []

    def receive(request):
        from werkzeug import Response

        body = request.get_data()
        if request.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        envelopes.append(body.decode())
        return Response("{}", content_type="application/json")

    httpserver.expect_request("/api/1/envelope/", method="POST").respond_with_handler(receive)
    dsn = f"http://publickey@127.0.0.1:{httpserver.port}/1"
    env = production(
        SENTRY_DSN=dsn, SENTRY_ENVIRONMENT="staging", BYLINE_RELEASE="byline@2026.11.1"
    )
    with running_gunicorn(tmp_path, env) as server:
        status, headers, _ = server.get(
            f"/boom/?{QUERY}",
            headers={
                "Cookie": f"newsletter={COOKIE_VALUE}; sessionid={COOKIE_VALUE}",
                "X-Forwarded-For": CLIENT_IP,
                "Referer": f"https://news.example/search/?{QUERY}",
                "X-Request-ID": "sentry-check-1",
            },
        )
        assert (status, headers["X-Request-ID"]) == (500, "sentry-check-1")
        wait_for(lambda: any('"type":"event"' in envelope for envelope in envelopes))

    (envelope,) = [envelope for envelope in envelopes if '"type":"event"' in envelope]
    for private in (EMAIL, "email=", "council", COOKIE_VALUE, CLIENT_IP):
        assert private not in envelope
    _, item_header, payload = envelope.split("\n")[:3]
    assert json.loads(item_header)["type"] == "event"
    event = json.loads(payload)
    (exception,) = event["exception"]["values"]
    assert (exception["type"], exception["value"]) == (
        "ZeroDivisionError",
        "the presses have stopped",
    )
    assert event["environment"] == "staging"
    assert event["release"] == "byline@2026.11.1"
    assert event["tags"]["request_id"] == "sentry-check-1"
    assert event["request"]["url"] == "http://news.example/boom/"
    assert "user" not in event


@builds_test_database
@pytest.mark.parametrize(
    ("env", "formatter"),
    [({}, "JsonFormatter"), ({"BYLINE_LOG_FORMAT": "text"}, "TextFormatter")],
    ids=["json-by-default", "text-on-request"],
)
@pytest.mark.own_database
def test_production_logs_json_and_without_a_dsn_never_imports_sentry(production, env, formatter):
    code = (
        "import json, logging, sys, django; django.setup(); "
        "from django.test import Client; Client().get('/ok/', HTTP_HOST='news.example'); "
        "print(json.dumps({'sentry': 'sentry_sdk' in sys.modules, "
        "'formatter': type(logging.getLogger('django').handlers[0].formatter).__name__}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO,
        env=production(**env),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"sentry": False, "formatter": formatter}


@pytest.mark.own_database
def test_production_refuses_a_bad_sentry_sample_rate(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", "import cms.settings.production"],
        cwd=REPO,
        env=production_env(
            tmp_path, SENTRY_DSN="http://key@127.0.0.1:9/1", SENTRY_TRACES_SAMPLE_RATE="lots"
        ),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "SENTRY_TRACES_SAMPLE_RATE must be a number from 0 to 1" in result.stderr


# The same pieces, in this process ---------------------------------------------------


@pytest.fixture
def json_log():
    """What the django.request logger writes through the production handler set-up."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestContextFilter())
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        logger.removeHandler(handler)


@pytest.mark.django_db
@pytest.mark.urls(__name__)
@pytest.mark.parametrize("url", ["/boom/", "/signed-in-boom/"])
def test_the_signed_in_users_numeric_id_is_logged_and_nothing_else_about_them(
    client, django_user_model, json_log, url
):
    # /boom/ fails before anything looked at request.user; /signed-in-boom/ after.
    user = django_user_model.objects.create_user(
        username="ada.editor", email="ada@news.example", password="x", first_name="Ada"
    )
    client.force_login(user)
    client.raise_request_exception = False
    response = client.get(f"{url}?{QUERY}", REMOTE_ADDR=CLIENT_IP)
    assert response.status_code == 500

    (error,) = json_log()
    assert error["user_id"] == user.pk
    assert error["request_id"] == response["X-Request-ID"]
    assert error["path"] == url
    assert "PressesStopped: the presses have stopped" in error["exception"]
    line = json.dumps(error)
    for private in ("ada.editor", "ada@news.example", "Ada", EMAIL, CLIENT_IP, "sessionid"):
        assert private not in line


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_a_broken_error_page_is_logged_with_its_traceback(client, json_log):
    # Django logs the 500 from a failing 404 handler without the exception; the
    # filter puts it back, or nobody could tell why the 404 page is a 500.
    client.raise_request_exception = False
    response = client.get("/no/such/page/")
    assert response.status_code == 500
    (error,) = json_log()
    assert error["status_code"] == 500
    assert "PressesStopped: the 404 page is broken" in error["exception"]
    # Logged after the middleware returned, so the id comes from the request itself.
    assert error["request_id"] == response["X-Request-ID"]


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("abc-123", True),
        ("Edge.7f3a_9", True),
        ("x" * 200, True),
        ("x" * 201, False),
        ("", False),
        ("two words", False),
        ("line\nbreak", False),
        ('{"json":1}', False),
    ],
)
def test_request_id_middleware(sent, kept):
    seen = {}

    def view(request):
        seen["id"] = request.request_id
        return HttpResponse()

    response = RequestIdMiddleware(view)(RequestFactory().get("/", HTTP_X_REQUEST_ID=sent))
    assert response["X-Request-ID"] == seen["id"]
    if kept:
        assert seen["id"] == sent
    else:
        assert HEX_ID.fullmatch(seen["id"])


def test_records_outside_a_request_have_empty_request_fields():
    record = logging.LogRecord("byline.runtime", logging.INFO, __file__, 1, "tick", (), None)
    assert RequestContextFilter().filter(record)
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "tick" and line["logger"] == "byline.runtime"
    assert line["request_id"] is line["path"] is line["user_id"] is None
    assert TextFormatter().format(record).endswith("INFO byline.runtime tick")


def test_log_format_is_chosen_by_name_and_unknown_names_are_refused():
    from django.core.exceptions import ImproperlyConfigured

    assert isinstance(console_formatter(" JSON "), JsonFormatter)
    assert isinstance(console_formatter("text"), TextFormatter)
    with pytest.raises(ImproperlyConfigured, match="BYLINE_LOG_FORMAT"):
        console_formatter("xml")


def test_outside_production_the_log_format_is_text_unless_chosen():
    chosen = os.environ.get("BYLINE_LOG_FORMAT", "text").strip().lower()
    formatter = logging.getLogger("django").handlers[0].formatter
    assert type(formatter) is {"text": TextFormatter, "json": JsonFormatter}[chosen]


def test_sentry_events_lose_query_strings_cookies_bodies_and_addresses():
    event = {
        "request": {
            "url": f"https://news.example/search/?{QUERY}",
            "query_string": QUERY,
            "cookies": {"sessionid": COOKIE_VALUE},
            "data": {"email": EMAIL},
            "env": {"REMOTE_ADDR": CLIENT_IP},
            "headers": {
                "Host": "news.example",
                "User-Agent": "Reader/1.0",
                "Referer": f"https://news.example/?{QUERY}",
                "X-Forwarded-For": CLIENT_IP,
            },
        },
        "user": {"ip_address": CLIENT_IP},
        "extra": {"request": f"<WSGIRequest: GET '/search/?{QUERY}'>"},
        "breadcrumbs": {"values": [{"data": {"request": "...", "http.query": QUERY}}]},
    }
    scrubbed = scrub_sentry_event(event)
    assert scrubbed["request"] == {
        "url": "https://news.example/search/",
        "headers": {"Host": "news.example", "User-Agent": "Reader/1.0"},
    }
    for private in (EMAIL, COOKIE_VALUE, CLIENT_IP, "email="):
        assert private not in json.dumps(scrubbed)


# gunicorn.conf.py -----------------------------------------------------------------


def gunicorn_settings(monkeypatch, **env):
    for name in ("PORT", "BIND", "WEB_CONCURRENCY", "FORWARDED_ALLOW_IPS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(REPO / "gunicorn.conf.py"))


def test_gunicorn_settings_come_from_the_environment(monkeypatch):
    defaults = gunicorn_settings(monkeypatch)
    assert defaults["bind"] == "0.0.0.0:8000"
    assert 3 <= defaults["workers"] <= 8
    assert (defaults["timeout"], defaults["graceful_timeout"]) == (30, 30)
    assert (defaults["accesslog"], defaults["errorlog"]) == ("-", "-")
    assert defaults["forwarded_allow_ips"] == "127.0.0.1,::1"
    assert defaults["max_requests"] > 0 and defaults["max_requests_jitter"] > 0
    assert "%(h)s" not in defaults["access_log_format"]  # no client IP addresses

    configured = gunicorn_settings(
        monkeypatch, PORT="9123", WEB_CONCURRENCY="5", FORWARDED_ALLOW_IPS="10.0.0.2"
    )
    assert (configured["bind"], configured["workers"]) == ("0.0.0.0:9123", 5)
    assert configured["forwarded_allow_ips"] == "10.0.0.2"
    assert gunicorn_settings(monkeypatch, BIND="unix:/run/byline.sock")["bind"] == (
        "unix:/run/byline.sock"
    )
