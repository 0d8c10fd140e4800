"""Background work (django-tasks): verifying webmentions, sending mentions.

Tasks take ids, not objects, so any backend can queue them, and each
claims its row with one conditional UPDATE before doing anything, so a
task delivered twice (or run by two workers) does its work once.

Retries: a backend that supports `run_after` (a real queue) gets the next
attempt queued with that delay. With the immediate backend (the default
when TASKS is not set) a retry waits until `manage.py mentions_housekeeping`
(run it from cron every few minutes) or the `send_due_mentions` task picks
it up; publishing never sleeps waiting for one.
"""

import logging

from django_tasks import task

logger = logging.getLogger("byline.plugins.mentions")


@task()
def verify_webmention(received_id):
    from .receiving import verify_webmention as verify

    return verify(received_id)


@task()
def send_article_mentions(article_id):
    """Queue a notification for each new external link of a just-published article."""
    from .sending import queue_article_mentions

    ids = queue_article_mentions(article_id)
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
