"""Byline scaled out, for real: the layout of README "Deployment" and docker-compose.yml.

Two production app servers (gunicorn with gunicorn.conf.py and the production
settings) on two loopback ports, two task workers and two clocks share one
PostgreSQL database, one Redis and one S3-compatible server (moto), and
nothing else. Through them:

- content published through app server A is served fresh by B, page and API,
  although B had it cached (both cache in the shared Redis);
- an image uploaded through A's API renders in an article served by B, its
  renditions stored in and served from the bucket;
- each of 50 queued tasks runs exactly once across the two workers;
- each periodic job fires once per due minute, not once per clock.

Needs PostgreSQL, Redis and moto (tests/services_support.py): skipped with the
reason where they are missing, an error in CI (.ci/run). Takes a minute or two,
most of it waiting for the clocks' next minute and migrating the database.
"""

import io
import re
import secrets
import shlex
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import pytest
import requests
from PIL import Image

from tests.services_support import (
    REDIS_URL,
    REPO,
    MotoServer,
    flush_redis,
    free_port,
    manage,
    process_env,
    require,
    stop_process,
    temporary_postgres_database,
    wait_for_url,
)

# The processes README "Deployment" lists, by name: {"web-a": "gunicorn --config ...", ...}.
PROCFILE = dict(
    line.split(":", 1)
    for line in (REPO / "Procfile.scaled").read_text().splitlines()
    if line.strip() and not line.startswith("#")
)
PROCFILE = {name.strip(): command.strip() for name, command in PROCFILE.items()}
# A load balancer terminates TLS and says so; the production settings trust that header.
THROUGH_THE_PROXY = {"X-Forwarded-Proto": "https"}
TASKS = 50

pytestmark = pytest.mark.scaled_out


