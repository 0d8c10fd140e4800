"""The runtime: a database task queue, its worker and heartbeat, the clock and health."""

import re
import signal
import subprocess
import sys
import urllib.request
from datetime import datetime, timedelta
from unittest import mock

import pytest
import time_machine
from django.db import OperationalError, connection
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from wagtail.models import Revision

from cms.plugins.registries import PeriodicJobRegistry, PluginRegistrationError
from cms.runtime import clock
from cms.runtime.checks import check_worker_running
from cms.runtime.models import ClockTick, WorkerHeartbeat
from cms.runtime.worker import Heartbeat, requeue_orphaned_tasks
from news.models import ArticlePage
from tests.factories import make_article, make_author, make_section
from tests.mentions_support import _other_site_server, other_site
from tests.runtime_support import (
    free_port,
    manage,
    process_env,
    run_worker,
    start,
    task_results,
    wait_for,
)
from tests.runtime_tasks import record_run
from tests.test_admin import article_form

pytestmark = pytest.mark.django_db

__all__ = ["_other_site_server", "other_site"]  # fixtures

LONDON = timezone.get_fixed_timezone(0)


def at(text):
    """An aware datetime in UTC from 'YYYY-MM-DD HH:MM'."""
    return datetime.fromisoformat(text).replace(tzinfo=LONDON)


def events(log):
    """ "start"/"done" lines a record_run task wrote, in order."""
    return [line.split()[0] for line in log.read_text().splitlines()]


def job(name):
    return next(job for job in clock.periodic_jobs() if job.name == name)


# The clock --------------------------------------------------------------------------


def test_core_and_plugin_jobs_are_declared_in_one_registry():
    names = {job.name for job in clock.periodic_jobs()}
    assert {"publish_scheduled", "requeue_orphaned_tasks", "prune_runtime_records"} <= names
    assert "comments_erase_personal_data" in names


@pytest.mark.extension_point("register_periodic_jobs")
def test_periodic_job_registry_validates_what_it_is_given():
    registry = PeriodicJobRegistry()
    registry._loaded = True  # no hooks: only what this test registers
    registry.register("digest", record_run, schedule="0 7 * * *")
    with pytest.raises(PluginRegistrationError, match="already registered"):
        registry.register("digest", record_run, schedule="0 8 * * *")
    with pytest.raises(PluginRegistrationError, match="not a task"):
        registry.register("plain", print, schedule="* * * * *")
    with pytest.raises(PluginRegistrationError, match="crontab"):
        registry.register("nonsense", record_run, schedule="every tuesday")
    with pytest.raises(PluginRegistrationError, match="lower-case"):
        registry.register("Bad Name", record_run, schedule="* * * * *")
    assert [(job.name, job.schedule) for job in registry.jobs()] == [("digest", "0 7 * * *")]


def test_every_minute_job_is_due_each_minute_once():
    minutely = job("publish_scheduled")
    assert clock.is_due(minutely, at("2026-03-02 10:15"), last_run=None)
    assert not clock.is_due(minutely, at("2026-03-02 10:15:40"), last_run=at("2026-03-02 10:15"))
    assert clock.is_due(minutely, at("2026-03-02 10:16:01"), last_run=at("2026-03-02 10:15"))


def test_daily_job_waits_for_its_time_and_runs_a_missed_time_once():
    nightly = job("prune_runtime_records")  # 04:40 in TIME_ZONE (Europe/London, UTC in March)
    assert not clock.is_due(nightly, at("2026-03-02 10:15"), last_run=None)
    assert clock.is_due(nightly, at("2026-03-02 04:40"), last_run=None)
    assert not clock.is_due(nightly, at("2026-03-02 10:15"), last_run=at("2026-03-02 04:40"))
    # The clock was down at 04:40 on the 3rd and 4th: one run when it is back.
    assert clock.is_due(nightly, at("2026-03-04 09:00"), last_run=at("2026-03-02 04:40"))


def test_two_clocks_queue_a_job_once_per_due_time(task_queue):
    minutely = job("requeue_orphaned_tasks")
    minute = at("2026-03-02 10:15")
    first = clock.fire(minutely, minute)
    second = clock.fire(minutely, minute)
    assert first is not None and second is None
    assert ClockTick.objects.filter(job="requeue_orphaned_tasks").count() == 1
    queued = task_results()
    assert [result.task_path for result in queued] == ["cms.runtime.tasks.requeue_orphaned_tasks"]
    assert str(queued[0].pk) == first


