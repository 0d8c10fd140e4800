"""Backup and restore (README "Deployment"): `manage.py backup` then `manage.py restore`
into a fresh site gives back the same site, page for page and API answer for API answer.

The demo site (with its images) is built in an SQLite file with local media, backed
up, and restored into a new SQLite file with a new media folder; and, where
PostgreSQL and moto are available, into a new PostgreSQL database with media in an
empty S3 bucket: moving a one-machine site to the scaled-out layout. Each site is
read through Django's test client in its own process; the answers are compared
with CSRF tokens and request ids blanked, and the restored bucket's media address
read as the local one.
"""

import json
import re

import pytest

from tests.services_support import (
    MotoServer,
    manage,
    process_env,
    require,
    temporary_postgres_database,
)

# Small pictures, as in tests/demo_support.py: renditions are the slow part.
LOAD_SMALL_DEMO = """
from django.core.management import call_command
from news.demo import images
images.ILLUSTRATION_SIZE = (320, 180)
images.PORTRAIT_SIZE = 200
call_command("load_demo_content")
"""

# Every live page, the listings and details of both APIs, feeds, sitemap and search,
# read with the test client: {path: [status, content type, body]}.
READ_THE_SITE = """
import json
from django.test import Client
from wagtail.models import Page
from news.models import ArticlePage

client = Client()
paths = sorted(page.url for page in Page.objects.live().specific() if page.url)
paths += ["/feed/", "/sitemap.xml", "/search/?q=harbour", "/authors/"]
paths += ["/api/v2/pages/?limit=50", "/api/v2/images/?limit=50", "/api/v3/pages/?limit=50"]
for article in ArticlePage.objects.live().order_by("pk")[:8]:
    paths += [f"/api/v2/pages/{article.pk}/", f"/api/v3/pages/{article.pk}/"]
answers = {}
for path in paths:
    response = client.get(path)
    answers[path] = [response.status_code, response["Content-Type"], response.content.decode()]
print("ANSWERS" + json.dumps(answers))
"""

NOISE = [
    (
        re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"'),
        'name="csrfmiddlewaretoken" value=""',
    ),
    (re.compile(r"[0-9a-f]{32}"), "<request-id>"),
    # Signed, timestamped form tokens (the comment form's): "payload:time:signature".
    (re.compile(r'value="[\w.-]+:[\w-]+:[\w-]+"'), 'value="<signed>"'),
]


def read_the_site(env):
    output = manage("shell", "-c", READ_THE_SITE, env=env)
    answers = json.loads(output.split("ANSWERS", 1)[1])
    assert len(answers) > 40, "the demo site has more pages than that"
    return answers


def normalised(answers, media_url=None):
    result = {}
    for path, (status, content_type, body) in answers.items():
        # Local media URLs are relative in pages and absolute in the APIs; a bucket's are
        # absolute everywhere.
        body = body.replace("http://testserver/media/", "/media/")
        if media_url:
            body = body.replace(media_url, "/media/")
        for pattern, replacement in NOISE:
            body = pattern.sub(replacement, body)
        result[path] = [status, content_type, body]
    return result


def assert_same_site(original, restored):
    assert sorted(restored) == sorted(original)
    for path in original:
        assert restored[path][:2] == original[path][:2], path
        if original[path][1].startswith("application/json"):
            assert json.loads(restored[path][2]) == json.loads(original[path][2]), path
        else:
            assert restored[path][2] == original[path][2], path


def site_env(tmp, name, **settings):
    return process_env(
        DJANGO_SETTINGS_MODULE="tests.process_settings",
        DEBUG="false",
        ALLOWED_HOSTS="testserver",
        BYLINE_BASE_URL="http://testserver",
        SQLITE_PATH=tmp / f"{name}.sqlite3",
        MEDIA_ROOT=tmp / f"{name}-media",
        **settings,
    )


