"""Receiving mentions: Pingback (answered at once) and Webmention (verified by a task worker).

Both end in the comments plugin: a new mention is stored with
`byline_comments.services.create_mention`, so it passes the same spam
checks, waits in the same moderation queue and counts in the comment count.
A webmention for a source that already mentioned the article is an update:
the mention's title, excerpt and author are refreshed (and checked again);
if the source is gone (404/410) or no longer links to the article, the
mention is moved to the trash.

A webmention request never fetches anything: it is checked, recorded as
queued and answered 202. With a task worker the verification task is
queued when the row is committed; with a backend that would run it inline
(django-tasks' immediate backend) nothing is queued, and the periodic job
`mentions_verify_waiting` verifies it within the minute. The same job
queues again what a lost task or a crashed worker left behind.

No amplification: each inbound request causes at most one outbound fetch
(the source; redirects followed within that fetch are checked by the
guard), cheap checks and rate limits come first, a webmention already
waiting for verification is not queued (or fetched) twice, and at most
BYLINE_MENTIONS_MAX_QUEUED_PER_SOURCE / _PER_TARGET may wait at once.
"""

import logging
from datetime import timedelta
from urllib.parse import urlsplit

from django.db import transaction
from django.db.models import F, Q
from django.http import HttpRequest
from django.utils import timezone

from cms.abuse import client_ip

from . import conf, rpc
from .checks import comments_available
from .fetching import AddressRefused, FetchError, fetch
from .models import Protocol, ReceivedMention, ReceivedStatus
from .parsing import SOURCE_TYPES, analyse_source, normalise_url
from .ratelimit import check_rate_limits, source_key
from .targets import refusal, resolve_article

logger = logging.getLogger("byline.plugins.mentions")

MAX_URL_LENGTH = 500
MENTION_KINDS = ("pingback", "webmention")
# Verification takes seconds (BYLINE_MENTIONS_TOTAL_TIMEOUT at most), so a row
# still "processing", or queued for a worker, after this long was lost.
STALE_AFTER = timedelta(minutes=5)
# A webmention whose verification crashed the worker this often is given up.
MAX_ATTEMPTS = 3
# The periodic job empties the queue every minute: worth trying again then.
QUEUE_FULL_RETRY_AFTER = 60


class Refused(Exception):
    """A webmention request refused at once: HTTP `status` and a message for the sender."""

    def __init__(self, status, message, retry_after=None, error=None):
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after
        self.error = error or ("rate_limited" if status == 429 else "invalid_request")


def is_web_url(url):
    try:
        parts = urlsplit(url or "")
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def _origin(url):
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/"


# The mentions themselves, stored as comments ---------------------------------------


def existing_mention(article, source_url):
    """The mention (pingback or webmention) of `article` from `source_url` not in the trash."""
    from byline_comments.models import Comment, CommentStatus

    return (
        Comment.objects.filter(article=article, source_url=source_url, kind__in=MENTION_KINDS)
        .exclude(status=CommentStatus.TRASH)
        .order_by("-created_at")
        .first()
    )


def _mention_fields(protocol, source_url, report):
    if protocol == Protocol.WEBMENTION and report.author_name:
        author_name = report.author_name
    else:
        author_name = report.site_name
    author_url = report.author_url
    if not is_web_url(author_url) or len(author_url) > MAX_URL_LENGTH:
        author_url = _origin(source_url)
    return {
        "author_name": author_name,
        "author_url": author_url,
        "title": report.title,
        "excerpt": report.excerpt or report.title,
    }


def store_new_mention(article, protocol, source_url, report, request):
    from byline_comments.services import create_mention

    return create_mention(
        article,
        protocol,
        source_url=source_url,
        request=request,
        **_mention_fields(protocol, source_url, report),
    )


