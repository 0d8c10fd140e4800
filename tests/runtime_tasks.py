"""Tasks for the worker tests: importable by a worker subprocess, harmless anywhere."""

import os
import time
from pathlib import Path

from django_tasks import task


@task()
def record_run(log_path, seconds=0.0, task_id=""):
    """Append "start" to the log, wait `seconds`, append "done": a task that can be interrupted.

    Only the first attempt waits, so a retried task finishes quickly.
    """
    log = Path(log_path)
    if log.exists() and f"task {task_id}" in log.read_text():
        seconds = 0
    with log.open("a") as handle:
        handle.write(f"start {os.getpid()} task {task_id}\n")
    time.sleep(seconds)
    with log.open("a") as handle:
        handle.write(f"done {os.getpid()}\n")
    return "done"
