"""50 readers post to one article at the same moment: every comment is stored, none is a 500.

A real threaded HTTP server runs the whole Django stack, and 50 client
threads post through it with a real HTTP client: half through the page form
(CSRF cookie and all), half as JSON through API v2 and v3. Each server
thread has its own database connection, as app processes in production do.

On SQLite the suite's database lives in memory, shared between threads
through one connection, which would not test anything. So for the length of
this test the server threads open a file copy of it instead, with the
settings production uses (WAL, IMMEDIATE transactions, a busy timeout). On
PostgreSQL the threads use the test database directly.
"""

import contextlib
import re
import sqlite3
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from byline_comments.models import Comment
from django.core.handlers.wsgi import WSGIHandler
from django.core.servers.basehttp import ThreadedWSGIServer
from django.db import connection, connections
from django.test.testcases import QuietWSGIRequestHandler

from tests.comment_support import relaxed_settings
from tests.factories import make_article

POSTS = 50
ORIGIN = "https://frontend.example"


class BusyServer(ThreadedWSGIServer):
    request_queue_size = 256  # 50 clients connect at once


@contextlib.contextmanager
def threads_use_their_own_database(tmp_path):
    """Yield a function counting the article's stored comments as the threads see them."""
    if connection.vendor != "sqlite" or not connection.is_in_memory_db():
        yield lambda article: Comment.objects.filter(article=article).count()
        return
    path = tmp_path / "concurrency.sqlite3"
    connection.ensure_connection()
    with contextlib.closing(sqlite3.connect(path)) as target:
        connection.connection.backup(target)
    # The dict every new connection is built from (the main thread keeps its
    # open in-memory connection; it must not be closed meanwhile).
    settings_dict = connections.settings["default"]
    original_name = settings_dict["NAME"]
    settings_dict["NAME"] = str(path)

    def count(article):
        with contextlib.closing(sqlite3.connect(path)) as db:
            table = Comment._meta.db_table
            sql = f"SELECT COUNT(*) FROM {table} WHERE article_id = ?"  # noqa: S608
            return db.execute(sql, [article.pk]).fetchone()[0]

    try:
        yield count
    finally:
        settings_dict["NAME"] = original_name


@contextlib.contextmanager
def live_server():
    server = BusyServer(("127.0.0.1", 0), QuietWSGIRequestHandler)
    server.set_app(WSGIHandler())
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def post_through_the_form(base, article, n, start):
    session = requests.Session()
    page = session.get(base + article.url, timeout=30)
    page.raise_for_status()
    token = re.search(r'name="form_token" value="([^"]+)"', page.text).group(1)
    start.wait()
    response = session.post(
        f"{base}/comments/{article.pk}/post/",
        data={
            "form_token": token,
            "author_name": f"Form reader {n}",
            "author_email": f"form{n}@example.org",
            "body": f"Posted through the page form, number {n}.",
        },
        headers={"Referer": base + article.url},
        allow_redirects=False,
        timeout=60,
    )
    return response.status_code, response.headers.get("Location", "")


def post_through_the_api(base, article, n, start):
    version = "v2" if n % 2 else "v3"
    token = requests.get(
        f"{base}/api/{version}/comments/form-token/",
        params={"article": article.pk},
        headers={"Origin": ORIGIN},
        timeout=30,
    ).json()["form_token"]
    start.wait()
    response = requests.post(
        f"{base}/api/{version}/comments/",
        json={
            "article": article.pk,
            "author_name": f"App reader {n}",
            "author_email": f"app{n}@example.org",
            "body": f"Posted through API {version}, number {n}.",
            "form_token": token,
        },
        headers={"Origin": ORIGIN},
        timeout=60,
    )
    return response.status_code, response.text


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_fifty_concurrent_posts_to_one_article_are_all_stored(tmp_path):
    # The per-IP rate limit would (rightly) stop 50 posts from one address.
    relaxed_settings(api_allowed_origins=ORIGIN, rate_limit_count=0, min_fill_seconds=0)
    article = make_article(title="Everyone has an opinion")

    with threads_use_their_own_database(tmp_path) as stored, live_server() as base:
        released = []  # when every client is ready and the posts begin
        start = threading.Barrier(
            POSTS, action=lambda: released.append(time.monotonic()), timeout=60
        )
        with ThreadPoolExecutor(max_workers=POSTS) as pool:
            futures = [
                pool.submit(
                    post_through_the_form if n % 2 else post_through_the_api,
                    base,
                    article,
                    n,
                    start,
                )
                for n in range(POSTS)
            ]
            results = [future.result() for future in futures]
            elapsed = time.monotonic() - released[0]
        count = stored(article)

    form_results = [r for n, r in enumerate(results) if n % 2]
    api_results = [r for n, r in enumerate(results) if not n % 2]
    assert [status for status, _ in form_results] == [302] * 25, form_results
    assert all("comment_posted=" in location for _, location in form_results)
    assert [status for status, _ in api_results] == [201] * 25, api_results
    assert count == POSTS
    print(f"\n{POSTS} concurrent posts on {connection.vendor}: {count} stored in {elapsed:.2f} s")