def update_mention(comment, protocol, source_url, report, request):
    """Refresh a mention from its source's new content; check it again if it changed.

    Returns True if anything changed. A change the spam checks dislike moves
    an approved mention back to moderation (HOLD) or to spam (SPAM).
    """
    from byline_comments.models import CommentStatus
    from byline_comments.services import moderate

    from cms.plugins import Verdict, run_comment_checks

    fields = _mention_fields(protocol, source_url, report)
    new_values = {
        "author_name": (fields["author_name"] or source_url)[:100],
        "author_url": fields["author_url"],
        "source_title": (fields["title"] or source_url)[:300],
        "body": fields["excerpt"][:5000],
    }
    if all(getattr(comment, name) == value for name, value in new_values.items()):
        return False
    for name, value in new_values.items():
        setattr(comment, name, value)
    comment.save(update_fields=[*new_values, "body_fingerprint"])
    verdict, outcomes = run_comment_checks(comment, request)
    comment.check_results = [outcome.as_dict() for outcome in outcomes]
    comment.save(update_fields=["check_results"])
    if verdict == Verdict.SPAM and comment.status != CommentStatus.SPAM:
        moderate([comment], CommentStatus.SPAM)
    elif verdict == Verdict.HOLD and comment.status == CommentStatus.APPROVED:
        moderate([comment], CommentStatus.PENDING)
    return True


def remove_mention(comment, why):
    """Move a mention whose source is gone, or no longer links, to the trash."""
    from byline_comments.models import Comment, CommentStatus
    from byline_comments.services import moderate

    moderate([comment], CommentStatus.TRASH)
    Comment.objects.filter(pk=comment.pk).update(moderation_note=why[:300])


def _finish(received, status, detail, comment=None):
    received.status = status
    received.detail = str(detail)[:300]
    received.processed_at = timezone.now()
    if comment is not None:
        received.comment_id = comment.pk
    # Personal data only lives as long as the spam checks need it.
    received.client_ip = None
    received.user_agent = ""
    received.save()
    return received


# Pingback ------------------------------------------------------------------------------


def pingback_ping(request, *params):
    """XML-RPC `pingback.ping(sourceURI, targetURI)`: verify at once, answer a string or fault.

    Unlike a webmention, a pingback is verified inside the request, whatever
    the task backend: Pingback 1.0 has no "accepted, look later" answer, the
    caller must get a success string or a fault code (0x0010 source not
    found, 0x0011 no link, ...) from this very call. What keeps that safe is
    the fetch's hard total deadline (BYLINE_MENTIONS_TOTAL_TIMEOUT, 10 s by default,
    DNS lookup and a trickling source included), the rate limits checked
    before it, and the one-fetch-per-request rule.
    """
    Fault = rpc.Fault
    if len(params) != 2 or not all(isinstance(param, str) for param in params):
        raise Fault(rpc.INVALID_PARAMS, "pingback.ping takes two strings: sourceURI and targetURI")
    source, target = (param.strip() for param in params)
    if not is_web_url(source) or len(source) > MAX_URL_LENGTH:
        raise Fault(rpc.SOURCE_NOT_FOUND, "the source URI is not an http(s) URL")
    if not is_web_url(target) or len(target) > MAX_URL_LENGTH:
        raise Fault(rpc.TARGET_NOT_FOUND, "the target URI is not an http(s) URL of this site")
    limited = check_rate_limits(client_ip(request), source)
    if limited:
        raise Fault(rpc.ACCESS_DENIED, f"access denied: {limited}")
    article = resolve_article(target)
    if article is None:
        raise Fault(rpc.TARGET_NOT_FOUND, "the target URI is not a published article of this site")
    if normalise_url(source) == normalise_url(target):
        raise Fault(rpc.GENERIC_FAULT, "the source and target URIs are the same page")
    reason = refusal(article, Protocol.PINGBACK)
    if reason:
        raise Fault(rpc.TARGET_NOT_PINGABLE, f"the target URI cannot be pinged: {reason}")
    if existing_mention(article, source) is not None:
        raise Fault(rpc.ALREADY_REGISTERED, "a pingback from this source is already registered")

    received = ReceivedMention.objects.create(
        protocol=Protocol.PINGBACK,
        source_url=source,
        target_url=target,
        article=article,
        status=ReceivedStatus.PROCESSING,
        request_host=request.get_host()[:255],
    )
    try:
        return _verify_pingback(received, article, request)
    except Exception as exc:
        if not received.finished:  # a bug, not a verdict: keep the log honest
            _finish(received, ReceivedStatus.REJECTED, f"verification failed: {exc}")
        raise


