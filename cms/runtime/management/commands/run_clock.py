"""`manage.py run_clock`: queue the periodic jobs when they are due (the clock process)."""

import signal
import threading

from django.core.management.base import BaseCommand

from ...clock import periodic_jobs, run


class Command(BaseCommand):
    help = "Queue periodic jobs on the task queue when due; a worker runs them (README: Runtime)."

    def handle(self, *args, **options):
        jobs = periodic_jobs()
        if not jobs:
            self.stdout.write("No periodic jobs are registered; nothing to do.")
            return
        for job in jobs:
            self.stdout.write(f"  {job.schedule:<14} {job.name}")
        stop = threading.Event()

        def request_stop(signum, frame):
            stop.set()

        signal.signal(signal.SIGTERM, request_stop)
        signal.signal(signal.SIGINT, request_stop)
        self.stdout.write(f"Clock running {len(jobs)} periodic jobs. Stop with Ctrl-C.")
        self.stdout.flush()
        run(stop)
        self.stdout.write("Clock stopped.")
