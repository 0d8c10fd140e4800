"""HTTP caching of every public GET: validators, 304s, Cache-Control, Vary, gzip.

One middleware decides for every response, so no view can forget, and a CDN or
a browser can keep and revalidate whatever anyone may see:

- **Personal answers** are ``Cache-Control: private, no-store``: anything but
  GET/HEAD (form posts and the pages they re-render), the admin, requests with
  a session cookie (signed-in users, and readers who unlocked a password-
  protected page) or an ``Authorization`` header, Wagtail previews, responses
  that set a cookie, and requests a view marked with ``mark_private()``.
- **Public answers** (a 200 to GET/HEAD whose view chose no Cache-Control) get
  ``public, max-age=N, stale-while-revalidate=M`` (feeds, sitemaps and
  robots.txt their own, longer N and M), ``Vary: Accept-Encoding``, an ETag and
  a Last-Modified, and a 304 when the request's validators match. Health probes
  are left alone.

The **ETag** is a hash of the body as it would be sent, so it changes exactly
when the bytes a reader gets change (content, templates, another article's
title in a related link), the same on every app process, with nothing to purge
or keep in step. It is weak (``W/``): the same representation is also sent
gzipped, and parts a view declares volatile with ``note_volatile()`` (the
comment form's freshly signed token) are hashed as a stand-in instead.

**Last-Modified** is never older than what the response shows:

- an article page: the newest of its own publishing times, what its slots note
  with ``note_last_modified()`` (its comments), and the *shared* content every
  page shows (authors, sections, the home page, images, settings);
- everything else (listings, feeds, sitemaps, search, both APIs, robots.txt):
  the site-wide "content changed" time.

Both stamps are computed from the data, not remembered from events: the newest
entry of Wagtail's audit log that readers would see (every publish, unpublish,
move, delete and admin edit, whether from the admin, the API, the scheduler or
code), the times registered with ``register_change_source()`` (reader
comments), and the visibility changes that already happened (go-live, expiry
and publication dates: ``cms.visibility`` decides at read time, so an article
expiring changes the listings at that moment with no event at all). They are
cached for a minute, or until the next scheduled visibility change; each new
log entry or registered change also raises a "changed since" floor in the cache
at once (and again when its transaction commits), so the next answer is dated
after it without a query. With Redis every process shares both; with a local-
memory cache another process learns of a change when its stamps expire, within
a minute, and until then only an ``If-Modified-Since`` without an ETag (which
wins when sent) could get a 304 it should not.

A 304 costs the queries of the 200: the view runs and its body is hashed, but is
not sent. That keeps the answer exact without caching pages on the server; the
page cache (cms.page_cache), outside this middleware, stores answers with these
headers and answers a matching hit with ``not_modified_answer()`` without rendering.
"""

import hashlib
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Max, Min, Q
from django.http import HttpResponseNotModified
from django.middleware.gzip import GZipMiddleware
from django.utils import timezone
from django.utils.cache import cc_delim_re, patch_vary_headers
from django.utils.http import http_date, parse_etags, parse_http_date_safe

# Request notes ------------------------------------------------------------------

_NOTES_ATTR = "_byline_http_cache"


@dataclass
class _Notes:
    last_modified: list = field(default_factory=list)
    volatile: list = field(default_factory=list)
    private: bool = False


def _notes(request):
    notes = getattr(request, _NOTES_ATTR, None)
    if notes is None:
        notes = _Notes()
        setattr(request, _NOTES_ATTR, notes)
    return notes


def note_last_modified(request, *times):
    """Tell the cache layer that this response shows data last changed at `times`.

    A response with notes is dated by them (and the site's shared content);
    one without by the site-wide "content changed" time.
    """
    if request is not None:
        _notes(request).last_modified.extend(time for time in times if time is not None)


def note_volatile(request, value, stand_in):
    """`value` appears in the body but differs on every render without the content
    changing (a freshly signed token): hash `stand_in` in its place for the ETag."""
    if request is not None and value:
        _notes(request).volatile.append((str(value).encode(), str(stand_in).encode()))


