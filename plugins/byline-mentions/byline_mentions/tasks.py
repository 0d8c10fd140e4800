"""Background work (django-tasks): verifying webmentions, sending mentions.

Tasks take ids, not objects, so any backend can queue them, and each
claims its row with one conditional UPDATE before doing anything, so a
task delivered twice (or run by two workers) does its work once.

Publishing never waits for other sites. With a real queue (a backend with a
worker) each target gets its own `send_mention` task, and a retry is queued
with `run_after`. The immediate backend (django-tasks' default when TASKS is
not set) would run those tasks inside the editor's publishing request, so
with it the sends are only recorded, due at once, and
`manage.py mentions_housekeeping` (cron, every few minutes) sends them and
any due retries. Webmention verification does run inline with the immediate
backend: the request that waits is the sender's own.
"""

import logging

from django_tasks import task

logger = logging.getLogger("byline.plugins.mentions")


@task()
def verify_webmention(received_id):
    from .receiving import verify_webmention as verify

    return verify(received_id)


def runs_inline():
    """Whether the task backend runs tasks in the caller's process and request."""
    from django_tasks.backends.immediate import ImmediateBackend

    return isinstance(send_mention.get_backend(), ImmediateBackend)


@task()
def send_article_mentions(article_id):
    """Record a notification for each new external link of a just-published article."""
    from django.utils import timezone

    from .models import SentMention
    from .sending import queue_article_mentions

    ids = queue_article_mentions(article_id)
    if runs_inline():
        # Left to mentions_housekeeping, so the publishing request does not wait.
        SentMention.objects.filter(pk__in=ids).update(next_attempt_at=timezone.now())
        return len(ids)
    for mention_id in ids:
        send_mention.enqueue(mention_id)
    return len(ids)


@task()
def send_mention(mention_id):
    from .models import SentStatus
    from .sending import deliver

    mention = deliver(mention_id)
    if mention is None:
        return None
    if mention.status == SentStatus.RETRYING and send_mention.get_backend().supports_defer:
        send_mention.using(run_after=mention.next_attempt_at).enqueue(mention_id)
    return mention.status


@task()
def send_due_mentions():
    """Resend due retries and sends a dead worker left behind; returns how many."""
    from .sending import due_mentions

    ids = due_mentions()
    for mention_id in ids:
        send_mention.enqueue(mention_id)
    return len(ids)


@task()
def requeue_stale_webmentions():
    """Queue again webmentions whose verification was lost (worker died, queue flushed)."""
    from datetime import timedelta

    from django.utils import timezone

    from .models import Protocol, ReceivedMention, ReceivedStatus

    stale = timezone.now() - timedelta(minutes=15)
    ReceivedMention.objects.filter(
        protocol=Protocol.WEBMENTION, status=ReceivedStatus.PROCESSING, received_at__lt=stale
    ).update(status=ReceivedStatus.QUEUED)
    ids = list(
        ReceivedMention.objects.filter(
            protocol=Protocol.WEBMENTION, status=ReceivedStatus.QUEUED, received_at__lt=stale
        ).values_list("pk", flat=True)
    )
    for received_id in ids:
        verify_webmention.enqueue(received_id)
    return len(ids)


@task()
def prune_received_log():
    """Delete finished received-mention log entries older than BYLINE_MENTIONS_LOG_DAYS."""
    from datetime import timedelta

    from django.utils import timezone

    from . import conf
    from .models import ReceivedMention

    cutoff = timezone.now() - timedelta(days=conf.get("BYLINE_MENTIONS_LOG_DAYS"))
    deleted, _ = ReceivedMention.objects.filter(
        status__in=ReceivedMention.FINISHED, received_at__lt=cutoff
    ).delete()
    return deleted