def test_tick_queues_due_jobs_and_not_again_in_the_same_minute(task_queue):
    with time_machine.travel(at("2026-03-02 04:40:05"), tick=False):
        first = clock.tick()
        again = clock.tick()
    assert {"publish_scheduled", "requeue_orphaned_tasks", "prune_runtime_records"} <= set(first)
    assert "comments_erase_personal_data" not in first  # 03:15 only
    assert again == []
    assert len(task_results()) == len(first)


# The worker -------------------------------------------------------------------------


def test_worker_runs_queued_tasks_and_records_results(task_queue, tmp_path):
    log = tmp_path / "runs.log"
    result = record_run.enqueue(str(log))
    assert DBTaskResult.objects.get(pk=result.id).status == "READY"
    run_worker()
    stored = DBTaskResult.objects.get(pk=result.id)
    assert stored.status == "SUCCESSFUL"
    assert stored.return_value == "done"
    assert events(log) == ["start", "done"]


def test_heartbeat_marks_a_worker_alive_and_clean_stop_forgets_it():
    heartbeat = Heartbeat("hb-1")
    heartbeat.beat()
    row = WorkerHeartbeat.objects.get(worker_id="hb-1")
    assert timezone.now() - row.last_seen < timedelta(seconds=5)
    heartbeat.stop()
    assert not WorkerHeartbeat.objects.filter(worker_id="hb-1").exists()


def test_a_task_left_running_by_a_dead_worker_is_queued_again_and_runs_once(task_queue, tmp_path):
    log = tmp_path / "runs.log"
    result = record_run.enqueue(str(log))
    stored = DBTaskResult.objects.get(pk=result.id)
    stored.claim("dead-worker")  # the worker took it, then died without a word
    Heartbeat("dead-worker").beat()
    with time_machine.travel(timezone.now() + timedelta(seconds=30)):
        assert requeue_orphaned_tasks() == []  # its heartbeat is still fresh
    with time_machine.travel(timezone.now() + timedelta(minutes=5)):
        assert requeue_orphaned_tasks() == [str(result.id)]
    run_worker("second-worker")
    stored.refresh_from_db()
    assert stored.status == "SUCCESSFUL"
    assert stored.worker_ids == ["dead-worker", "second-worker"]
    assert events(log) == ["start", "done"]


def test_a_running_task_of_a_live_worker_is_left_alone(task_queue, tmp_path):
    result = record_run.enqueue(str(tmp_path / "runs.log"))
    DBTaskResult.objects.get(pk=result.id).claim("busy-worker")
    with time_machine.travel(timezone.now() + timedelta(minutes=10)):
        Heartbeat("busy-worker").beat()  # still beating during a long task
        assert requeue_orphaned_tasks() == []
    assert DBTaskResult.objects.get(pk=result.id).status == "RUNNING"


# Time takes effect: the admin's schedule, the clock and the worker -------------------


def test_article_scheduled_in_the_admin_goes_live_through_clock_and_worker_alone(
    task_queue, admin_client, client
):
    section = make_section("Coast")
    author = make_author("Nia Berg")
    go_live = timezone.now().replace(second=0, microsecond=0) + timedelta(hours=2)
    data = article_form(
        author,
        go_live_at=timezone.localtime(go_live).strftime("%Y-%m-%d %H:%M"),
        publication_date=timezone.localtime(go_live).strftime("%Y-%m-%d %H:%M"),
    )
    data["action-publish"] = "Publish"
    url = reverse("wagtailadmin_pages:add", args=("news", "articlepage", section.pk))
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content[:3000]

    article = ArticlePage.objects.get(slug="ferry-timetable-changes")
    assert not article.live
    assert (
        Revision.page_revisions.filter(object_id=str(article.pk))
        .exclude(approved_go_live_at=None)
        .get()
        .approved_go_live_at
        == go_live
    )
    path = "/coast/ferry-timetable-changes/"
    api = f"/api/v2/articles/{article.pk}/"
    assert client.get(path).status_code == 404
    assert client.get(api).status_code == 404

    # A minute before: the clock ticks, the worker runs the job, nothing changes.
    with time_machine.travel(go_live - timedelta(minutes=1), tick=False):
        assert "publish_scheduled" in clock.tick()
        run_worker()
        assert client.get(path).status_code == 404

    # On the minute: the clock queues the job, the worker publishes the article.
    with time_machine.travel(go_live + timedelta(seconds=2), tick=False):
        assert "publish_scheduled" in clock.tick()
        run_worker()
        article.refresh_from_db()
        assert article.live
        page = client.get(path)
        assert page.status_code == 200
        assert b"Ferry timetable changes" in page.content
        listing = client.get("/api/v2/articles/").json()
        assert [item["id"] for item in listing["items"]] == [article.pk]
        assert client.get(api).json()["title"] == "Ferry timetable changes"
    results = DBTaskResult.objects.filter(task_path="cms.runtime.tasks.publish_scheduled")
    assert set(results.values_list("status", flat=True)) == {"SUCCESSFUL"}