def mark_private(request):
    """This response is for one person only: ``Cache-Control: private, no-store``."""
    if request is not None:
        _notes(request).private = True


# The site's content-changed times ----------------------------------------------

# Computed from the data: believed for TRUST_FOR seconds (as cms.runtime.catch_up's
# next go-live time), or until the next scheduled visibility change if sooner.
STAMPS_KEY = "byline:http-cache:content-changed"
TRUST_FOR = 60
# Raised by each change as it happens (and again when it commits), so the next
# answer is dated after it without computing the stamps again; kept until the
# stamps computed before the change have surely expired.
FLOOR_KEY = "byline:http-cache:changed-since"
FLOOR_FOR = 2 * TRUST_FOR
# Before any content exists; Last-Modified always has a value.
EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
# Page log actions that change nothing readers see (drafts and autosaves, locks,
# workflow, editors' comments); a draft's later publication is logged as such.
_PAGE_DRAFT_ACTIONS = ("wagtail.edit", "wagtail.create", "wagtail.revert")
_UNSEEN_ACTIONS = ("wagtail.lock", "wagtail.unlock")
_UNSEEN_PREFIXES = ("wagtail.workflow.", "wagtail.comments.", "wagtail.schedule.")

_change_sources = []


def register_change_source(model, field_name):
    """Count `model.field_name` (a datetime set on every change that readers see)
    in the site-wide "content changed" time, and date answers anew on every save
    or delete of `model`. For plugins whose data Wagtail's audit log does not see."""
    if not isinstance(field_name, str) or not hasattr(model, "_meta"):
        raise TypeError("register_change_source(model, 'field_name') takes a model and a name")
    from django.db.models.signals import post_delete, post_save

    model._meta.get_field(field_name)  # fails loudly for a wrong name
    if (model, field_name) not in _change_sources:
        _change_sources.append((model, field_name))
    for signal in (post_save, post_delete):
        signal.connect(_source_changed, sender=model, dispatch_uid=f"http-cache-{model}")


def _unseen(action, *, page):
    return (
        action in _UNSEEN_ACTIONS
        or action.startswith(_UNSEEN_PREFIXES)
        or (page and action in _PAGE_DRAFT_ACTIONS)
    )


def _seen_log_entries(model, *, page):
    query = model.objects.exclude(action__in=_UNSEEN_ACTIONS)
    if page:
        query = query.exclude(action__in=_PAGE_DRAFT_ACTIONS)
    for prefix in _UNSEEN_PREFIXES:
        query = query.exclude(action__startswith=prefix)
    return query


def _article_content_type_ids():
    """Content types of the pages that are articles (dated by their own times)."""
    from django.contrib.contenttypes.models import ContentType

    from cms.visibility import _scheduled_models

    models = [model for model, _name in _scheduled_models()]
    models += [sub for model in models for sub in model.__subclasses__()]
    return {ContentType.objects.get_for_model(model).pk for model in models}


def _compute_stamps(now):
    """{"all", "shared", "next"}: newest change anywhere, newest change of what every
    page shows (all but articles and comments), next scheduled visibility change."""
    from wagtail.models import ModelLogEntry, Page, PageLogEntry

    from cms.visibility import _scheduled_models

    articles = _article_content_type_ids()
    page_log = _seen_log_entries(PageLogEntry, page=True).aggregate(
        all=Max("timestamp"),
        shared=Max("timestamp", filter=~Q(content_type__in=articles)),
    )
    models_log = _seen_log_entries(ModelLogEntry, page=False).aggregate(latest=Max("timestamp"))
    # Visibility is decided at read time (cms.visibility): a go-live or expiry time
    # that passed changed what readers see at that moment, with no event at all.
    windows = Page.objects.filter(live=True).aggregate(
        went_live=Max("go_live_at", filter=Q(go_live_at__lte=now)),
        expired=Max("expire_at", filter=Q(expire_at__lte=now)),
        next_live=Min("go_live_at", filter=Q(go_live_at__gt=now)),
        next_expiry=Min("expire_at", filter=Q(expire_at__gt=now)),
    )
    scheduled = [
        model.objects.filter(live=True).aggregate(
            came=Max(name, filter=Q(**{f"{name}__lte": now})),
            next=Min(name, filter=Q(**{f"{name}__gt": now})),
        )
        for model, name in _scheduled_models()
    ]
    sources = [
        model._default_manager.aggregate(latest=Max(name))["latest"]
        for model, name in _change_sources
    ]
    shared = [page_log["shared"], models_log["latest"], windows["went_live"], windows["expired"]]
    everything = [*shared, page_log["all"], *(row["came"] for row in scheduled), *sources]
    upcoming = [windows["next_live"], windows["next_expiry"], *(row["next"] for row in scheduled)]
    return {
        "all": _newest(everything),
        "shared": _newest(shared),
        "next": min((time for time in upcoming if time is not None), default=None),
    }