def _verify_pingback(received, article, request):
    Fault = rpc.Fault
    source, target = received.source_url, received.target_url
    try:
        result = fetch(source, accept_types=SOURCE_TYPES)
    except AddressRefused as exc:
        _finish(received, ReceivedStatus.REJECTED, f"source address refused: {exc}")
        raise Fault(
            rpc.ACCESS_DENIED, f"access denied: the source URI may not be fetched ({exc})"
        ) from None
    except FetchError as exc:
        _finish(received, ReceivedStatus.REJECTED, f"source not fetched: {exc}")
        if exc.reason == "content_type":
            raise Fault(
                rpc.SOURCE_HAS_NO_LINK, f"the source URI has no link to follow: {exc}"
            ) from None
        raise Fault(rpc.SOURCE_NOT_FOUND, f"the source URI could not be fetched: {exc}") from None
    if not result.ok:
        _finish(received, ReceivedStatus.REJECTED, f"source answered HTTP {result.status}")
        raise Fault(rpc.SOURCE_NOT_FOUND, f"the source URI answered HTTP {result.status}")
    report = analyse_source(result.text(), result.content_type, source, target)
    if not report.links_to_target:
        _finish(received, ReceivedStatus.REJECTED, "source does not link to target")
        raise Fault(rpc.SOURCE_HAS_NO_LINK, "the source URI does not contain a link to the target")
    comment = store_new_mention(article, Protocol.PINGBACK, source, report, request)
    _finish(received, ReceivedStatus.ACCEPTED, f"stored as comment #{comment.pk}", comment)
    return f"Pingback from {source} to {target} registered; it awaits moderation. Thanks!"


# Webmention ----------------------------------------------------------------------------


def accept_webmention(request, source, target):
    """Check a webmention request and queue its verification.

    Returns (ReceivedMention, queued_now). Raises Refused for a request the
    sender must fix (400) or repeat later (429).
    """
    source, target = (source or "").strip(), (target or "").strip()
    if not source or not target:
        raise Refused(400, "source and target are both required (form-encoded POST)")
    if not is_web_url(source) or len(source) > MAX_URL_LENGTH:
        raise Refused(400, "source must be an http(s) URL of at most 500 characters")
    if not is_web_url(target) or len(target) > MAX_URL_LENGTH:
        raise Refused(400, "target must be an http(s) URL of at most 500 characters")
    if normalise_url(source) == normalise_url(target):
        raise Refused(400, "source and target must be different pages")
    ip = client_ip(request)
    limited = check_rate_limits(ip, source)
    if limited:
        raise Refused(429, str(limited), retry_after=limited.retry_after)
    article = resolve_article(target)
    if article is None:
        raise Refused(400, "target is not a published article of this site")
    reason = refusal(article, Protocol.WEBMENTION)
    if reason:
        raise Refused(400, f"target does not accept webmentions: {reason}")
    waiting = _waiting().filter(source_url=source, target_url=target).first()
    if waiting is not None:
        return waiting, False
    source_host = source_key(source)[:255]
    check_queue_room(source_host, article)
    received = ReceivedMention.objects.create(
        protocol=Protocol.WEBMENTION,
        source_url=source,
        source_host=source_host,
        target_url=target,
        article=article,
        client_ip=ip,
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:500],
        request_host=request.get_host()[:255],
        queued_at=timezone.now(),
    )
    hand_over(received.pk)
    return received, True


def _waiting():
    """Webmentions queued for verification or being verified."""
    return ReceivedMention.objects.filter(
        protocol=Protocol.WEBMENTION, status__in=ReceivedMention.WAITING
    )