# Health and checks ------------------------------------------------------------------


def test_health_reports_database_cache_and_background_work(task_queue, client):
    answer = client.get("/health/")
    assert answer.status_code == 200
    body = answer.json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] and body["cache"]["ok"]
    assert body["worker"] == {
        "ok": False,
        "live_workers": 0,
        "last_seen_seconds_ago": None,
        "stale_after_seconds": 60,
    }
    assert "no-cache" in answer["Cache-Control"]
    # No worker and no clock yet: the worker endpoint says so.
    assert client.get("/health/worker/").status_code == 503

    Heartbeat("w1").beat()
    clock.fire(job("requeue_orphaned_tasks"), timezone.now().replace(second=0, microsecond=0))
    worker = client.get("/health/worker/")
    assert worker.status_code == 200
    assert worker.json()["worker"]["live_workers"] == 1
    assert worker.json()["clock"]["ok"] is True


def test_health_answers_503_when_the_database_is_down(client):
    with mock.patch.object(
        connection, "ensure_connection", side_effect=OperationalError("connection refused")
    ):
        answer = client.get("/health/")
    assert answer.status_code == 503
    body = answer.json()
    assert body["status"] == "unavailable"
    assert body["database"] == {
        "ok": False,
        "ms": body["database"]["ms"],
        "error": "OperationalError",
    }
    assert body["cache"]["ok"] is True


@pytest.mark.own_database
def test_health_answers_503_from_a_process_whose_database_is_unreachable(tmp_path):
    env = process_env(tmp_path, DATABASE_URL=f"postgres://postgres@127.0.0.1:{free_port()}/gone")
    script = (
        "from django.test import Client; r = Client(HTTP_HOST='127.0.0.1').get('/health/'); "
        "print(r.status_code, r.json()['database'])"
    )
    done = manage("shell", "-c", script, env=env, timeout=60)
    assert done.stdout.strip().splitlines()[-1].startswith("503 {'ok': False")
    assert "OperationalError" in done.stdout


def test_check_warns_when_tasks_wait_and_no_worker_is_seen(task_queue, tmp_path):
    record_run.enqueue(str(tmp_path / "runs.log"))
    assert check_worker_running(None) == []  # just queued
    with time_machine.travel(timezone.now() + timedelta(minutes=5)):
        warnings = check_worker_running(None)
        assert [warning.id for warning in warnings] == ["runtime.W001"]
        assert "run_worker" in warnings[0].hint
        Heartbeat("w2").beat()
        assert check_worker_running(None) == []


# Processes: run_all, and a worker killed mid-task -----------------------------------


@pytest.mark.own_database
def test_run_all_serves_works_and_stops_all_three_together(tmp_path):
    env = process_env(tmp_path)
    manage("migrate", "--noinput", "-v", "0", env=env)
    port = free_port()
    process = start("run_all", f"127.0.0.1:{port}", env=env)
    try:

        def worker_seen():
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health/", timeout=2) as r:
                    return b'"live_workers": 1' in r.read()
            except OSError:
                return False

        wait_for(worker_seen, timeout=60, message="the site and a worker")
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode is not None
    for name in ("web", "worker", "clock"):
        assert f"{name} started" in output
        assert f"{name} stopped" in output
    assert f"Serving http://127.0.0.1:{port}/" in output
    assert "Clock running" in output


@pytest.mark.own_database
def test_tasks_survive_a_killed_worker_and_complete_once(tmp_path):
    env = process_env(tmp_path, BYLINE_WORKER_STALE_AFTER="2")
    manage("migrate", "--noinput", "-v", "0", env=env)
    log = tmp_path / "runs.log"
    enqueue = (
        "from tests.runtime_tasks import record_run; "
        f"[record_run.enqueue({str(log)!r}, seconds=s, task_id=str(n)) "
        "for n, s in enumerate((30, 0, 0))]"
    )
    manage("shell", "-c", enqueue, env=env)
    worker = start("run_worker", "--no-reload", "--no-startup-delay", "--interval", "0.2", env=env)
    try:
        wait_for(lambda: log.exists() and "start" in log.read_text(), message="the first task")
        worker.kill()  # SIGKILL: no chance to finish or clean up
        worker.wait(timeout=10)
    finally:
        if worker.poll() is None:
            worker.kill()
    assert events(log) == ["start"]

    # A new worker, after the dead one's heartbeat went stale, runs everything.
    import time

    time.sleep(3)
    survivor = start("run_worker", "--no-reload", "--no-startup-delay", "--batch", env=env)
    output, _ = survivor.communicate(timeout=90)
    assert survivor.returncode == 0, output
    assert "Queued again 1 task(s)" in output
    lines = events(log)
    assert lines.count("done") == 3  # the interrupted task and the two waiting ones
    assert lines.count("start") == 4  # the interrupted one started twice, finished once
    statuses = manage(
        "shell",
        "-c",
        "from django_tasks_db.models import DBTaskResult as R; "
        "print(sorted(R.objects.values_list('status', flat=True)))",
        env=env,
    ).stdout
    assert "['SUCCESSFUL', 'SUCCESSFUL', 'SUCCESSFUL']" in statuses