def _newest(times):
    return max((time for time in times if time is not None), default=EPOCH)


def content_stamps():
    """(newest change anywhere, newest change of what every page shows): one cache
    read, and a few aggregate queries when the computed stamps have expired."""
    cached = cache.get_many([STAMPS_KEY, FLOOR_KEY])
    stamps = cached.get(STAMPS_KEY)
    if stamps is None:
        now = timezone.now()
        stamps = _compute_stamps(now)
        timeout = TRUST_FOR
        if stamps["next"] is not None:
            # Ask again when the next article goes live or expires.
            timeout = max(1, min(TRUST_FOR, int((stamps["next"] - now).total_seconds()) + 1))
        cache.set(STAMPS_KEY, stamps, timeout)
    floor = cached.get(FLOOR_KEY) or {}
    return (
        max(stamps["all"], floor.get("all", EPOCH)),
        max(stamps["shared"], floor.get("shared", EPOCH)),
    )


def content_changed(*, shared=False):
    """Date every answer from now on as changed now: at once, and again when the
    transaction commits (an answer made in between may still show the old data).
    `shared`: what changed shows on every page (an author, a section, a setting)."""
    _raise_floor(shared)
    transaction.on_commit(lambda: _raise_floor(shared))


def _raise_floor(shared):
    now = timezone.now()
    floor = cache.get(FLOOR_KEY) or {"all": EPOCH, "shared": EPOCH}
    floor["all"] = max(floor["all"], now)
    if shared:
        floor["shared"] = max(floor["shared"], now)
    cache.set(FLOOR_KEY, floor, FLOOR_FOR)


def _page_logged(sender, instance, created=False, **kwargs):
    if created and not _unseen(instance.action, page=True):
        content_changed(shared=instance.content_type_id not in _article_content_type_ids())


def _model_logged(sender, instance, created=False, **kwargs):
    if created and not _unseen(instance.action, page=False):
        content_changed(shared=True)


def _source_changed(sender, instance=None, created=False, **kwargs):
    content_changed()
    if instance is not None and not created:  # a new row holds defaults: nothing shown
        from cms.page_cache.invalidation import source_changed

        source_changed(instance)  # the page cache purges the pages it belongs to


def connect_signals():
    """Date answers anew on every new log entry readers would see (an app's ready())."""
    from django.db.models.signals import post_save
    from wagtail.models import ModelLogEntry, PageLogEntry

    post_save.connect(_page_logged, sender=PageLogEntry, dispatch_uid="http-cache-page-log")
    post_save.connect(_model_logged, sender=ModelLogEntry, dispatch_uid="http-cache-model-log")


def article_last_modified(page, now=None):
    """When an article page's own content last changed for readers: its publishing,
    go-live or publication time, whichever came last (all have come if it is shown)."""
    now = now or timezone.now()
    times = [page.last_published_at, page.go_live_at, getattr(page, "publication_date", None)]
    return _newest(time for time in times if time is not None and time <= now)


# The middleware ----------------------------------------------------------------

