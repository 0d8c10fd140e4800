"""`manage.py run_worker`: run queued background tasks (the worker process).

django-tasks-db's `db_worker` with a heartbeat, and with tasks a dead worker
left running put back in the queue as it starts. Stop it with Ctrl-C or
SIGTERM: the task in hand finishes first.
"""

import os

from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands import db_worker

from ...worker import Heartbeat, requeue_orphaned_tasks


class Command(db_worker.Command):
    help = "Run queued background tasks, with a heartbeat (see README: Runtime)."

    def handle(self, *args, **options):
        if options.get("reload") and os.environ.get(DJANGO_AUTORELOAD_ENV) != "true":
            # The reloader's parent only watches files; its child runs the worker and beats.
            return super().handle(*args, **options)
        requeued = requeue_orphaned_tasks()
        if requeued:
            self.stdout.write(f"Queued again {len(requeued)} task(s) a stopped worker left.")
        heartbeat = Heartbeat(options["worker_id"])
        heartbeat.beat()
        heartbeat.start()
        try:
            return super().handle(*args, **options)
        finally:
            heartbeat.stop()
