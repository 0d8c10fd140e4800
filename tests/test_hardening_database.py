"""A locked, unreachable or restarted database (README "Hardening").

- SQLite with another connection holding the write lock: readers still get
  200 (WAL), writers get 503 with Retry-After after the busy timeout, never a
  500, and nothing they sent is half-stored.
- An unreachable database: 503 with Retry-After on reader pages, both APIs
  (v3 search included, which called it "could not parse these words") and the
  comment form, never a 400 or a 500.
- PostgreSQL connections kept between requests survive a server restart
  (CONN_HEALTH_CHECKS).
- Every comment acknowledged with a 302 is in the database.

Each drill records figures for ``make audit``: "faults injected" (requests
answered while the database was failing, backends killed) and "data lost"
(writes acknowledged to the client that are not in the database).
"""

import contextlib
import json
import sqlite3
import threading
from unittest import mock

import pytest
from byline_comments.models import Comment
from django.conf import settings as django_settings
from django.db import (
    InterfaceError,
    OperationalError,
    close_old_connections,
    connection,
    connections,
)
from django.test import Client
from django.urls import reverse
from wagtail.models import Collection

from cms.resilience import RETRY_AFTER_LOCKED, RETRY_AFTER_UNAVAILABLE, classify
from tests.comment_support import form_data, relaxed_settings
from tests.factories import make_article, make_section
from tests.runtime_support import free_port, manage, process_env

# Seconds a writer waits for the lock in these tests (20 in production): the
# 503 comes after it, so a short one keeps the tests fast.
TEST_BUSY_TIMEOUT = 0.3


def comment_url(article):
    return f"/comments/{article.pk}/post/"


def assert_unavailable(answer, retry_after, where):
    assert answer.status_code == 503, (where, answer.status_code, answer.content[:300])
    assert answer["Retry-After"] == str(retry_after), where
    assert "no-store" in answer["Cache-Control"], where  # never kept by a CDN


# What counts as what ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (OperationalError("database is locked"), 503),
        (OperationalError("connection to server at 127.0.0.1 failed: Connection refused"), 503),
        (OperationalError("terminating connection due to administrator command"), 503),
        (InterfaceError("connection already closed"), 503),
        (OSError(28, "No space left on device"), 507),
        (OSError(122, "Disk quota exceeded"), 507),
        # The request's own fault, not the server's: no 503 that invites a retry.
        (OperationalError('fts5: syntax error near "\'"'), None),
        (OperationalError("no such column: nope"), None),
        (OSError(2, "No such file or directory"), None),
        (ValueError("database is locked"), None),
    ],
)
def test_failures_are_told_apart(error, status):
    failure = classify(error)
    assert (failure.status if failure else None) == status


def test_wrapped_failures_are_found():
    try:
        try:
            raise OperationalError("database is locked")
        except OperationalError as inner:
            raise RuntimeError("rendering failed") from inner
    except RuntimeError as outer:
        assert classify(outer).status == 503


def test_persistent_connections_are_health_checked():
    assert django_settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True


# An unreachable database -----------------------------------------------------------------


@pytest.fixture
def newsroom(db):
    relaxed_settings()
    section = make_section("World", slug="world")
    article = make_article(section, title="Harbour dredging plan agreed")
    return section, article


