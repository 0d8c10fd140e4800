"""Background work (django-tasks): one task per delivery attempt, and two periodic jobs.

Tasks take ids, not objects, so any backend can queue them, and every one
is safe to run twice: an attempt claims its row before sending (see
delivery.py), and the periodic jobs only act on rows that are due.
"""

from django_tasks import task


@task()
def deliver_webhook(delivery_id):
    """One attempt; on a retryable failure, the next attempt is queued for its time."""
    from .delivery import attempt
    from .models import DeliveryStatus

    delivery = attempt(delivery_id)
    if delivery is None:
        return None
    if delivery.status == DeliveryStatus.RETRYING and deliver_webhook.get_backend().supports_defer:
        deliver_webhook.using(run_after=delivery.next_attempt_at).enqueue(delivery_id)
    return delivery.status


@task()
def send_due_webhooks():
    """Periodic (every minute): send due deliveries inline, or queue again those a worker lost.

    Also puts back deliveries a crashed worker left "sending". Returns how
    many deliveries were sent or queued.
    """
    from .delivery import send_due

    return send_due()


@task()
def prune_webhook_log():
    """Periodic (daily): delete finished deliveries older than BYLINE_WEBHOOKS_LOG_DAYS."""
    from .delivery import prune

    return prune()
