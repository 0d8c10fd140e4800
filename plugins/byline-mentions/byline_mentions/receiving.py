"""Receiving mentions: Pingback (answered at once) and Webmention (verified in the background).

Both end in the comments plugin: a new mention is stored with
`byline_comments.services.create_mention`, so it passes the same spam
checks, waits in the same moderation queue and counts in the comment count.
A webmention for a source that already mentioned the article is an update:
the mention's title, excerpt and author are refreshed (and checked again);
if the source is gone (404/410) or no longer links to the article, the
mention is moved to the trash.

No amplification: each inbound request causes at most one outbound fetch
(the source; redirects followed within that fetch are checked by the
guard), cheap checks and rate limits come first, and a webmention already
waiting for verification is not queued (or fetched) twice.
"""

import ipaddress
import logging
from urllib.parse import urlsplit

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from . import rpc
from .checks import comments_available
from .fetching import AddressRefused, FetchError, fetch
from .models import Protocol, ReceivedMention, ReceivedStatus
from .parsing import SOURCE_TYPES, analyse_source, normalise_url
from .ratelimit import check_rate_limits
from .targets import refusal, resolve_article

logger = logging.getLogger("byline.plugins.mentions")

MAX_URL_LENGTH = 500
MENTION_KINDS = ("pingback", "webmention")


class Refused(Exception):
    """A webmention request refused at once: HTTP `status` and a message for the sender."""

    def __init__(self, status, message, retry_after=None):
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after


def client_ip(request):
    try:
        return str(ipaddress.ip_address((request.META.get("REMOTE_ADDR") or "").strip()))
    except ValueError:
        return None


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
    """XML-RPC `pingback.ping(sourceURI, targetURI)`: verify at once, answer a string or fault."""
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
    waiting = ReceivedMention.objects.filter(
        protocol=Protocol.WEBMENTION,
        source_url=source,
        target_url=target,
        status__in=[ReceivedStatus.QUEUED, ReceivedStatus.PROCESSING],
    ).first()
    if waiting is not None:
        return waiting, False
    received = ReceivedMention.objects.create(
        protocol=Protocol.WEBMENTION,
        source_url=source,
        target_url=target,
        article=article,
        client_ip=ip,
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:500],
        request_host=request.get_host()[:255],
    )
    from .tasks import verify_webmention

    transaction.on_commit(lambda: verify_webmention.enqueue(received.pk))
    return received, True


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
        status=ReceivedStatus.PROCESSING
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
        ArticlePage.objects.live().filter(pk=received.article_id).first()
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
