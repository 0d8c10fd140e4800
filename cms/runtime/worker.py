"""The task worker: django-tasks-db's worker plus a heartbeat.

The heartbeat (a row per worker process, touched every few seconds from a
thread, also while a long task runs) lets others tell a live worker from a
dead one: the health endpoint and `manage.py check` report whether any
worker is running, and `requeue_orphaned_tasks` puts back in the queue the
tasks a killed worker was running, so they complete after all.
"""

import contextlib
import logging
import os
import socket
import threading
from datetime import timedelta

from django.conf import settings
from django.db import close_old_connections, connection
from django.db.utils import DatabaseError
from django.utils import timezone

from .models import WorkerHeartbeat

logger = logging.getLogger("byline.runtime")

HEARTBEAT_INTERVAL = 5  # seconds; well under BYLINE_WORKER_STALE_AFTER


def stale_before():
    """Heartbeats older than this belong to workers that are gone."""
    return timezone.now() - timedelta(seconds=settings.BYLINE_WORKER_STALE_AFTER)


def live_workers():
    return WorkerHeartbeat.objects.filter(last_seen__gte=stale_before())


def last_heartbeat():
    """The newest heartbeat of any worker, or None if none was ever seen."""
    return WorkerHeartbeat.objects.order_by("-last_seen").first()


class Heartbeat(threading.Thread):
    """Touches this worker's row until stopped."""

    def __init__(self, worker_id, interval=HEARTBEAT_INTERVAL):
        super().__init__(name=f"heartbeat-{worker_id}", daemon=True)
        self.worker_id = worker_id
        self.interval = interval
        self.stopped = threading.Event()

    def beat(self):
        now = timezone.now()
        WorkerHeartbeat.objects.update_or_create(
            worker_id=self.worker_id,
            defaults={"last_seen": now},
            create_defaults={
                "hostname": socket.gethostname()[:255],
                "pid": os.getpid(),
                "started_at": now,
                "last_seen": now,
            },
        )

    def run(self):
        try:
            while not self.stopped.is_set():
                try:
                    close_old_connections()
                    self.beat()
                except DatabaseError as exc:  # the database is down: keep trying
                    logger.warning("Worker heartbeat not recorded: %s", exc)
                self.stopped.wait(self.interval)
        finally:
            connection.close()

    def stop(self):
        self.stopped.set()
        with contextlib.suppress(DatabaseError):
            WorkerHeartbeat.objects.filter(worker_id=self.worker_id).delete()


def requeue_orphaned_tasks():
    """Queue again the tasks that workers which stopped beating were running.

    A worker killed mid-task (out of memory, power, SIGKILL) leaves its task
    marked running for ever. Once the worker's heartbeat is stale, the task
    is made ready again and another worker runs it. Tasks are written to be
    safe to run twice; this is what makes "interrupted" end in "done once".
    Returns the ids queued again.
    """
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    alive = set(live_workers().values_list("worker_id", flat=True))
    orphaned = []
    running = DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING, started_at__lt=stale_before()
    )
    for result in running.only("id", "worker_ids"):
        if not result.worker_ids or result.worker_ids[-1] not in alive:
            orphaned.append(result.id)
    if orphaned:
        # Conditional on still running, so a task that finished meanwhile stays finished.
        DBTaskResult.objects.filter(pk__in=orphaned, status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.READY, started_at=None
        )
        logger.warning("Queued again %d task(s) a stopped worker left running", len(orphaned))
    WorkerHeartbeat.objects.filter(last_seen__lt=timezone.now() - timedelta(days=1)).delete()
    return [str(pk) for pk in orphaned]
