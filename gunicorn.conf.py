"""Gunicorn, the production web server: `gunicorn -c gunicorn.conf.py cms.wsgi`.

The settings that differ between hosts come from the environment (README
"Configuration" and "Observability"), so one image serves any host or platform.
"""

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent


def _cores():
    # CPUs this process may run on, which in a container can be fewer than the machine's.
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


# Platforms (Heroku, Fly, Render, Cloud Run...) say which port to listen on in PORT;
# BIND overrides it entirely (e.g. "unix:/run/byline.sock" behind nginx).
bind = os.environ.get("BIND") or f"0.0.0.0:{os.environ.get('PORT', '8000')}"

# Sync workers, one request each: the classic 2 x cores + 1 keeps the CPUs busy while
# some workers wait on the database. Capped because each worker holds a whole copy of
# the app in memory and SQLite gains nothing from more concurrent writers.
workers = int(os.environ.get("WEB_CONCURRENCY") or min(2 * _cores() + 1, 8))

# A request still running after 30 s is stuck (no page takes that long); the worker is
# restarted so it cannot hold a slot forever. Proxies usually give up around then too.
timeout = 30
# On a restart or deploy, requests in flight get this long to finish before workers stop.
graceful_timeout = 30

# Recycle each worker after this many requests, so a slow leak cannot grow without
# bound; the jitter keeps all workers from restarting at the same moment.
max_requests = 1000
max_requests_jitter = 100

# Logs belong to the platform: the access log on stdout, gunicorn's own messages
# (worker boots, timeouts, crashes) on stderr next to the app's JSON lines.
accesslog = "-"
errorlog = "-"
loglevel = "info"
# The default access log format includes the client's IP address, the query string
# and the referrer; this one has the path, status, size, duration and the request id
# that the app's log lines and Sentry events carry, for joining them up.
access_log_format = '%(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms %({x-request-id}o)s'

# The addresses whose X-Forwarded-* headers gunicorn believes (whether the request came
# over https, and from whom): the proxy in front of it, nobody else. "*" only when
# nothing but that proxy can reach gunicorn (e.g. a platform router on a private network).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")


def on_starting(server):
    """Refuse to start when Django's system checks report an error.

    A misconfigured production server then stops at deploy time with the reason,
    instead of serving wrong pages or insecure responses. The checks run in a separate
    interpreter because importing Django into the master process would make every
    worker inherit that code (a HUP would no longer load new code) and any database
    connection the checks opened.
    """
    env = {"DJANGO_SETTINGS_MODULE": "cms.settings.production", **os.environ}
    result = subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "ERROR"],
        cwd=REPO,
        env=env,
    )
    if result.returncode != 0:
        if server.pidfile is not None:
            server.pidfile.unlink()
        # gunicorn prints a RuntimeError as "Error: ..." and exits with status 1.
        raise RuntimeError("Django's system checks failed (above); not starting.")


def post_worker_init(worker):
    """Warm each new worker up (URLconf, templates, API schemas) before it accepts traffic,
    then take what it holds for good out of the garbage collector's way.

    Without it a fresh worker's first readers wait 1.5-2.5 s while it imports and
    compiles what the first requests need (cms/warmup.py). BYLINE_WARM_UP=0 skips it.
    """
    if os.environ.get("BYLINE_WARM_UP", "1") == "0":
        return
    from cms.warmup import settle_garbage_collector, warm_up

    warm_up(worker.wsgi)
    settle_garbage_collector()
