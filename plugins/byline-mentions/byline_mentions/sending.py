"""Sending mentions: tell the pages a published article links to.

On `after_article_publish` one background task lists the external links of
the article's body (rich text links and every other block's URLs) and
queues one `SentMention` per (article, target) that has none yet; each is
then delivered by its own task (or, with a backend that runs tasks inline,
by the periodic job `mentions_send_due`): discover the target's Webmention
endpoint (preferred) or Pingback endpoint, then notify it. Transient
failures (network, timeouts, HTTP 5xx, 408, 429) are retried a bounded
number of times with growing delays; anything else is final. Every request
goes through the guarded `fetch`.
"""

import logging
import xmlrpc.client
from datetime import timedelta
from urllib.parse import urlencode, urlsplit

from bs4 import BeautifulSoup
from django.db.models import F, Q
from django.utils import timezone

from . import conf, rpc
from .fetching import AddressRefused, FetchError, fetch
from .models import MentionSettings, Protocol, SentMention, SentStatus
from .parsing import HTML_TYPES, discover_endpoints

logger = logging.getLogger("byline.plugins.mentions")

RETRY_STATUSES = {408, 425, 429, 500, 502, 503, 504}
ANSWER_LIMIT = 64 * 1024
# A task that died mid-send leaves its row "sending": after this long, retry it.
STALE_AFTER = timedelta(minutes=15)
# With a task worker, a send or retry still not done this long after it was due
# lost its task (queue flushed, worker killed): the periodic job queues it again.
LOST_AFTER = timedelta(minutes=5)


# Which links ---------------------------------------------------------------------------


