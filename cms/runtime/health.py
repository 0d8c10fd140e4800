"""Health endpoints for load balancers and monitoring.

`/health/` answers 503 when this app server cannot serve (database or cache
unreachable) and 200 otherwise, reporting the worker and clock as well.
`/health/worker/` answers 503 when background work is not being done: no
worker heartbeat, or no clock tick, within the allowed time. Both are JSON,
never cached, and carry no personal data.
"""

import time
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.utils import DatabaseError
from django.http import JsonResponse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.crypto import get_random_string
from django.views.decorators.http import require_GET

from .models import ClockTick
from .worker import last_heartbeat, live_workers

# Every-minute jobs tick each minute: three minutes without one means no clock runs.
CLOCK_STALE_AFTER = timedelta(minutes=3)


def _timed(probe):
    started = time.perf_counter()
    try:
        detail = probe() or {}
        ok = True
    except Exception as exc:  # report any failure as unhealthy, never as a 500
        detail, ok = {"error": type(exc).__name__}, False
    return {"ok": ok, "ms": round((time.perf_counter() - started) * 1000, 1), **detail}


def _database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _cache():
    # A key of its own: with a cache shared by every process (Redis), concurrent probes
    # writing one key would read each other's values and report a healthy cache as down.
    value = get_random_string(12)
    key = f"byline:health:{value}"
    cache.set(key, value, 10)
    if cache.get(key) != value:
        raise RuntimeError("cache did not return what was stored")
    cache.delete(key)


def runs_in_worker():
    """False where tasks run inline (django-tasks' immediate backend): no worker needed."""
    from django_tasks import default_task_backend
    from django_tasks.backends.immediate import ImmediateBackend

    return not isinstance(default_task_backend, ImmediateBackend)


def _age(moment):
    return None if moment is None else round((timezone.now() - moment).total_seconds(), 1)


def background_status():
    """Whether a worker and a clock have been seen recently, as a dict."""
    if not runs_in_worker():
        return {"worker": {"ok": True, "mode": "inline"}, "clock": {"ok": True, "mode": "inline"}}
    try:
        newest = last_heartbeat()
        workers = live_workers().count()
        tick = ClockTick.objects.order_by("-queued_at").values_list("queued_at", flat=True).first()
    except DatabaseError as exc:
        failure = {"ok": False, "error": type(exc).__name__}
        return {"worker": failure, "clock": failure}
    stale_after = settings.BYLINE_WORKER_STALE_AFTER
    return {
        "worker": {
            "ok": workers > 0,
            "live_workers": workers,
            "last_seen_seconds_ago": _age(newest.last_seen if newest else None),
            "stale_after_seconds": stale_after,
        },
        "clock": {
            "ok": tick is not None and timezone.now() - tick < CLOCK_STALE_AFTER,
            "last_tick_seconds_ago": _age(tick),
        },
    }


def _answer(ok, body):
    response = JsonResponse({"status": "ok" if ok else "unavailable", **body})
    response.status_code = 200 if ok else 503
    add_never_cache_headers(response)
    return response


@require_GET
def health(request):
    checks = {"database": _timed(_database), "cache": _timed(_cache)}
    ok = checks["database"]["ok"] and checks["cache"]["ok"]
    background = background_status() if checks["database"]["ok"] else {}
    return _answer(ok, {**checks, **background})


@require_GET
def worker_health(request):
    background = background_status()
    return _answer(background["worker"]["ok"] and background["clock"]["ok"], background)
