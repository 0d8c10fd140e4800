"""What the worker and the clock leave behind for others to read.

Both live in the database the site already has, so health checks, system
checks and several clocks agree without any other shared service.
"""

from django.db import models


class WorkerHeartbeat(models.Model):
    """A task worker process, seen alive at `last_seen` (updated every few seconds)."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    hostname = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    last_seen = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-last_seen"]

    def __str__(self):
        return f"worker {self.worker_id} on {self.hostname} (pid {self.pid})"


class ClockTick(models.Model):
    """One periodic job queued for one due time: the row that makes it happen once.

    Every clock process tries to insert the row; the unique constraint lets
    exactly one of them queue the task.
    """

    job = models.CharField(max_length=100)
    due_at = models.DateTimeField()
    queued_at = models.DateTimeField(auto_now_add=True, db_index=True)
    task_result_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-due_at"]
        constraints = [
            models.UniqueConstraint(fields=["job", "due_at"], name="one_tick_per_job_and_time")
        ]

    def __str__(self):
        return f"{self.job} due {self.due_at:%Y-%m-%d %H:%M}"
