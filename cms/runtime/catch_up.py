"""Scheduled publishing that never waits for a late worker.

Wagtail keeps a scheduled revision aside until `publish_scheduled` runs; the
clock queues that job every minute, but a stopped or busy worker would keep a
due article off the site. So reader requests check too: the earliest
scheduled go-live time is kept in the cache (one query when the cache has
none, at most once a minute per cache), and the first request after it
publishes what is due before it is answered. With Redis every app server
shares that answer; without, each process asks the database once a minute.
"""

import io
import logging
import time

from django.core.cache import cache
from django.core.management import call_command
from django.db.models import Min

logger = logging.getLogger("byline.runtime")

NEXT_GO_LIVE_KEY = "byline:runtime:next-go-live"
LOCK_KEY = "byline:runtime:publishing-due"
TRUST_FOR = 60  # seconds a cached "next go-live" is believed without asking the database
# Admin pages, API writes, files and probes never publish on the way.
SKIPPED_PREFIXES = ("/admin/", "/django-admin/", "/static/", "/media/", "/health/")


def next_go_live():
    """Unix time of the earliest scheduled revision, 0.0 when nothing is scheduled."""
    from wagtail.models import Revision

    value = cache.get(NEXT_GO_LIVE_KEY)
    if value is None:
        due = Revision.objects.exclude(approved_go_live_at=None).aggregate(
            due=Min("approved_go_live_at")
        )["due"]
        value = due.timestamp() if due else 0.0
        cache.set(NEXT_GO_LIVE_KEY, value, TRUST_FOR)
    return value


def note_scheduled_revision(sender, instance, **kwargs):
    """A revision was scheduled: bring the cached next go-live time forward if it is earlier.

    Other revision saves (every draft and autosave) leave the cache alone, so
    they cost readers no query; a schedule withdrawn later only makes one
    check at its old time find nothing due.
    """
    due = instance.approved_go_live_at
    current = cache.get(NEXT_GO_LIVE_KEY)
    if due is None or current is None:
        return
    if not current or due.timestamp() < current:
        cache.set(NEXT_GO_LIVE_KEY, due.timestamp(), TRUST_FOR)


def forget_next_go_live():
    """Ask the database next time."""
    cache.delete(NEXT_GO_LIVE_KEY)


def publish_due():
    """Publish what is due now, unless another request is already doing it."""
    if not cache.add(LOCK_KEY, True, 60):
        return False
    try:
        call_command("publish_scheduled", stdout=io.StringIO())
    finally:
        forget_next_go_live()
        cache.delete(LOCK_KEY)
    return True


class ScheduledPublishingMiddleware:
    """Publishes due scheduled revisions before answering the first reader who could see them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("GET", "HEAD") and not request.path.startswith(SKIPPED_PREFIXES):
            try:
                due = next_go_live()
                if due and due <= time.time():
                    publish_due()
            except Exception:  # the reader's page matters more; the clock will catch up
                logger.exception("Publishing due scheduled revisions failed")
        return self.get_response(request)