@pytest.mark.parametrize(
    "error",
    [OperationalError("connection refused"), InterfaceError("connection already closed")],
    ids=["OperationalError", "InterfaceError"],
)
def test_an_unreachable_database_answers_503_everywhere(newsroom, error, audit_figures):
    section, article = newsroom
    client = Client(raise_request_exception=False)
    readers = [
        "/",
        article.url,
        section.url,
        "/search/?q=harbour",
        "/feed/",
        "/sitemap.xml",
    ]
    apis_v2 = ["/api/v2/pages/", "/api/v2/pages/?search=harbour", f"/api/v2/pages/{article.pk}/"]
    apis_v3 = [
        "/api/v3/pages/",
        "/api/v3/pages/?search=harbour",
        "/api/v3/articles/?search=harbour",
        "/api/v3/images/?search=harbour",
        f"/api/v3/articles/{article.pk}/",
    ]
    audit_figures.add("faults injected", len(readers) + len(apis_v2) + len(apis_v3) + 1)
    with mock.patch.object(connection, "ensure_connection", side_effect=error):
        for path in readers:
            answer = client.get(path)
            assert_unavailable(answer, RETRY_AFTER_UNAVAILABLE, path)
            assert "cannot be reached" in answer.content.decode(), path
        for path in apis_v2:
            answer = client.get(path)
            assert_unavailable(answer, RETRY_AFTER_UNAVAILABLE, path)
            assert "cannot be reached" in answer.json()["message"], path
        for path in apis_v3:
            answer = client.get(path)
            assert_unavailable(answer, RETRY_AFTER_UNAVAILABLE, path)
            assert answer["Content-Type"] == "application/problem+json", path
            assert answer.json()["status"] == 503, path
            assert "could not parse" not in answer.content.decode(), path
        posted = client.post(comment_url(article), form_data(article))
    acknowledged = posted.status_code in (201, 302)
    audit_figures.add("data lost", int(acknowledged and not Comment.objects.exists()))
    assert_unavailable(posted, RETRY_AFTER_UNAVAILABLE, "comment form")
    assert Comment.objects.count() == 0


def test_unparseable_search_words_are_still_a_400(newsroom):
    answer = Client().get('/api/v3/articles/?search="harbour')
    assert answer.status_code in (200, 400)  # 400 where the engine refuses the quote


def test_a_process_whose_database_is_unreachable_answers_503(tmp_path, audit_figures):
    env = process_env(
        tmp_path,
        DJANGO_SETTINGS_MODULE="cms.settings.test",
        DATABASE_URL=f"postgres://postgres@127.0.0.1:{free_port()}/gone",
    )
    script = (
        "import json; from django.test import Client; "
        "c = Client(HTTP_HOST='127.0.0.1', raise_request_exception=False); "
        "answers = [c.get(p) for p in ('/', '/api/v2/pages/', '/api/v3/pages/?search=x')]"
        " + [c.post('/comments/1/post/', {'body': 'x'})]; "
        "print(json.dumps([[a.status_code, a.get('Retry-After')] for a in answers]))"
    )
    done = manage("shell", "-c", script, env=env, timeout=90)
    answers = json.loads(done.stdout.strip().splitlines()[-1])
    audit_figures.add("faults injected", len(answers))
    # The comment post went to a database that cannot store it: acknowledging it loses it.
    audit_figures.add("data lost", int(answers[-1][0] in (201, 302)))
    assert answers == [[503, str(RETRY_AFTER_UNAVAILABLE)]] * 4


# SQLite: another connection holds the write lock -----------------------------------------


@contextlib.contextmanager
def on_a_database_file(tmp_path):
    """New connections open a file copy of the test database, with a short busy timeout.

    The suite's SQLite database lives in memory, where neither WAL nor the
    busy timeout applies; production's is a file. The main thread keeps its
    in-memory connection; the threads of the test get the file.
    """
    path = tmp_path / "locked.sqlite3"
    connection.ensure_connection()
    with contextlib.closing(sqlite3.connect(path)) as target:
        connection.connection.backup(target)
    settings_dict = connections.settings["default"]
    original = dict(settings_dict)
    settings_dict["NAME"] = str(path)
    settings_dict["OPTIONS"] = {**settings_dict["OPTIONS"], "timeout": TEST_BUSY_TIMEOUT}
    try:
        yield path
    finally:
        settings_dict.clear()
        settings_dict.update(original)


