"""Core periodic work, queued by the clock (see wagtail_hooks.py for the schedule)."""

import io
import logging
from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone
from django_tasks import task

logger = logging.getLogger("byline.runtime")


@task()
def publish_scheduled():
    """Publish revisions whose go-live time has come and unpublish expired pages and snippets.

    Wagtail's own `publish_scheduled` command, so its signals fire as when an
    editor publishes (plugin events, mentions, search index). Reader surfaces
    already hide expired content at read time; this catches the state up.
    """
    output = io.StringIO()
    call_command("publish_scheduled", stdout=output)
    return output.getvalue().strip()


@task()
def requeue_orphaned_tasks():
    """Put back in the queue tasks that workers which stopped beating were running."""
    from .worker import requeue_orphaned_tasks as requeue

    return len(requeue())


@task()
def prune_runtime_records():
    """Forget finished task results after a week and clock ticks after two days."""
    from django_tasks import default_task_backend
    from django_tasks_db import DatabaseBackend

    from .models import ClockTick

    deleted, _ = ClockTick.objects.filter(queued_at__lt=timezone.now() - timedelta(days=2)).delete()
    if isinstance(default_task_backend, DatabaseBackend):
        call_command("prune_db_task_results", min_age_days=7, queue_name="*", verbosity=0)
    return deleted