def _urls_in(value):
    """Every http(s) URL in a block value: whole-string URLs and links in rich text."""
    if isinstance(value, dict):
        for item in value.values():
            yield from _urls_in(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _urls_in(item)
    elif isinstance(value, str):
        text = value.strip()
        if text.lower().startswith(("http://", "https://")) and not any(c.isspace() for c in text):
            yield text
        elif "<a" in text.lower():
            for link in BeautifulSoup(text, "html.parser").find_all("a", href=True):
                yield link["href"].strip()


def _own_origins():
    from wagtail.models import Site

    from cms.public_address import public_origin

    # The public address too: our article URLs use it, whatever the Site records say.
    return {(site.hostname.lower(), site.port) for site in Site.objects.all()} | {public_origin()}


def external_links(article):
    """The distinct external http(s) links of the article's body, in order (fragments dropped)."""
    own = _own_origins()
    found = []
    for block in article.body.raw_data:
        for url in _urls_in(block.get("value")):
            try:
                parts = urlsplit(url)
                port = parts.port or (443 if parts.scheme == "https" else 80)
            except ValueError:
                continue
            if parts.scheme not in ("http", "https") or not parts.hostname:
                continue
            if (parts.hostname.lower(), port) in own:
                continue
            url = parts._replace(fragment="").geturl()
            if len(url) <= 500 and url not in found:
                found.append(url)
    return found[: conf.get("BYLINE_MENTIONS_MAX_TARGETS_PER_ARTICLE")]


def queue_article_mentions(article_id):
    """Create a SentMention for each new link of a visible article; return the new rows' ids."""
    from news.models import ArticlePage

    # The other site fetches the article to check the link: one readers
    # cannot see now (expired, not due yet) would only be rejected.
    article = ArticlePage.objects.visible().filter(pk=article_id).first()
    if article is None:
        return []
    site = article.get_site()
    if site is not None and not MentionSettings.for_site(site).send_on_publish:
        return []
    new = []
    for url in external_links(article):
        mention, created = SentMention.objects.get_or_create(article=article, target_url=url)
        if created:
            new.append(mention.pk)
    return new


# Delivering ----------------------------------------------------------------------------


class Retry(Exception):
    """A failure worth trying again later."""


class GiveUp(Exception):
    """A failure that trying again will not fix."""


def claim(mention_id, now=None):
    """The SentMention, marked as being sent by us, or None if it is not due or taken."""
    now = now or timezone.now()
    due = Q(status=SentStatus.QUEUED) | Q(status=SentStatus.RETRYING, next_attempt_at__lte=now)
    claimed = SentMention.objects.filter(due, pk=mention_id).update(
        status=SentStatus.SENDING, attempts=F("attempts") + 1, last_attempt_at=now
    )
    if not claimed:
        return None
    return SentMention.objects.select_related("article").get(pk=mention_id)


def _discover(mention):
    try:
        # Endpoints are in the headers, or in HTML: other bodies are not read.
        result = fetch(mention.target_url, read_types=HTML_TYPES)
    except FetchError as exc:
        if exc.reason in ("bad_url", "too_many_redirects", "unresolvable"):
            raise GiveUp(f"target not fetched: {exc}") from exc
        if exc.reason == "too_large":
            raise GiveUp(f"target page too large to look for endpoints: {exc}") from exc
        raise Retry(f"target not fetched: {exc}") from exc
    mention.response_status = result.status
    if result.status in RETRY_STATUSES:
        raise Retry(f"target answered HTTP {result.status}")
    if not result.ok:
        raise GiveUp(f"target answered HTTP {result.status}")
    return discover_endpoints(result, result.content_type in HTML_TYPES)


def _notify_webmention(mention, source):
    result = fetch(
        mention.endpoint,
        method="POST",
        body=urlencode({"source": source, "target": mention.target_url}),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        follow_redirects=False,
        max_bytes=ANSWER_LIMIT,
    )
    mention.response_status = result.status
    if result.ok:
        return f"accepted by the endpoint (HTTP {result.status})"
    if result.status in RETRY_STATUSES:
        raise Retry(f"endpoint answered HTTP {result.status}")
    raise GiveUp(f"endpoint answered HTTP {result.status}")


def _code(fault):
    """Pingback's codes in hex as its specification writes them (0x0011), others in decimal."""
    code = fault.faultCode
    return f"{code:#06x}" if isinstance(code, int) and code >= 0 else str(code)


def _notify_pingback(mention, source):
    result = fetch(
        mention.endpoint,
        method="POST",
        body=xmlrpc.client.dumps((source, mention.target_url), "pingback.ping", encoding="utf-8"),
        headers={"Content-Type": "text/xml; charset=utf-8"},
        follow_redirects=False,
        max_bytes=ANSWER_LIMIT,
    )
    mention.response_status = result.status
    if result.status in RETRY_STATUSES:
        raise Retry(f"endpoint answered HTTP {result.status}")
    if not result.ok:
        raise GiveUp(f"endpoint answered HTTP {result.status}")
    try:
        (answer,), _method = rpc.safe_loads(result.body, limit=ANSWER_LIMIT)
    except rpc.Fault as fault:
        if fault.faultCode == rpc.ALREADY_REGISTERED:
            return "already registered at the target"
        if fault.faultCode == rpc.UPSTREAM_ERROR:
            raise Retry(f"fault {_code(fault)}: {fault.faultString}") from fault
        raise GiveUp(f"fault {_code(fault)}: {fault.faultString}") from fault
    except ValueError as exc:
        raise GiveUp(f"the endpoint's answer is not XML-RPC: {exc}") from exc
    return f"registered: {answer}" if isinstance(answer, str) else "registered"


def retry_delay(attempts):
    """Seconds to wait after failed attempt number `attempts` (1, 2, ...)."""
    return conf.get("BYLINE_MENTIONS_SEND_RETRY_DELAY") * 4 ** (attempts - 1)


def deliver(mention_id, now=None):
    """One attempt at notifying one target. Returns the row (or None if not due).

    On a transient failure the row is left RETRYING with `next_attempt_at`
    set (or FAILED once the attempts are used up); scheduling the next try
    is up to the caller (tasks.send_mention).
    """
    mention = claim(mention_id, now)
    if mention is None:
        return None
    article = mention.article
    try:
        from cms.visibility import is_visible

        if not is_visible(article):
            raise GiveUp("the article is no longer published")
        source = article.get_full_url()
        if not mention.endpoint:
            endpoints = _discover(mention)
            if endpoints.webmention:
                mention.protocol, mention.endpoint = Protocol.WEBMENTION, endpoints.webmention
            elif endpoints.pingback:
                mention.protocol, mention.endpoint = Protocol.PINGBACK, endpoints.pingback
            else:
                mention.status = SentStatus.NO_ENDPOINT
                mention.detail = "the target advertises no Webmention or Pingback endpoint"
                mention.next_attempt_at = None
                mention.save()
                return mention
            if len(mention.endpoint) > 500:
                raise GiveUp("the endpoint's address is longer than 500 characters")
        try:
            if mention.protocol == Protocol.WEBMENTION:
                detail = _notify_webmention(mention, source)
            else:
                detail = _notify_pingback(mention, source)
        except FetchError as exc:
            if exc.reason in ("bad_url", "unresolvable"):
                raise GiveUp(f"endpoint not reached: {exc}") from exc
            raise Retry(f"endpoint not reached: {exc}") from exc
        mention.status, mention.detail, mention.next_attempt_at = SentStatus.SENT, detail, None
    except AddressRefused as exc:
        mention.status, mention.detail = SentStatus.FAILED, f"address refused: {exc}"
        mention.next_attempt_at = None
    except GiveUp as exc:
        mention.status, mention.detail, mention.next_attempt_at = SentStatus.FAILED, str(exc), None
    except Retry as exc:
        limit = conf.get("BYLINE_MENTIONS_SEND_MAX_ATTEMPTS")
        if mention.attempts >= limit:
            mention.status = SentStatus.FAILED
            mention.detail = f"gave up after {mention.attempts} attempts: {exc}"
            mention.next_attempt_at = None
        else:
            mention.status, mention.detail = SentStatus.RETRYING, str(exc)
            mention.next_attempt_at = (now or timezone.now()) + timedelta(
                seconds=retry_delay(mention.attempts)
            )
    except Exception as exc:  # a bug must not leave the row "sending" for ever
        logger.exception("Sending mention %s failed", mention_id)
        mention.status, mention.detail = SentStatus.FAILED, f"error: {type(exc).__name__}: {exc}"
        mention.next_attempt_at = None
    mention.detail = mention.detail[:300]
    mention.save()
    return mention


def recover_interrupted(now):
    """Rows a dead task left "sending": due again, or failed once the attempts are used up."""
    interrupted = SentMention.objects.filter(
        status=SentStatus.SENDING, last_attempt_at__lt=now - STALE_AFTER
    )
    interrupted.filter(attempts__gte=conf.get("BYLINE_MENTIONS_SEND_MAX_ATTEMPTS")).update(
        status=SentStatus.FAILED,
        detail="gave up: the attempts were used up by sends that did not finish",
        next_attempt_at=None,
    )
    interrupted.update(status=SentStatus.RETRYING, next_attempt_at=F("last_attempt_at"))


def _due(cutoff):
    """Rows waiting to be sent whose time came by `cutoff` (queued rows: since created)."""
    waiting = Q(status=SentStatus.QUEUED) | Q(status=SentStatus.RETRYING)
    due = Q(next_attempt_at__lte=cutoff) | Q(next_attempt_at__isnull=True, created_at__lte=cutoff)
    return SentMention.objects.filter(waiting, due)


def due_mentions(now=None, *, overdue_by=None, limit=None):
    """Ids of mentions to send, earliest first: due (or due at least `overdue_by` ago).

    Sends recorded for later (immediate backend), due retries, and sends a
    dead worker left behind.
    """
    now = now or timezone.now()
    recover_interrupted(now)
    rows = _due(now - (overdue_by or timedelta(0))).order_by("next_attempt_at", "pk")
    return list(rows.values_list("pk", flat=True)[:limit])


def requeue(mention_id, now):
    """Queue a lost send again (real queue); False if it is no longer lost.

    Its due time moves to now, conditionally, so two runs at once queue it
    once and the next runs wait LOST_AFTER before deciding it is lost again.
    """
    from .tasks import send_mention

    marked = _due(now - LOST_AFTER).filter(pk=mention_id).update(next_attempt_at=now)
    if marked:
        send_mention.enqueue(mention_id)
    return bool(marked)
