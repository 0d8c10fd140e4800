"""Two app processes sharing one Redis: a change made elsewhere is served fresh by both.

Two ``manage.py runserver --noreload`` processes on loopback ports, one SQLite
file and Redis database 4 (flushed here): an answer one process stored is a
hit in the other, and after an editor publishes in a third process, the
process that had the page cached renders it afresh, while a page the change
does not show stays cached in both.

Needs Redis (tests/services_support.py): skipped with the reason where it is
missing, an error in CI (.ci/run).
"""

import shutil
import subprocess
import sys

import pytest
import requests

from tests.services_support import (
    REDIS_URL,
    REPO,
    free_port,
    manage,
    process_env,
    require,
    stop_process,
    wait_for_url,
)
from tests.test_observability import migrated_database  # noqa: F401 - a fixture

# The page cache's own Redis database for these tests (another helper's tests flush 7).
PAGE_CACHE_REDIS_URL = REDIS_URL.rsplit("/", 1)[0] + "/4"
HOST = {"Host": "news.example"}

SEED = """
from tests.factories import make_article, make_section
world = make_section("World")
harbour = make_article(world, title="Harbour reopens after the storm")
final = make_article(make_section("Sport"), title="Cup final tonight")
print(harbour.pk, harbour.url, final.url)
"""

PUBLISH = """
from news.models import ArticlePage
page = ArticlePage.objects.get(pk={pk})
page.title = "Harbour fully reopens"
page.save_revision().publish()
"""


@pytest.fixture
def site(tmp_path, migrated_database):  # noqa: F811 - the fixture imported above
    require("redis")
    import redis

    redis.Redis.from_url(PAGE_CACHE_REDIS_URL).flushdb()
    shutil.copyfile(migrated_database, tmp_path / "site.sqlite3")
    env = process_env(
        DJANGO_SETTINGS_MODULE="cms.settings.dev",
        SQLITE_PATH=tmp_path / "site.sqlite3",
        MEDIA_ROOT=tmp_path / "media",
        REDIS_URL=PAGE_CACHE_REDIS_URL,
        ALLOWED_HOSTS="news.example,127.0.0.1",
        BYLINE_BASE_URL="http://news.example",
        BYLINE_PAGE_CACHE="1",
    )
    processes = []
    try:
        pk, article, other = manage("shell", "-c", SEED, env=env).split()[-3:]
        servers = []
        for name in ("a", "b"):
            port = free_port()
            log = open(tmp_path / f"{name}.log", "wb")  # noqa: SIM115 - closed with the process
            process = subprocess.Popen(
                [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
                cwd=REPO,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            processes.append((process, log))
            base = f"http://127.0.0.1:{port}"
            wait_for_url(f"{base}/health/", timeout=120, process=process)
            servers.append(base)
        yield env, servers, int(pk), article, other
    finally:
        for process, log in processes:
            stop_process(process)
            log.close()
        redis.Redis.from_url(PAGE_CACHE_REDIS_URL).flushdb()


def get(base, path):
    response = requests.get(base + path, headers=HOST, timeout=30)
    assert response.status_code == 200, (base, path, response.status_code)
    return response.headers["X-Byline-Cache"], response.text


@pytest.mark.django_db
def test_a_change_published_elsewhere_is_served_fresh_by_every_process(site):
    env, (a, b), pk, article, other = site
    assert get(a, article)[0] == "miss"
    status, page = get(b, article)
    assert status == "hit"  # stored by the other process
    assert "Harbour reopens after the storm" in page
    assert [get(b, other)[0], get(a, other)[0]] == ["miss", "hit"]
    assert get(a, "/world/")[0] == "miss"

    manage("shell", "-c", PUBLISH.format(pk=pk), env=env)  # an editor, in a third process

    status, page = get(b, article)
    assert status == "miss"
    assert "Harbour fully reopens" in page and "after the storm" not in page
    assert get(a, article) == ("hit", page)  # what B stored after the change
    status, listing = get(a, "/world/")
    assert status == "miss" and "Harbour fully reopens" in listing
    assert get(a, other)[0] == "hit" and get(b, other)[0] == "hit"


COMMENT = """
from tests.comment_support import make_comment
from news.models import ArticlePage
comment = make_comment(ArticlePage.objects.get(pk={pk}), body="The ferry was on time.")
print(comment.pk)
"""

DELETE_COMMENT = """
from byline_comments.models import Comment
Comment.objects.get(pk={pk}).delete()
"""


@pytest.mark.django_db
def test_a_comment_deleted_elsewhere_is_gone_from_every_process(site):
    """A plugin event (after_discussion_change) in a third process reaches both."""
    env, (a, b), pk, article, other = site
    comment_pk = manage("shell", "-c", COMMENT.format(pk=pk), env=env).split()[-1]
    assert get(a, article)[0] == "miss"
    status, page = get(b, article)
    assert status == "hit" and "The ferry was on time." in page
    assert [get(a, other)[0], get(b, other)[0]] == ["miss", "hit"]

    manage("shell", "-c", DELETE_COMMENT.format(pk=comment_pk), env=env)

    for base in (a, b):
        status, page = get(base, article)
        assert "The ferry was on time." not in page, base
    assert get(a, other)[0] == "hit" and get(b, other)[0] == "hit"