@pytest.mark.own_database
def test_the_worker_command_is_on_the_path_of_a_fresh_process():
    done = subprocess.run(
        [sys.executable, "manage.py", "help", "run_worker"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert "heartbeat" in done.stdout


def test_a_due_scheduled_article_is_published_by_the_first_reader_without_a_worker(
    task_queue, admin_client, client
):
    section = make_section("Coast")
    author = make_author("Nia Berg")
    go_live = timezone.now().replace(second=0, microsecond=0) + timedelta(hours=3)
    data = article_form(author, go_live_at=timezone.localtime(go_live).strftime("%Y-%m-%d %H:%M"))
    data["action-publish"] = "Publish"
    url = reverse("wagtailadmin_pages:add", args=("news", "articlepage", section.pk))
    assert admin_client.post(url, data).status_code == 302
    path = "/coast/ferry-timetable-changes/"
    assert client.get(path).status_code == 404
    assert client.get("/").status_code == 200

    # Due, and no clock or worker ran: the reader's request publishes it first.
    with time_machine.travel(go_live + timedelta(seconds=1), tick=False):
        home = client.get("/")
        assert b"Ferry timetable changes" in home.content
        assert client.get(path).status_code == 200
    assert ArticlePage.objects.get(slug="ferry-timetable-changes").live
    assert DBTaskResult.objects.filter(task_path="cms.runtime.tasks.publish_scheduled").count() == 0


@pytest.mark.own_database
def test_production_settings_serve_pages_with_the_static_files_make_run_collected(tmp_path):
    static_root = str(tmp_path / "static")
    env = process_env(tmp_path, STATIC_ROOT=static_root)
    manage("migrate", "--noinput", "-v", "0", env=env)
    manage("collectstatic", "--noinput", "-v", "0", env=env)  # as `make run` does
    production = process_env(
        tmp_path,
        STATIC_ROOT=static_root,
        DJANGO_SETTINGS_MODULE="cms.settings.production",
        SECRET_KEY="x" * 60,
        ALLOWED_HOSTS="news.example",
        BYLINE_BASE_URL="https://news.example",
        SECURE_SSL_REDIRECT="false",
    )
    script = (
        "from django.test import Client; "
        "r = Client(HTTP_HOST='news.example').get('/'); "
        "import re; print(r.status_code, re.findall(r'/static/css/[^\"]+', r.text))"
    )
    done = manage("shell", "-c", script, env=production)
    status, _, stylesheets = done.stdout.strip().splitlines()[-1].partition(" ")
    assert status == "200", done.stdout + done.stderr
    # Hashed names from the manifest, which whitenoise can serve with a long max-age.
    assert re.search(r"/static/css/[a-z-]+\.[0-9a-f]{12}\.css", stylesheets), stylesheets


def test_mentions_are_delivered_on_publish_by_the_worker(
    task_queue, other_site, django_capture_on_commit_callbacks
):
    from byline_mentions.models import SentMention

    other_site.expect_request("/linked", method="GET").respond_with_data(
        "<html><body>A page.</body></html>",
        content_type="text/html",
        headers={"Link": '</wm>; rel="webmention"'},
    )
    other_site.expect_request("/wm", method="POST").respond_with_data("", status=202)
    target = other_site.url_for("/linked")
    with django_capture_on_commit_callbacks(execute=True):
        article = make_article(
            make_section("Coast"),
            authors=[make_author("Nia Berg")],
            body=[("paragraph", f'<p>As <a href="{target}">reported elsewhere</a>.</p>')],
        )
    assert other_site.log == []  # publishing only queued the work
    assert task_results()[-1].task_path == "byline_mentions.tasks.send_article_mentions"

    run_worker()
    posts = [request for request, _ in other_site.log if request.path == "/wm"]
    assert len(posts) == 1
    assert posts[0].form["target"] == target
    assert posts[0].form["source"] == article.full_url
    mention = SentMention.objects.get(article=article)
    assert (mention.status, mention.response_status) == ("sent", 202)
    assert {result.status for result in task_results()} == {"SUCCESSFUL"}
