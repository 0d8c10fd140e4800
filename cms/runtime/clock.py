"""The clock: queues each periodic job on the task framework when it is due.

Jobs are declared in one place, the `register_periodic_jobs` extension point
(core jobs in cms/runtime/wagtail_hooks.py, plugins' in theirs); their
crontabs are read with APScheduler's CronTrigger in the newsroom's
TIME_ZONE. The clock only queues; workers run.

Once a minute the clock calls `tick()`. A job is due when a crontab time has
come since its last run, so a job whose time passed while no clock ran (a
deploy, a crash, a suspended laptop) runs once when a clock is back, not
once per missed time. Any number of clocks may run: each run is claimed by
inserting a `ClockTick` row for the job and the minute, which a unique
constraint admits once, so a job fires once, not once per clock.
"""

import logging
import zoneinfo
from datetime import timedelta

from apscheduler.triggers.cron import CronTrigger
from django.conf import settings
from django.db import IntegrityError, close_old_connections, transaction
from django.db.models import Max
from django.db.utils import DatabaseError
from django.utils import timezone

from .models import ClockTick

logger = logging.getLogger("byline.runtime")

MINUTE = timedelta(minutes=1)


def periodic_jobs():
    from cms.plugins.registries import periodic_jobs as registry

    return registry.jobs()


def _minute(moment):
    return moment.replace(second=0, microsecond=0)


def is_due(job, now, last_run=None):
    """Whether `job` should run in the minute of `now`, given its last run's due time."""
    trigger = CronTrigger.from_crontab(job.schedule, timezone=zoneinfo.ZoneInfo(settings.TIME_ZONE))
    minute = _minute(now)
    if last_run is None:
        # Never ran: only at one of its own times, not as soon as a clock starts.
        return trigger.get_next_fire_time(None, minute) == minute
    next_due = trigger.get_next_fire_time(None, _minute(last_run) + MINUTE)
    return next_due is not None and next_due <= minute


def fire(job, minute):
    """Queue `job` for `minute` unless another clock did; the queued result's id, or None."""
    try:
        # One transaction: with the database queue, the tick and the task row
        # are written together or not at all.
        with transaction.atomic():
            tick = ClockTick.objects.create(job=job.name, due_at=minute)
            result = job.task.enqueue()
            tick.task_result_id = str(result.id)[:64]
            tick.save(update_fields=["task_result_id"])
    except IntegrityError:
        return None
    logger.debug("Queued periodic job %s for %s", job.name, minute.isoformat())
    return tick.task_result_id


def tick(now=None):
    """Queue every job that is due at `now`; returns the names of the jobs this clock queued."""
    now = now or timezone.now()
    minute = _minute(now)
    last_runs = _last_runs()
    queued = []
    for job in periodic_jobs():
        if is_due(job, now, last_runs.get(job.name)) and fire(job, minute) is not None:
            queued.append(job.name)
    return queued


def _last_runs():
    """{job name: due time of its newest tick}, in one query."""
    rows = ClockTick.objects.values("job").annotate(last=Max("due_at"))
    return {row["job"]: row["last"] for row in rows}


def run(stop):
    """Tick at the start of every minute until `stop` (a threading.Event) is set."""
    while not stop.is_set():
        close_old_connections()
        try:
            tick()
        except DatabaseError as exc:  # the database is away; the next minute tries again
            logger.error("The clock could not queue its jobs: %s", exc)
        now = timezone.now()
        stop.wait((_minute(now) + MINUTE - now).total_seconds() + 0.05)
