"""Background work (django-tasks): verifying webmentions, sending mentions, upkeep.

Tasks take ids, not objects, so any backend can queue them, and each
claims its row with one conditional UPDATE before doing anything, so a
task delivered twice (or run by two workers) does its work once.

Neither a webmention sender nor an editor publishing waits for other
sites. With a real queue (a backend with a worker) a webmention's
verification is queued as soon as it is received, each target of a
published article gets its own `send_mention` task, and a retry is queued
with `run_after`. A backend that runs tasks inline (django-tasks'
immediate backend) would do that work inside the request, so with it the
work is only recorded, and the periodic jobs below (queued every minute by
the clock, see `wagtail_hooks.register_jobs`) do it. With a real queue the
same jobs queue again whatever a lost task or a crashed worker left
behind. Every periodic job is safe to run twice, or twice at once.
"""

import logging
import time

from django_tasks import task

logger = logging.getLogger("byline.plugins.mentions")

# A periodic job that works inline stops taking new items after this many
# seconds, so a run (queued every minute) ends before the next is due even
# if its last item takes two fetches' full deadline; the rest waits a minute.
RUN_BUDGET = 30
# ...and handles at most this many items per run, so its lists stay small.
BATCH = 500


def runs_inline():
    """Whether the task backend runs tasks in the caller's process and request."""
    from django_tasks.backends.immediate import ImmediateBackend

    return isinstance(send_mention.get_backend(), ImmediateBackend)


def for_a_while(ids, work):
    """Call `work(id)` for each id until RUN_BUDGET runs out; how many were done."""
    stop = time.monotonic() + RUN_BUDGET
    done = 0
    for item_id in ids:
        if time.monotonic() >= stop:
            break
        work(item_id)
        done += 1
    return done


# Receiving ------------------------------------------------------------------------------


@task()
def verify_webmention(received_id):
    from .receiving import verify_webmention as verify

    return verify(received_id)


@task()
def verify_waiting_webmentions():
    """Periodic: verify queued webmentions, or queue again those a worker lost.

    Webmentions left "processing" by a crash are queued again first. Inline,
    the queued ones are verified here (oldest first); with a worker, only
    those whose task was lost (never queued, or queued more than a few
    minutes ago) are queued again. Returns how many were verified or queued.
    """
    from django.utils import timezone

    from . import receiving

    now = timezone.now()
    receiving.recover_interrupted(now)
    if runs_inline():
        return for_a_while(receiving.queued_ids(BATCH), receiving.verify_webmention)
    return sum(receiving.requeue(pk, now) for pk in receiving.lost_ids(now, BATCH))


@task()
def prune_received_log():
    """Periodic: delete finished received-mention log entries past BYLINE_MENTIONS_LOG_DAYS."""
    from datetime import timedelta

    from django.utils import timezone

    from . import conf
    from .models import ReceivedMention

    cutoff = timezone.now() - timedelta(days=conf.get("BYLINE_MENTIONS_LOG_DAYS"))
    deleted, _ = ReceivedMention.objects.filter(
        status__in=ReceivedMention.FINISHED, received_at__lt=cutoff
    ).delete()
    return deleted


# Sending --------------------------------------------------------------------------------


@task()
def send_article_mentions(article_id):
    """Record a notification for each new external link of a just-published article."""
    from django.utils import timezone

    from .models import SentMention
    from .sending import queue_article_mentions

    ids = queue_article_mentions(article_id)
    if runs_inline():
        # Due now, for the periodic job: sending here would make the editor wait.
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
    """Periodic: send due sends and retries (inline), or queue again those a worker lost.

    Returns how many were sent or queued.
    """
    from django.utils import timezone

    from . import sending

    now = timezone.now()
    if runs_inline():
        return for_a_while(sending.due_mentions(now, limit=BATCH), sending.deliver)
    # Each send and retry already has its task (retries with run_after): only those
    # overdue by minutes were lost, so a busy queue is not sent duplicates each minute.
    lost = sending.due_mentions(now, overdue_by=sending.LOST_AFTER, limit=BATCH)
    return sum(sending.requeue(pk, now) for pk in lost)