def check_queue_room(source_host, article):
    """Refuse (429) one more webmention from a source host, or for an article, with a full queue.

    Counted, then inserted: concurrent requests may overshoot a bound by a
    few, which is fine for a bound whose point is that the queue cannot
    grow without end.
    """
    bounds = (
        ("from this source", "BYLINE_MENTIONS_MAX_QUEUED_PER_SOURCE", Q(source_host=source_host)),
        ("for this article", "BYLINE_MENTIONS_MAX_QUEUED_PER_TARGET", Q(article=article)),
    )
    for what, setting, rows in bounds:
        limit = conf.get(setting)
        # Slicing stops the count at the limit, however long the queue.
        if limit is not None and _waiting().filter(rows)[:limit].count() >= limit:
            raise Refused(
                429,
                f"too many webmentions {what} are waiting to be verified (at most {limit} "
                f"at a time); try again in {QUEUE_FULL_RETRY_AFTER} seconds",
                retry_after=QUEUE_FULL_RETRY_AFTER,
                error="queue_full",
            )


def hand_over(received_id):
    """Queue the verification once the row is committed, unless the backend runs tasks inline.

    An inline backend would verify inside this request, making the sender
    wait for its own page to be fetched (and a slow source hold a web
    process): the row then stays queued for the periodic job.
    """
    from .tasks import runs_inline

    if not runs_inline():
        transaction.on_commit(lambda: enqueue_verification(received_id))


def enqueue_verification(received_id):
    """Queue the verification task; if the queue refuses, leave the row to the periodic job."""
    from .tasks import verify_webmention

    try:
        verify_webmention.enqueue(received_id)
    except Exception:
        # The webmention is already accepted and recorded: a queue that is down must
        # not turn that into an error page. No queued_at marks it as lost at once.
        logger.exception("Queueing the verification of webmention %s failed", received_id)
        ReceivedMention.objects.filter(pk=received_id, status=ReceivedStatus.QUEUED).update(
            queued_at=None
        )
        return False
    return True


def replayed_request(received):
    """A stand-in for the request that delivered a webmention, for the spam checks.

    Verification runs later, in a worker; the checks still need the
    sender's address and user agent and the site the request came to.
    """
    if not received.request_host:
        return None
    request = HttpRequest()
    request.method = "POST"
    host, _, port = received.request_host.rpartition(":")
    if not host or "]" in port:
        host, port = received.request_host, "80"
    request.META = {
        "REMOTE_ADDR": received.client_ip or "",
        "HTTP_USER_AGENT": received.user_agent,
        "HTTP_HOST": received.request_host,
        "SERVER_NAME": host,
        "SERVER_PORT": port,
    }
    return request


def claim(received_id):
    """The queued webmention with this id, now marked as being verified, or None."""
    claimed = ReceivedMention.objects.filter(pk=received_id, status=ReceivedStatus.QUEUED).update(
        status=ReceivedStatus.PROCESSING, started_at=timezone.now(), attempts=F("attempts") + 1
    )
    return ReceivedMention.objects.filter(pk=received_id).first() if claimed else None


def verify_webmention(received_id):
    """Verify a queued webmention: create, update or remove the mention. Returns the status."""
    received = claim(received_id)
    if received is None:
        return None  # already handled by another worker, or gone
    try:
        return _verify(received).status
    except Exception as exc:
        logger.exception("Verifying webmention %s failed", received_id)
        return _finish(received, ReceivedStatus.REJECTED, f"verification failed: {exc}").status