# The admin's answers are personal whatever they say about themselves.
PRIVATE_PREFIXES = ("/admin/", "/django-admin/")
# Health probes answer for themselves (never cached, and 503 rather than an error
# when the database is down), so nothing here may touch the database for them.
UNCACHED_PREFIXES = ("/health/",)
# These answers read no cookie (API v2 is public and v3 counts a session as
# anonymous), so a "Vary: Cookie" from DRF's session check would only split caches.
COOKIE_FREE_PREFIXES = ("/api/",)
# Feeds, sitemaps and robots.txt are polled by machines and change slowly.
_LONG_LIVED_NAMESPACES = {"feeds"}
_LONG_LIVED_URL_NAMES = {"sitemap", "sitemap_section", "news_sitemap", "robots_txt"}
# Longer If-None-Match headers are ignored (answered 200) rather than parsed.
MAX_IF_NONE_MATCH = 8192
# Kept on a 304, as RFC 9110 section 15.4.5 asks.
_NOT_MODIFIED_HEADERS = (
    "Cache-Control",
    "Content-Location",
    "Date",
    "ETag",
    "Expires",
    "Last-Modified",
    "Vary",
)


def _personal_request(request):
    """What the request alone tells: an answer to it is for one person."""
    return (
        request.method not in ("GET", "HEAD")
        or request.path.startswith(PRIVATE_PREFIXES)
        or settings.SESSION_COOKIE_NAME in request.COOKIES
        or "Authorization" in request.headers
    )


def _is_personal(request, response):
    notes = getattr(request, _NOTES_ATTR, None)
    return (
        _personal_request(request)
        or getattr(request, "is_preview", False)
        or bool(response.cookies)
        or (notes is not None and notes.private)
    )


def _freshness(request):
    match = request.resolver_match
    if match is not None and (
        _LONG_LIVED_NAMESPACES.intersection(match.namespaces)
        or match.url_name in _LONG_LIVED_URL_NAMES
    ):
        return settings.BYLINE_FEED_CACHE_MAX_AGE, settings.BYLINE_FEED_CACHE_STALE_WHILE_REVALIDATE
    return settings.BYLINE_CACHE_MAX_AGE, settings.BYLINE_CACHE_STALE_WHILE_REVALIDATE


def _etag(response, notes):
    content = response.content
    for value, stand_in in notes.volatile if notes else ():
        content = content.replace(value, stand_in)
    digest = hashlib.blake2b(content, digest_size=16)
    digest.update(response.get("Content-Type", "").encode())
    return f'W/"{digest.hexdigest()}"'


def _last_modified(response, notes, stamps, now):
    everything, shared = stamps
    if notes and notes.last_modified:
        latest = max(shared, *notes.last_modified)
    else:
        stated = parse_http_date_safe(response.get("Last-Modified") or "")
        latest = everything
        if stated is not None:
            latest = max(latest, datetime.fromtimestamp(stated, tz=UTC))
    # Never in the future (RFC 9110 8.8.2.1), in whole seconds like the header.
    return int(min(latest, now).timestamp())


def _not_modified(request, etag, last_modified, now):
    """Whether the request's validators match: If-None-Match decides when present
    (RFC 9110 13.2.2), otherwise If-Modified-Since."""
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match is not None:
        if len(if_none_match) > MAX_IF_NONE_MATCH:
            return False
        tags = parse_etags(if_none_match)
        if tags == ["*"]:
            return True
        ours = etag.removeprefix("W/")
        return any(tag.removeprefix("W/") == ours for tag in tags)
    since = parse_http_date_safe(request.headers.get("If-Modified-Since") or "")
    # A date from the future (a client's wrong clock) proves nothing.
    return since is not None and since <= now.timestamp() and last_modified <= since


def not_modified_answer(request, response, etag, last_modified, now):
    """A 304 for `response` when the request's validators match, else None.
    Also answers the page cache's hits (cms.page_cache) without rendering."""
    if not _not_modified(request, etag, last_modified, now):
        return None
    not_modified = HttpResponseNotModified()
    for header in _NOT_MODIFIED_HEADERS:
        if header in response:
            not_modified.headers[header] = response.headers[header]
    return not_modified


