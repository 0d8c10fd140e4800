"""Helpers for the runtime tests: the real database task queue and its worker.

Test settings run tasks inline; `task_queue` switches to django-tasks-db's
database backend (what dev and production use), and `run_worker()` runs the
real worker loop in this process until the queue is empty.
"""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from unittest import mock

REPO = Path(__file__).resolve().parent.parent
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def run_worker(worker_id="test-worker"):
    """Run every ready task with django-tasks-db's worker, then return.

    The worker closes "old" connections between tasks, which inside a test's
    transaction means the test's own connection; that is left to the test.
    """
    from django_tasks_db.management.commands import db_worker

    with mock.patch.object(db_worker, "close_old_connections", lambda: None):
        _worker(worker_id).run()


def _worker(worker_id):
    from django_tasks_db.management.commands.db_worker import Worker

    return Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    )


def task_results():
    from django_tasks_db.models import DBTaskResult

    return list(DBTaskResult.objects.order_by("enqueued_at"))


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def process_env(tmp_path, **extra):
    """Environment for a manage.py subprocess on its own SQLite file."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTEST")}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "cms.settings.dev",
            "SQLITE_PATH": str(tmp_path / "site.sqlite3"),
            "MEDIA_ROOT": str(tmp_path / "media"),
            "PYTHONUNBUFFERED": "1",
        }
    )
    # The Makefile exports the public address for `make run`; a test's server has its own.
    for inherited in ("DATABASE_URL", "BYLINE_BASE_URL"):
        env.pop(inherited, None)
    env.update(extra)
    return env


def manage(*args, env, timeout=120, check=True):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=check,
    )


def start(*args, env):
    return subprocess.Popen(
        [sys.executable, "manage.py", *args],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )


def wait_for(condition, timeout=30, interval=0.2, message="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {message}")