@pytest.fixture(scope="module")
def original(tmp_path_factory):
    """The demo site, its answers, and a backup of it."""
    tmp = tmp_path_factory.mktemp("backup")
    env = site_env(tmp, "original")
    manage("migrate", "--noinput", env=env)
    manage("shell", "-c", LOAD_SMALL_DEMO, env=env)
    # Read first: pages make the renditions they lack, and those are backed up too.
    answers = read_the_site(env)
    output = manage("backup", "--output", str(tmp / "backup"), env=env)
    assert re.search(r"Backed up \d+ objects and \d+ media files", output), output
    manifest = json.loads((tmp / "backup" / "manifest.json").read_text())
    return {"tmp": tmp, "env": env, "answers": answers, "manifest": manifest}


def test_the_backup_holds_the_content_and_every_media_file(original):
    manifest = original["manifest"]
    media = original["tmp"] / "original-media"
    files = [path for path in media.rglob("*") if path.is_file()]
    assert manifest["media_files"] == len(files) > 37  # originals and renditions
    assert manifest["media_bytes"] == sum(path.stat().st_size for path in files)
    assert manifest["database_vendor"] == "sqlite"
    assert "0001_initial" in manifest["migrations"]["news"]


def test_restore_into_a_fresh_sqlite_file_gives_the_same_site(original):
    tmp = original["tmp"]
    env = site_env(tmp, "restored")
    output = manage("restore", str(tmp / "backup"), env=env)
    assert "Restored" in output and "media files" in output
    assert_same_site(normalised(original["answers"]), normalised(read_the_site(env)))
    restored = sorted(p.name for p in (tmp / "restored-media").rglob("*") if p.is_file())
    assert restored == sorted(p.name for p in (tmp / "original-media").rglob("*") if p.is_file())


def test_restore_refuses_a_site_that_is_not_empty(original):
    output = None
    with pytest.raises(AssertionError) as refused:
        output = manage("restore", str(original["tmp"] / "backup"), env=original["env"])
    assert output is None
    assert "restore into an empty database, or pass --replace" in str(refused.value)


def test_backup_refuses_a_directory_that_is_not_empty(original):
    with pytest.raises(AssertionError) as refused:
        manage("backup", "--output", str(original["tmp"] / "backup"), env=original["env"])
    assert "is not empty; give a new or empty directory" in str(refused.value)


def test_restore_of_something_that_is_not_a_backup_says_so(original, tmp_path):
    with pytest.raises(AssertionError) as refused:
        manage("restore", str(tmp_path), env=site_env(tmp_path, "nothing"))
    assert "is not a Byline backup (missing manifest.json" in str(refused.value)


@pytest.mark.scaled_out
def test_restore_into_postgresql_and_an_empty_bucket_gives_the_same_site(original):
    require("postgres", "s3")
    tmp = original["tmp"]
    moto = MotoServer(tmp / "moto.log")
    try:
        bucket = moto.create_public_bucket("restored-media")
        with temporary_postgres_database("byline_restore") as database_url:
            env = site_env(tmp, "postgres", DATABASE_URL=database_url, **moto.media_env(bucket))
            manage("restore", str(tmp / "backup"), env=env)
            answers = read_the_site(env)
            media_url = f"http://127.0.0.1:{moto.port}/{bucket}/"
            assert any(media_url in body for _, _, body in answers.values())
            # Search ranks with SQLite's bm25() there and PostgreSQL's ts_rank() here: the
            # same articles match, in another order. Everything else is the same.
            search = "/search/?q=harbour"
            found = set(re.findall(r'href="(/[\w-]+/[\w-]+/)"', answers[search][2]))
            before = set(re.findall(r'href="(/[\w-]+/[\w-]+/)"', original["answers"][search][2]))
            assert answers[search][0] == 200 and found & before
            original_answers = {k: v for k, v in original["answers"].items() if k != search}
            answers.pop(search)
            assert_same_site(normalised(original_answers), normalised(answers, media_url))
            assert len(moto.keys(bucket)) == original["manifest"]["media_files"]
    finally:
        moto.stop()