def next_visibility_change():
    """Unix time of the next scheduled change readers will see (an article going
    live or expiring, a scheduled revision), None if nothing is scheduled. The
    page cache keeps no answer past it."""
    from cms.runtime.catch_up import next_go_live

    stamps = cache.get(STAMPS_KEY)
    if stamps is None:
        content_stamps()
        stamps = cache.get(STAMPS_KEY) or {}
    times = [next_go_live() or None]
    if stamps.get("next") is not None:
        times.append(stamps["next"].timestamp())
    return min((time for time in times if time), default=None)


def note_upcoming(moment):
    """A page was scheduled to go live or expire at `moment`: bring the cached next
    visibility change forward if it is sooner (readers pay no query for it)."""
    stamps = cache.get(STAMPS_KEY)
    if stamps is None or moment is None:
        return
    if stamps["next"] is None or moment < stamps["next"]:
        stamps["next"] = moment
        seconds = int((moment - timezone.now()).total_seconds()) + 1
        cache.set(STAMPS_KEY, stamps, max(1, min(TRUST_FOR, seconds)))


def public_request_url(request):
    """The request's URL at the public address (BYLINE_BASE_URL), as a CDN keeps it."""
    from cms.public_address import request_root_url

    return request_root_url(request) + request.get_full_path()


class HttpCacheMiddleware:
    """Cache-Control, Vary, ETag and Last-Modified on every response, 304 when they match.

    Inside GZipMiddleware (hashes the uncompressed body) and outside the session,
    CSRF and message middleware (sees the cookies they set and the Vary they add).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        uncached = request.path.startswith(UNCACHED_PREFIXES)
        # Read before the view runs: a change committed while it renders dates the
        # next answer, never this one (which may show the data from before it).
        stamps = None if uncached or _personal_request(request) else content_stamps()
        if request.method == "HEAD":
            # HEAD is GET without the body (RFC 9110 9.3.2), for every view: some
            # (django-ninja's API v3) would answer 405. The server drops the body.
            request.method = "GET"
            try:
                response = self.get_response(request)
            finally:
                request.method = "HEAD"
        else:
            response = self.get_response(request)
        if uncached:
            return response
        if _is_personal(request, response):
            response.headers["Cache-Control"] = "private, no-store"
            return response
        if response.status_code != 200:
            return response
        chosen = response.get("Cache-Control", "")
        if "no-store" in chosen or "private" in chosen:
            return response
        now = timezone.now()
        notes = getattr(request, _NOTES_ATTR, None)
        if not chosen:
            max_age, stale = _freshness(request)
            response.headers["Cache-Control"] = (
                f"public, max-age={max_age}, stale-while-revalidate={stale}"
            )
        self._patch_vary(request, response)
        last_modified = _last_modified(response, notes, stamps, now)
        response.headers["Last-Modified"] = http_date(last_modified)
        if response.streaming:
            return response
        etag = response.get("ETag") or _etag(response, notes)
        response.headers["ETag"] = etag
        return not_modified_answer(request, response, etag, last_modified, now) or response

    @staticmethod
    def _patch_vary(request, response):
        patch_vary_headers(response, ("Accept-Encoding",))
        if request.path.startswith(COOKIE_FREE_PREFIXES):
            kept = [
                name
                for name in cc_delim_re.split(response.headers["Vary"])
                if name.lower() != "cookie"
            ]
            response.headers["Vary"] = ", ".join(kept)


# Compression ---------------------------------------------------------------------

_COMPRESSIBLE = re.compile(
    r"^(text/|application/(json|xml|javascript|[\w.+-]+\+(json|xml))$|image/svg\+xml$)"
)


class TextGZipMiddleware(GZipMiddleware):
    """Django's gzip (with its BREACH length padding) for text only: images, PDFs and
    downloads are compressed already, and gzipping them costs CPU for nothing."""

    def process_response(self, request, response):
        content_type = response.get("Content-Type", "").split(";")[0].strip().lower()
        if not _COMPRESSIBLE.match(content_type):
            return response
        return super().process_response(request, response)
