"""System checks for background work."""

from datetime import timedelta

from django.core.checks import Warning, register
from django.db.utils import DatabaseError
from django.utils import timezone

# Tasks waiting longer than this with no worker alive are reported.
QUEUED_TOO_LONG = timedelta(minutes=2)


@register()
def check_worker_running(app_configs, **kwargs):
    """runtime.W001: tasks are waiting in the queue but no worker has been seen recently."""
    from .health import runs_in_worker

    if not runs_in_worker():
        return []
    from django_tasks_db.models import DBTaskResult

    from .worker import live_workers

    try:
        waiting = DBTaskResult.objects.ready().filter(
            enqueued_at__lt=timezone.now() - QUEUED_TOO_LONG
        )
        count = waiting.count()
        if not count or live_workers().exists():
            return []
    except DatabaseError:  # not migrated yet, or no database: nothing to say
        return []
    return [
        Warning(
            f"{count} background task(s) have waited over two minutes and no task worker "
            "has been seen recently.",
            hint="Start one with `python manage.py run_worker` (`make run` starts it for you).",
            id="runtime.W001",
        )
    ]
