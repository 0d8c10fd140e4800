"""`manage.py run_all`: the whole site on one machine, for development (`make run`).

Starts the web server, a task worker and the clock as three processes with
their output interleaved (honcho, the Procfile runner), and stops all three
together on Ctrl-C or when any of them exits. Production runs the same three
roles separately (see the Procfile).
"""

import os
import shlex
import sys

from django.conf import settings
from django.core.management.base import BaseCommand
from honcho.manager import Manager


class Command(BaseCommand):
    help = "Run the web server, the task worker and the clock together; Ctrl-C stops all three."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args, addrport, **options):
        manage = [sys.executable, os.path.abspath(sys.argv[0])]
        env = dict(os.environ)
        # Absolute URLs follow the address served, unless a public address is set.
        env.setdefault("BYLINE_BASE_URL", f"http://{addrport}")
        env["PYTHONUNBUFFERED"] = "1"
        manager = Manager()
        for name, command in (
            ("web", [*manage, "runserver", addrport]),
            ("worker", [*manage, "run_worker"]),
            ("clock", [*manage, "run_clock"]),
        ):
            manager.add_process(name, shlex.join(command), env=env)
        self.stdout.write(
            f"Serving {env['BYLINE_BASE_URL']}/ with a task worker and the clock "
            f"({'debug' if settings.DEBUG else 'no debug'}). Ctrl-C stops all three."
        )
        manager.loop()
        sys.exit(manager.returncode or 0)