class Cluster:
    """The processes of one scaled-out site and what they share."""

    def __init__(self, tmp, database_url, moto):
        self.tmp = tmp
        self.database_url = database_url
        self.moto = moto
        self.bucket = moto.create_public_bucket("byline-media")
        self.env = process_env(
            DJANGO_SETTINGS_MODULE="cms.settings.production",
            SECRET_KEY=secrets.token_urlsafe(64),
            ALLOWED_HOSTS="news.example.test,127.0.0.1,localhost",
            BYLINE_BASE_URL="https://news.example.test",
            DATABASE_URL=database_url,
            CONN_MAX_AGE=60,
            REDIS_URL=REDIS_URL,
            BYLINE_PAGE_CACHE="1",
            STATIC_ROOT=tmp / "static",
            WEB_CONCURRENCY=2,
            **moto.media_env(self.bucket),
        )
        self.processes = {}
        self.logs = {}

    def start(self, name, *command, **extra_env):
        log = open(self.tmp / f"{name}.log", "wb")  # noqa: SIM115 (closed in stop_all())
        self.logs[name] = log
        self.processes[name] = subprocess.Popen(
            command,
            cwd=REPO,
            env={**self.env, **{key: str(value) for key, value in extra_env.items()}},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        return self.processes[name]

    def start_from_procfile(self, name, **extra_env):
        """Start the Procfile.scaled line `name`, with this interpreter's python and gunicorn."""
        words = shlex.split(PROCFILE[name])
        program = {
            "python": sys.executable,
            "gunicorn": str(Path(sys.executable).parent / "gunicorn"),
        }
        return self.start(name, program.get(words[0], words[0]), *words[1:], **extra_env)

    def start_app_server(self, name):
        port = free_port()
        process = self.start_from_procfile(name, BIND=f"127.0.0.1:{port}")
        base = f"http://127.0.0.1:{port}"
        wait_for_url(f"{base}/health/", timeout=300, process=process, headers=THROUGH_THE_PROXY)
        return base

    def log(self, name):
        return (self.tmp / f"{name}.log").read_text(errors="replace")

    def stop_all(self):
        for process in self.processes.values():
            stop_process(process)
        for log in self.logs.values():
            log.close()

    def query(self, sql, *params):
        with psycopg.connect(self.database_url) as connection:
            return connection.execute(sql, params).fetchall()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    require("postgres", "redis", "s3")
    tmp = tmp_path_factory.mktemp("scaled_out")
    flush_redis()
    moto = MotoServer(tmp / "moto.log")
    try:
        with temporary_postgres_database("byline_scaled") as database_url:
            site = Cluster(tmp, database_url, moto)
            try:
                # Both at once, as a release step would run them.
                collect = site.start(
                    "collectstatic", sys.executable, "manage.py", "collectstatic", "--noinput"
                )
                manage("migrate", "--noinput", env=site.env)
                assert collect.wait(600) == 0, site.log("collectstatic")
                site.token = manage("shell", "-c", EDITOR_WITH_TOKEN, env=site.env).split()[-1]
                # The clocks first, so a minute turns while the rest of the test runs.
                site.clocks_started = datetime.now(UTC)
                for name in ("clock-1", "clock-2", "worker-1", "worker-2"):
                    site.start_from_procfile(name)
                site.a = site.start_app_server("web-a")
                site.b = site.start_app_server("web-b")
                yield site
            finally:
                site.stop_all()
    finally:
        moto.stop()
        flush_redis()


EDITOR_WITH_TOKEN = """
from django.contrib.auth import get_user_model
from wagtail.models import APIToken
editor = get_user_model().objects.create_superuser("editor", "editor@example.test", None)
print(APIToken.create_token(user=editor, name="scaled-out test")[1])
"""


def get(base, path, headers=None):
    headers = {**THROUGH_THE_PROXY, **(headers or {})}
    response = requests.get(base + path, headers=headers, timeout=30)
    assert response.status_code == 200, (base + path, response.status_code, response.text[:500])
    return response


def write(cluster, method, path, **kwargs):
    headers = {**THROUGH_THE_PROXY, "Authorization": f"Bearer {cluster.token}"}
    response = requests.request(
        method, cluster.a + path, headers=headers, timeout=60, allow_redirects=False, **kwargs
    )
    assert response.status_code in (200, 201), (path, response.status_code, response.text[:800])
    return response.json()


def home_page_id(base):
    return get(base, "/api/v2/pages/?type=home.HomePage").json()["items"][0]["id"]


@pytest.fixture(scope="module")
def article(cluster):
    """A section and an article, created and published through app server A."""
    section = write(
        cluster,
        "POST",
        "/api/v3/pages/",
        json={
            "meta": {
                "type": "news.NewsIndexPage",
                "parent_id": home_page_id(cluster.a),
                "action": "publish",
            },
            "title": "Harbour",
            "slug": "harbour",
        },
    )
    return write(
        cluster,
        "POST",
        "/api/v3/pages/",
        json={
            "meta": {"type": "news.ArticlePage", "parent_id": section["id"], "action": "publish"},
            "title": "Ferry timetable restored after the storm",
            "slug": "ferry-timetable-restored",
            "standfirst": "Crossings resume on Monday.",
            "body": [{"type": "paragraph", "value": "<p>The harbour master confirmed it.</p>"}],
        },
    )


def headline(html):
    match = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S)
    return re.sub(r"<[^>]+>|\s+", " ", match.group(1)).strip() if match else None


def test_every_process_shares_one_database_one_redis_and_one_bucket(cluster):
    # The layout README "Deployment" documents is the one running here, every line of it.
    assert set(PROCFILE) <= set(cluster.processes)
    assert all(cluster.processes[name].poll() is None for name in PROCFILE)
    for base in (cluster.a, cluster.b):
        health = get(base, "/health/").json()
        assert health["database"]["ok"] and health["cache"]["ok"], health
    # Both workers beat into the one database.
    workers = {row[0] for row in cluster.query("SELECT worker_id FROM runtime_workerheartbeat")}
    assert {"worker-1", "worker-2"} <= workers
    # A and B serve the same static files, with hashed names, from what was collected.
    css = re.search(r'href="(/static/[^"]+\.[0-9a-f]{12}\.css)"', get(cluster.b, "/").text)
    assert css, "the production site links hashed static file names"
    static = get(cluster.a, css.group(1), headers={"Accept-Encoding": "gzip"})
    assert "immutable" in static.headers["Cache-Control"]