def _verify(received):
    from news.models import ArticlePage

    if not comments_available():
        return _finish(received, ReceivedStatus.REJECTED, "the comments plugin is off")
    article = (
        ArticlePage.objects.visible().filter(pk=received.article_id).first()
        if received.article_id
        else None
    )
    if article is None:
        return _finish(received, ReceivedStatus.REJECTED, "the target is no longer published")
    source, target = received.source_url, received.target_url
    request = replayed_request(received)
    existing = existing_mention(article, source)
    try:
        result = fetch(source, accept_types=SOURCE_TYPES)
    except AddressRefused as exc:
        return _finish(received, ReceivedStatus.REJECTED, f"source address refused: {exc}")
    except FetchError as exc:
        return _finish(received, ReceivedStatus.REJECTED, f"source not fetched: {exc}")

    if result.status in (404, 410):
        if existing is not None:
            remove_mention(existing, f"its source answered HTTP {result.status} (deleted)")
            return _finish(
                received,
                ReceivedStatus.REMOVED,
                f"source answered HTTP {result.status}: mention #{existing.pk} removed",
                existing,
            )
        return _finish(received, ReceivedStatus.REJECTED, f"source answered HTTP {result.status}")
    if not result.ok:
        return _finish(received, ReceivedStatus.REJECTED, f"source answered HTTP {result.status}")

    report = analyse_source(result.text(), result.content_type, source, target)
    if not report.links_to_target:
        if existing is not None:
            remove_mention(existing, "its source no longer links to the article")
            return _finish(
                received,
                ReceivedStatus.REMOVED,
                f"source no longer links to target: mention #{existing.pk} removed",
                existing,
            )
        return _finish(received, ReceivedStatus.REJECTED, "source does not link to target")

    if existing is not None:
        changed = update_mention(existing, Protocol.WEBMENTION, source, report, request)
        detail = f"mention #{existing.pk} " + ("updated" if changed else "unchanged")
        return _finish(received, ReceivedStatus.UPDATED, detail, existing)
    reason = refusal(article, Protocol.WEBMENTION)
    if reason:
        return _finish(received, ReceivedStatus.REJECTED, f"target does not accept it: {reason}")
    comment = store_new_mention(article, Protocol.WEBMENTION, source, report, request)
    return _finish(
        received,
        ReceivedStatus.ACCEPTED,
        f"stored as comment #{comment.pk} ({comment.get_status_display().lower()})",
        comment,
    )


# The verification queue, for the periodic job ------------------------------------------


def recover_interrupted(now):
    """Webmentions left "processing" by a crash: queued again, or rejected after MAX_ATTEMPTS.

    Returns how many were queued again. Conditional updates only, so two
    runs at once do the same as one.
    """
    interrupted = (
        _waiting()
        .filter(status=ReceivedStatus.PROCESSING)
        .filter(Q(started_at__lt=now - STALE_AFTER) | Q(started_at__isnull=True))
    )
    interrupted.filter(attempts__gte=MAX_ATTEMPTS).update(
        status=ReceivedStatus.REJECTED,
        detail=f"verification did not finish in {MAX_ATTEMPTS} attempts",
        processed_at=now,
        client_ip=None,
        user_agent="",
    )
    # No queued_at: nothing is queued for them any more.
    return interrupted.filter(attempts__lt=MAX_ATTEMPTS).update(
        status=ReceivedStatus.QUEUED, queued_at=None
    )


def queued_ids(limit):
    """Ids of queued webmentions, oldest first (to verify them here and now)."""
    rows = _waiting().filter(status=ReceivedStatus.QUEUED).order_by("received_at", "pk")
    return list(rows.values_list("pk", flat=True)[:limit])


def _lost(now):
    return Q(status=ReceivedStatus.QUEUED) & (
        Q(queued_at__isnull=True) | Q(queued_at__lt=now - STALE_AFTER)
    )


def lost_ids(now, limit):
    """Ids of queued webmentions no task will verify: never queued, or queued long ago."""
    rows = _waiting().filter(_lost(now)).order_by("received_at", "pk")
    return list(rows.values_list("pk", flat=True)[:limit])


def requeue(received_id, now):
    """Queue the verification of a lost webmention again; False if it is not lost (any more).

    Marking it queued first, conditionally, makes one of two concurrent runs
    queue it, not both.
    """
    marked = _waiting().filter(_lost(now), pk=received_id).update(queued_at=now)
    return bool(marked) and enqueue_verification(received_id)
