"""From Byline's events to recorded deliveries: which event type, and what its body says.

Byline calls the listeners in wagtail_hooks.py after the publishing (or
moderating) transaction commits; they land here. Nothing here talks to
another server: an event becomes one `Delivery` row per active endpoint
that subscribes to its type, each with the same JSON body, and a task per
delivery (see delivery.py). With no active endpoint an event costs one
query and queues nothing.

The body is {"type", "timestamp", "data"}. Article data: id, title, url
(absolute, on the public address), publication_date, section {id, title,
slug}. Comment data: id, article_id, parent_id, kind, created_at, url.
Never an e-mail address, IP address or browser.
"""

import json
import logging
from datetime import UTC

from django.utils import timezone

from .models import Delivery, DeliveryStatus, Endpoint, EventType

logger = logging.getLogger("byline.plugins.webhooks")

# The log action Wagtail's `publish_scheduled` gives the publications it makes.
SCHEDULED_PUBLISH_ACTION = "wagtail.publish.scheduled"


def iso(moment):
    """An aware datetime as ISO 8601 in UTC ('2026-03-02T10:15:00Z'), None as None."""
    if moment is None:
        return None
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


# Which event ---------------------------------------------------------------------------


def went_live_on_schedule(article):
    """Whether this publication is Wagtail's scheduled publishing reaching a go-live time.

    `publish_scheduled` publishes revisions that carry `approved_go_live_at`
    and logs them as "wagtail.publish.scheduled". The live revision Wagtail
    hands over still carries its go-live time (it is cleared in the database
    only); the log entry covers an article loaded afresh, once it is written.
    """
    revision = article.live_revision
    if revision is not None and revision.approved_go_live_at is not None:
        return True
    from wagtail.models import PageLogEntry

    return PageLogEntry.objects.filter(
        page_id=article.pk, revision_id=article.live_revision_id, action=SCHEDULED_PUBLISH_ACTION
    ).exists()


def publish_event_type(article):
    """article.went_live, article.published (first time) or article.updated."""
    if went_live_on_schedule(article):
        return EventType.ARTICLE_WENT_LIVE
    # Wagtail sets both from one clock reading when a page is first published, and
    # only last_published_at on every later publication.
    first = article.first_published_at
    if first is not None and first == article.last_published_at:
        return EventType.ARTICLE_PUBLISHED
    return EventType.ARTICLE_UPDATED


# What the body says ----------------------------------------------------------------------


def _article_id(article):
    # Django clears a deleted instance's primary key (page_ptr_id); the Page id stays.
    return article.pk or article.id


def _article_url(article):
    from cms.public_address import public_page_url

    try:
        return public_page_url(article)
    except Exception:  # a deleted article whose site is gone: its URL no longer matters
        logger.warning("No URL for article %s", _article_id(article), exc_info=True)
        return None


def _section(article):
    try:
        parent = article.get_parent()
    except Exception:  # deleted together with its section
        return None
    if parent is None:
        return None
    return {"id": parent.pk, "title": parent.title, "slug": parent.slug}


def article_data(article):
    return {
        "id": _article_id(article),
        "title": article.title,
        "url": _article_url(article),
        "publication_date": iso(getattr(article, "publication_date", None)),
        "section": _section(article),
    }


def comment_data(comment):
    article = comment.article
    url = _article_url(article)
    return {
        "id": comment.pk,
        "article_id": comment.article_id,
        "parent_id": comment.parent_id,
        "kind": comment.kind,
        "created_at": iso(comment.created_at),
        # The comment's place on the article page (its element id there).
        "url": f"{url}#comment-{comment.pk}" if url else None,
    }


def body(event_type, data, now=None):
    """The JSON body of an event: compact, ASCII only, so its bytes are the same everywhere."""
    message = {"type": str(event_type), "timestamp": iso(now or timezone.now()), "data": data}
    return json.dumps(message, separators=(",", ":"))


# Recording -------------------------------------------------------------------------------------


def active_endpoints():
    """Every active endpoint (one query); most events are decided against this list."""
    return list(Endpoint.objects.filter(active=True).order_by("pk"))


def record(event_type, data_factory, subject="", endpoints=None):
    """Record (and queue) one delivery of the event to each subscribed endpoint.

    `endpoints`: the active endpoints, if the caller has them already.
    `data_factory()` builds the event's data; it runs only when some endpoint
    subscribes. Returns the deliveries.
    """
    from .delivery import queue

    if endpoints is None:
        endpoints = active_endpoints()
    endpoints = [endpoint for endpoint in endpoints if endpoint.subscribes_to(event_type)]
    if not endpoints:
        return []
    now = timezone.now()
    payload = body(event_type, data_factory(), now)
    deliveries = Delivery.objects.bulk_create(
        [
            Delivery(
                endpoint=endpoint,
                event_type=event_type,
                subject=subject[:300],
                payload=payload,
                status=DeliveryStatus.PENDING,
                created_at=now,
                next_attempt_at=now,
            )
            for endpoint in endpoints
        ]
    )
    queue([delivery.pk for delivery in deliveries])
    return deliveries


def article_subject(article):
    return f"Article {_article_id(article)}: {article.title}"


def article_published(article):
    if not article.live:
        # Wagtail signals a publication when it schedules a page that was never
        # live, too; the go-live itself (publish_scheduled) is the event.
        return []
    # Which event this is costs queries: only ask when someone is listening at all.
    endpoints = active_endpoints()
    if not endpoints:
        return []
    return record(
        publish_event_type(article),
        lambda: article_data(article),
        article_subject(article),
        endpoints,
    )


def _deleted(article):
    from news.models import ArticlePage

    article_id = _article_id(article)
    return article_id is None or not ArticlePage.objects.filter(pk=article_id).exists()


def article_unpublished(article):
    endpoints = active_endpoints()
    if not endpoints or _deleted(article):
        # Wagtail unpublishes a live page as it deletes it: article.deleted says it all.
        return []

    def data():
        # Expired (its expiry time passed) rather than taken offline by an editor.
        return {**article_data(article), "expired": bool(getattr(article, "expired", False))}

    return record(EventType.ARTICLE_UNPUBLISHED, data, article_subject(article), endpoints)


def article_deleted(article):
    return record(
        EventType.ARTICLE_DELETED, lambda: article_data(article), article_subject(article)
    )


def comment_approved(comment):
    return record(
        EventType.COMMENT_APPROVED,
        lambda: comment_data(comment),
        f"Comment {comment.pk} on article {comment.article_id}",
    )
