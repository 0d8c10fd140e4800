"""Sending recorded deliveries: one signed POST per attempt, retries with growing delays.

Each attempt claims its row with one conditional UPDATE (so a task run
twice, or by two workers, sends once), signs the stored body afresh (a new
webhook-timestamp; the same webhook-id) and POSTs it through Byline's
guarded fetch (`cms.outbound`): the endpoint's address is checked again,
redirects are not followed, and connecting, waiting and the whole exchange
have hard time limits. Only the start of the answer is read, for the log.

- 2xx: delivered.
- Network errors and timeouts, 408, 429 and 5xx: tried again after each of
  BYLINE_WEBHOOKS_RETRY_DELAYS (1, 5, 25, 120 minutes), then failed.
- Anything else (other 4xx, a redirect, a refused address, an inactive
  endpoint): failed at once, since sending the same request again will not help.

With a task worker each delivery is a task and each retry is queued with
`run_after`; with a backend that runs tasks inline (the immediate backend)
deliveries are only recorded, and the periodic job `webhooks_send_due` sends
them within the minute, so publishing never waits for another server.
"""

import logging
import time
from datetime import timedelta

from django.db.models import F, Q
from django.utils import timezone

from cms.outbound import AddressRefused, FetchError, fetch

from . import conf
from .models import Delivery, DeliveryStatus
from .signing import signed_headers

logger = logging.getLogger("byline.plugins.webhooks")

RETRY_STATUSES = frozenset({408, 429}) | frozenset(range(500, 600))
# An attempt takes at most the fetch's total deadline (10 s): a row still
# "sending" this long after its attempt began was left by a worker that died.
STALE_AFTER = timedelta(minutes=5)
# With a task worker, a delivery still waiting this long after it was due lost
# its task (queue flushed, enqueue failed): the periodic job queues it again.
LOST_AFTER = timedelta(minutes=5)
# A periodic run that sends inline stops taking new deliveries after this many
# seconds, so it ends before the next run is due; the rest wait a minute.
RUN_BUDGET = 30
BATCH = 500
EXCERPT_LENGTH = 200


def runs_inline():
    """Whether the task backend runs tasks in the caller's process (and request)."""
    from django_tasks.backends.immediate import ImmediateBackend

    from .tasks import deliver_webhook

    return isinstance(deliver_webhook.get_backend(), ImmediateBackend)


def queue(delivery_ids):
    """Give each recorded delivery its task (with a worker); inline, leave them to the job."""
    from .tasks import deliver_webhook

    if not delivery_ids or runs_inline():
        return
    for delivery_id in delivery_ids:
        try:
            deliver_webhook.enqueue(delivery_id)
        except Exception:  # the row is saved: `webhooks_send_due` queues it again later
            logger.exception("Could not queue webhook delivery %s", delivery_id)


# One attempt -----------------------------------------------------------------------------


class Retry(Exception):
    """A failure worth trying again later."""


class GiveUp(Exception):
    """A failure that trying again will not fix."""


def claim(delivery_id, now):
    """The delivery, marked as being sent by us, or None if it is not due or already taken."""
    due = Q(status__in=Delivery.WAITING, next_attempt_at__lte=now)
    claimed = Delivery.objects.filter(due, pk=delivery_id).update(
        status=DeliveryStatus.SENDING, attempts=F("attempts") + 1, last_attempt_at=now
    )
    if not claimed:
        return None
    return Delivery.objects.select_related("endpoint").get(pk=delivery_id)


def excerpt(result):
    """The start of an answer's body as one line of text, for the log."""
    text = " ".join(result.text().split())
    return text[: EXCERPT_LENGTH - 1] + "…" if len(text) > EXCERPT_LENGTH else text


def post(delivery, now):
    """POST the delivery's body, signed; the FetchResult (or FetchError / AddressRefused)."""
    endpoint = delivery.endpoint
    headers = signed_headers(delivery.message_id, delivery.payload, endpoint.signing_secrets(now))
    return fetch(
        endpoint.url,
        limits=conf.fetch_limits(),
        method="POST",
        body=delivery.payload.encode("utf-8"),
        headers={"Content-Type": "application/json", **headers},
        # A receiver that moved must be updated by an editor: following a redirect
        # would also send the signed body to wherever the redirect points.
        follow_redirects=False,
        read_error_bodies=True,
        truncate_body=True,
    )


def _send(delivery, now):
    """Send once; the detail for the log. Raises Retry or GiveUp."""
    if not delivery.endpoint.active:
        raise GiveUp("the endpoint is inactive")
    try:
        result = post(delivery, now)
    except AddressRefused as exc:
        raise GiveUp(f"address refused: {exc}") from exc
    except FetchError as exc:
        if exc.reason == "bad_url":
            raise GiveUp(f"not sent: {exc}") from exc
        raise Retry(f"not delivered: {exc}") from exc
    delivery.response_status = result.status
    delivery.response_excerpt = excerpt(result)
    if result.ok:
        return f"delivered (HTTP {result.status})"
    if result.status in RETRY_STATUSES:
        raise Retry(f"the endpoint answered HTTP {result.status}")
    if 300 <= result.status < 400:
        raise GiveUp(f"the endpoint redirected (HTTP {result.status}); redirects are not followed")
    raise GiveUp(f"the endpoint answered HTTP {result.status}")