def in_a_thread(work):
    """Run ``work`` in a thread of its own (so with its own database connection)."""
    outcome = {}

    def run():
        try:
            outcome["value"] = work()
        except BaseException as error:  # handed back to the test
            outcome["error"] = error
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=120)
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_held_write_lock_gives_readers_200_and_writers_503(tmp_path, admin_user, audit_figures):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's database-wide write lock")
    relaxed_settings(rate_limit_count=0, min_fill_seconds=0)
    article = make_article(title="The ferry timetable")
    root = Collection.get_first_root_node()
    add_collection = reverse("wagtailadmin_collections:add")

    def scenario(path):
        client = Client(raise_request_exception=False)
        client.force_login(admin_user)  # before the lock: signing in writes a session
        reader = Client(raise_request_exception=False)
        holder = sqlite3.connect(path, isolation_level=None)
        holder.execute("PRAGMA journal_mode=WAL")
        holder.execute("BEGIN IMMEDIATE")  # another process is writing, and goes on
        try:
            held = {
                "reader": reader.get(article.url),
                "api_v2": reader.get("/api/v2/pages/"),
                "api_v3": reader.get("/api/v3/articles/"),
                "comment": client.post(comment_url(article), form_data(article, body="Lost?")),
                "admin": client.post(add_collection, {"name": "Photos", "parent": root.pk}),
            }
        finally:
            holder.rollback() if holder.in_transaction else None
            holder.close()
        after = {
            "comment": client.post(comment_url(article), form_data(article, body="Kept.")),
            "admin": client.post(add_collection, {"name": "Photos", "parent": root.pk}),
        }
        stored = list(Comment.objects.filter(article_id=article.pk).values_list("body", flat=True))
        collections = Collection.objects.filter(name="Photos").count()
        return held, after, stored, collections

    with on_a_database_file(tmp_path) as path:
        held, after, stored, collections = in_a_thread(lambda: scenario(path))

    audit_figures.add("faults injected", len(held))
    # Acknowledged: a comment answered 302, a collection the admin answered 302 for.
    acknowledged = [
        body
        for answers, body in ((held, "Lost?"), (after, "Kept."))
        if answers["comment"].status_code == 302
    ]
    collections_saved = sum(answers["admin"].status_code == 302 for answers in (held, after))
    lost = sum(body not in stored for body in acknowledged)
    audit_figures.add("data lost", lost + max(0, collections_saved - collections))

    for reader in ("reader", "api_v2", "api_v3"):
        assert held[reader].status_code == 200, (reader, held[reader].content[:300])
    assert_unavailable(held["comment"], RETRY_AFTER_LOCKED, "comment")
    assert "busy saving other changes" in held["comment"].content.decode()
    assert_unavailable(held["admin"], RETRY_AFTER_LOCKED, "admin save")
    assert "wagtailadmin/css/core.css" in held["admin"].content.decode()  # the admin's design
    # Once the lock is gone the same posts work, and only what was acknowledged is stored.
    assert after["comment"].status_code == 302
    assert after["admin"].status_code == 302
    assert stored == ["Kept."]
    assert collections == 1


# PostgreSQL: the server restarts under a kept connection ----------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_kept_connection_recovers_after_a_database_restart(newsroom_on_postgres, audit_figures):
    client = Client(raise_request_exception=False)

    def kill_and_ask(health_checks):
        with mock.patch.dict(
            connection.settings_dict, {"CONN_MAX_AGE": 60, "CONN_HEALTH_CHECKS": health_checks}
        ):
            connection.close()
            connection.ensure_connection()  # a kept connection, with or without checks
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                pid = cursor.fetchone()[0]
            # A restart, as the server sees it: another session ends this one's backend.
            params = connection.settings_dict
            other = connection.Database.connect(
                dbname=params["NAME"],
                user=params["USER"],
                password=params["PASSWORD"],
                host=params["HOST"],
                port=params["PORT"],
            )
            try:
                cursor = other.cursor()
                cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
                assert cursor.fetchone()[0] is True
            finally:
                other.close()
            audit_figures.add("faults injected")
            # What a real server does when a request starts (the test client skips it).
            close_old_connections()
            return client.get("/api/v2/pages/")

    # Without health checks the dead connection is used and the request fails...
    assert kill_and_ask(health_checks=False).status_code == 503
    connection.close()
    # ...with them (the base settings) it is replaced and the reader is served.
    assert kill_and_ask(health_checks=True).status_code == 200


@pytest.fixture
def newsroom_on_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("terminates a PostgreSQL backend")
    make_article(title="Harbour dredging plan agreed")


def test_connection_settings_come_from_the_environment():
    from tests.test_settings import database_settings, production_env

    postgres = database_settings(
        production_env(DATABASE_URL="postgres://byline@db.internal/newsroom", CONN_MAX_AGE="600")
    )
    assert (postgres["CONN_MAX_AGE"], postgres["CONN_HEALTH_CHECKS"]) == (600, True)
    sqlite = database_settings(production_env(SQLITE_BUSY_TIMEOUT="2.5"))
    assert sqlite["OPTIONS"]["timeout"] == 2.5