def test_content_published_through_a_is_served_fresh_by_b(cluster, article):
    page_path = "/harbour/ferry-timetable-restored/"
    api_v2 = f"/api/v2/pages/{article['id']}/"
    api_v3 = f"/api/v3/pages/{article['id']}/"
    # B serves it (and caches the answers), twice over.
    for _ in range(2):
        assert (
            headline(get(cluster.b, page_path).text) == "Ferry timetable restored after the storm"
        )
        assert get(cluster.b, api_v2).json()["title"] == "Ferry timetable restored after the storm"
        assert get(cluster.b, api_v3).json()["standfirst"] == "Crossings resume on Monday."
    assert "Ferry timetable restored" in get(cluster.b, "/").text

    write(
        cluster,
        "PATCH",
        api_v3,
        json={
            "meta": {"action": "publish"},
            "title": "Ferry timetable cut again",
            "standfirst": "Crossings stop on Tuesday.",
        },
    )

    # The next reader of B gets the new version at once: both servers' caches were purged.
    page = get(cluster.b, page_path).text
    assert headline(page) == "Ferry timetable cut again"
    assert "Crossings stop on Tuesday." in page
    assert get(cluster.b, api_v2).json()["title"] == "Ferry timetable cut again"
    assert get(cluster.b, api_v3).json()["standfirst"] == "Crossings stop on Tuesday."
    home = get(cluster.b, "/").text
    assert "Ferry timetable cut again" in home and "Ferry timetable restored" not in home
    assert headline(get(cluster.a, page_path).text) == "Ferry timetable cut again"


def png(width, height, colour):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, "PNG")
    return buffer.getvalue()


def test_an_image_uploaded_through_a_renders_through_b_from_the_bucket(cluster, article):
    image = write(
        cluster,
        "POST",
        "/api/v3/images/",
        data={"title": "Harbour at dusk", "collection_id": "1"},
        files={"file": ("harbour-at-dusk.png", png(1600, 900, (30, 60, 120)), "image/png")},
    )
    original = image["meta"]["download_url"]
    assert original.startswith(f"{cluster.moto.endpoint}/{cluster.bucket}/original_images/")
    write(
        cluster,
        "PATCH",
        f"/api/v3/pages/{article['id']}/",
        json={
            "meta": {"action": "publish"},
            "body": [
                {"type": "paragraph", "value": "<p>The harbour at dusk.</p>"},
                {
                    "type": "image",
                    "value": {
                        "image": image["id"],
                        "caption": "",
                        "credit": "",
                        "alt_text": "Boats moored at dusk",
                        "alignment": "full",
                    },
                },
            ],
        },
    )

    page = get(cluster.b, "/harbour/ferry-timetable-restored/").text
    tag = re.search(r'<img [^>]*alt="Boats moored at dusk"[^>]*>', page)
    assert tag, "B's page shows the image uploaded through A"
    sources = re.findall(r"(https?://\S+?\.(?:jpg|png|webp))", tag.group(0))
    assert sources and all(
        src.startswith(f"{cluster.moto.endpoint}/{cluster.bucket}/images/") for src in sources
    ), sources
    for src in set(sources):
        rendition = requests.get(src, timeout=30)
        assert rendition.status_code == 200 and rendition.content[:3] == b"\xff\xd8\xff"
        width = int(re.search(r"width-(\d+)", src).group(1))
        assert Image.open(io.BytesIO(rendition.content)).width == min(width, 1600)
        assert "max-age" in rendition.headers["Cache-Control"]
    keys = cluster.moto.keys(cluster.bucket)
    assert f"original_images/{original.rsplit('/', 1)[1]}" in keys
    assert {src.split(f"/{cluster.bucket}/", 1)[1] for src in sources} <= set(keys)
    # Nothing was written to either app server's disk.
    assert not (REPO / "media" / "original_images" / original.rsplit("/", 1)[1]).exists()