def retry_delay(attempts):
    """Seconds to wait after failed attempt number `attempts`, or None when none are left."""
    delays = conf.retry_delays()
    return delays[attempts - 1] if attempts <= len(delays) else None


def attempt(delivery_id, now=None):
    """One attempt at one delivery. Returns the row, or None if it was not due.

    Leaves the row delivered, failed, or retrying with `next_attempt_at` set;
    queueing the retry is up to the caller (tasks.deliver_webhook).
    """
    now = now or timezone.now()
    delivery = claim(delivery_id, now)
    if delivery is None:
        return None
    delivery.response_status, delivery.response_excerpt = None, ""
    try:
        delivery.detail = _send(delivery, now)
        delivery.status, delivery.delivered_at = DeliveryStatus.DELIVERED, timezone.now()
        delivery.next_attempt_at = None
    except GiveUp as exc:
        delivery.status, delivery.detail, delivery.next_attempt_at = (
            DeliveryStatus.FAILED,
            str(exc),
            None,
        )
    except Retry as exc:
        delay = retry_delay(delivery.attempts)
        if delay is None:
            delivery.status = DeliveryStatus.FAILED
            delivery.detail = f"gave up after {delivery.attempts} attempts: {exc}"
            delivery.next_attempt_at = None
        else:
            delivery.status, delivery.detail = DeliveryStatus.RETRYING, str(exc)
            delivery.next_attempt_at = now + timedelta(seconds=delay)
    except Exception as exc:  # a bug must not leave the row "sending" for ever
        logger.exception("Webhook delivery %s failed", delivery_id)
        delivery.status = DeliveryStatus.FAILED
        delivery.detail = f"error: {type(exc).__name__}: {exc}"
        delivery.next_attempt_at = None
    delivery.detail = delivery.detail[:300]
    delivery.save(
        update_fields=[
            "status",
            "detail",
            "response_status",
            "response_excerpt",
            "next_attempt_at",
            "delivered_at",
        ]
    )
    return delivery


# Upkeep (periodic job) -------------------------------------------------------------------


def recover_interrupted(now):
    """Rows a dead worker left "sending": due again, or failed once their attempts are used up."""
    interrupted = Delivery.objects.filter(
        status=DeliveryStatus.SENDING, last_attempt_at__lt=now - STALE_AFTER
    )
    interrupted.filter(attempts__gte=conf.max_attempts()).update(
        status=DeliveryStatus.FAILED,
        detail="gave up: the attempts were used up by sends that did not finish",
        next_attempt_at=None,
    )
    # Due since the interrupted attempt began: already overdue by STALE_AFTER, so
    # with a worker the same run of the job queues it again as lost.
    interrupted.update(status=DeliveryStatus.RETRYING, next_attempt_at=F("last_attempt_at"))


def _due(cutoff):
    return Delivery.objects.filter(status__in=Delivery.WAITING, next_attempt_at__lte=cutoff)


def due_ids(now, *, overdue_by=None, limit=BATCH):
    """Ids of deliveries due by now (or overdue by `overdue_by`), earliest first."""
    rows = _due(now - (overdue_by or timedelta(0))).order_by("next_attempt_at", "pk")
    return list(rows.values_list("pk", flat=True)[:limit])


def requeue(delivery_id, now):
    """Queue a lost delivery again; False if it is no longer lost.

    Its due time moves to now, conditionally, so two runs at once queue it
    once and later runs wait LOST_AFTER again before deciding it is lost.
    """
    from .tasks import deliver_webhook

    marked = _due(now - LOST_AFTER).filter(pk=delivery_id).update(next_attempt_at=now)
    if marked:
        deliver_webhook.enqueue(delivery_id)
    return bool(marked)


def send_due(now=None):
    """What the periodic job does: send due deliveries (inline) or queue lost ones (worker)."""
    now = now or timezone.now()
    recover_interrupted(now)
    if runs_inline():
        stop = time.monotonic() + RUN_BUDGET
        sent = 0
        for delivery_id in due_ids(now):
            if time.monotonic() >= stop:
                break
            attempt(delivery_id)
            sent += 1
        return sent
    # Each delivery and retry has its task (retries with run_after): only those
    # overdue by minutes were lost, so a busy queue is not sent duplicates.
    return sum(requeue(pk, now) for pk in due_ids(now, overdue_by=LOST_AFTER))


def prune(now=None):
    """Delete finished deliveries older than BYLINE_WEBHOOKS_LOG_DAYS; how many."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=conf.get("BYLINE_WEBHOOKS_LOG_DAYS"))
    deleted, _ = Delivery.objects.filter(
        status__in=Delivery.FINISHED, created_at__lt=cutoff
    ).delete()
    return deleted


def redeliver(delivery, now=None):
    """A new delivery of the same body to the same endpoint, with a new webhook-id; queued."""
    now = now or timezone.now()
    again = Delivery.objects.create(
        endpoint=delivery.endpoint,
        event_type=delivery.event_type,
        subject=delivery.subject,
        payload=delivery.payload,
        redelivery_of=delivery,
        created_at=now,
        next_attempt_at=now,
    )
    queue([again.pk])
    return again