ENQUEUE = """
import sys
from tests.runtime_tasks import record_run
for number in range({count}):
    record_run.enqueue({log!r}, seconds=0.05, task_id=str(number))
"""


def test_each_queued_task_runs_exactly_once_across_the_two_workers(cluster):
    log = cluster.tmp / "tasks.log"
    manage("shell", "-c", ENQUEUE.format(count=TASKS, log=str(log)), env=cluster.env)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        done = cluster.query(
            "SELECT count(*) FROM django_tasks_database_dbtaskresult "
            "WHERE task_path = 'tests.runtime_tasks.record_run' AND status = 'SUCCESSFUL'"
        )[0][0]
        if done == TASKS:
            break
        time.sleep(0.5)
    starts = [line.split() for line in log.read_text().splitlines() if line.startswith("start")]
    ids = sorted(int(words[3]) for words in starts)
    assert ids == list(range(TASKS)), "every task ran, none twice"
    rows = cluster.query(
        "SELECT worker_ids, status FROM django_tasks_database_dbtaskresult "
        "WHERE task_path = 'tests.runtime_tasks.record_run'"
    )
    assert len(rows) == TASKS and {status for _, status in rows} == {"SUCCESSFUL"}
    assert all(len(worker_ids) == 1 for worker_ids, _ in rows), "no task was picked up twice"
    assert {worker_ids[0] for worker_ids, _ in rows} == {"worker-1", "worker-2"}, (
        "both workers took tasks from the one queue"
    )


def test_periodic_jobs_fire_once_per_due_time_with_two_clocks(cluster):
    # Wait for the clocks' first tick, then for the minute after it: a clock
    # that starts just before a minute turns (a busy machine) first ticks in
    # the next one, so the wait counts from the first tick, not from the start.
    def publish_ticks():
        return cluster.query(
            "SELECT due_at, task_result_id FROM runtime_clocktick WHERE job = 'publish_scheduled'"
        )

    deadline = cluster.clocks_started + timedelta(minutes=3)
    ticks = []
    while len(ticks) < 2 and datetime.now(UTC) < deadline:
        assert all(cluster.processes[name].poll() is None for name in ("clock-1", "clock-2"))
        time.sleep(1)
        ticks = publish_ticks()
        if ticks:
            deadline = min(due for due, _ in ticks) + timedelta(minutes=1, seconds=30)
    # A few more seconds, in which a second clock's late claim of a minute would show.
    time.sleep(5)
    ticks = publish_ticks()
    minutes = sorted(due for due, _ in ticks)
    assert len(minutes) >= 2, minutes
    assert len(set(minutes)) == len(minutes), "one tick per due minute"
    assert all(b - a == timedelta(minutes=1) for a, b in zip(minutes, minutes[1:], strict=False))
    deadline = time.monotonic() + 30
    while True:
        runs = cluster.query(
            "SELECT id::text, status FROM django_tasks_database_dbtaskresult "
            "WHERE task_path = 'cms.runtime.tasks.publish_scheduled'"
        )
        if {status for _, status in runs} == {"SUCCESSFUL"} or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    # One queued run per tick, not one per clock, and each ran once.
    assert sorted(str(task_id) for _, task_id in ticks) == sorted(pk for pk, _ in runs)
    assert {status for _, status in runs} == {"SUCCESSFUL"}
    # Both clocks were alive and ticking all along.
    for name in ("clock-1", "clock-2"):
        assert cluster.processes[name].poll() is None, cluster.log(name)
