"""Small lookups every reader request repeats, kept between requests: the Site (with its
root page), the site settings, the masthead menu, the sections (``news.models.pages``) and
the paths of view-restricted pages (``cms.visibility``).

They live in the page cache's store (``cms.page_cache.store``: local memory in tests, files
shared by the processes of one machine, or Redis) and are filed against the same surrogate
keys as cached answers, so the purges of ``cms.page_cache.invalidation`` (a page published,
moved or deleted, a view restriction, a setting saved) make them stale in every process at
once. Rows saved without publishing (a script, a test's factory) purge them too: a Site,
the site's root page (``sites``), a section (``sections``), a live article, a tag or a
byline (``ARTICLES_KEYS``). They also never outlive the page
cache's staleness bound, nor the moment something they hold is scheduled to change
(``until``, compared with the clock readers' visibility uses). A missing or stale entry costs
the lookup's usual queries, never a stale answer, whether the page cache is on or off.
A queryset ``update()`` sends no signal: code that changes these rows that way purges the
keys itself (``cms.page_cache.store.purge``) or waits for the staleness bound.

``SharedLookupsMiddleware`` puts the Site and lazy site settings on readers' GET and HEAD
requests, where Wagtail's ``Site.find_for_request`` and ``BaseSiteSetting.for_request`` look
first (they cache on the request), so no view, plugin or template has to know.
"""

import contextlib
import threading
import time
import uuid
from collections import OrderedDict

from django.core.cache import caches
from django.db import DatabaseError
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from cms.page_cache import recording, store

PREFIX = "lookup:"
SITES_KEY = "sites"
SECTIONS_KEY = "sections"
# Lookups that count or date articles: the sitemaps' summaries (news.sitemaps) and the
# listings' totals (cms.kept_counts). Publishing purges them; so does a live article, a
# tag or a byline written without a publish event (a script, an import).
ARTICLES_KEYS = ("sitemaps", "articles")


def remember(name, build, request=None, *, note=True):
    """The value `build()` made, from the store while none of its keys changed.

    `build()` returns ``(value, keys, until)``: the surrogate keys whose purge makes the
    value stale, and a Unix time it must not be used after (or None). The keys are noted
    on the answer being recorded for the page cache, as if the objects had been loaded;
    with ``note=False`` the caller notes the keys of the parts it shows itself.
    """
    return remember_many([name], lambda missing: {name: build()}, request, note=note)[name]


def remember_many(names, build, request=None, *, note=True):
    """``remember`` for several values read together: ``{name: value}`` for `names`, with
    one read of the store for all of them; `build(missing)` returns ``{name: (value, keys,
    until)}`` for the names whose value is missing or stale, all at once."""
    cache = caches[store.CACHE_ALIAS]
    started = time.time()
    # Scheduled changes are read on the clock visibility uses (cms.visibility).
    now = timezone.now().timestamp()
    found = _current(cache, names, request, note, now)
    missing = [name for name in names if name not in found]
    if not missing:
        return found
    for name, (value, keys, until) in build(missing).items():
        found[name] = value
        keys = set(keys)
        if note:
            _note(request, keys, until)
        versions = store.versions_since(keys, started) if keys else {}
        if versions is None:
            continue  # something it shows changed while it was being made
        timeout = store.max_age()
        if until is not None:
            timeout = min(timeout, max(1, until - now))
        if timeout > 0:
            entry = {
                "value": value,
                "versions": versions,
                "keys": keys,
                "until": until,
                "expires": now + timeout,
            }
            cache.set(PREFIX + name, entry, timeout)
            _hold(PREFIX + name, entry)
    return found


def peek(name, request=None):
    """The value kept under `name` while it is current, or None: nothing is made."""
    now = timezone.now().timestamp()
    return _current(caches[store.CACHE_ALIAS], [name], request, True, now).get(name)


def _current(cache, names, request, note, now):
    """``{name: value}`` of the `names` whose kept value is current."""
    entries = _read_entries(cache, [PREFIX + name for name in names], now)
    entries = {
        key: entry
        for key, entry in entries.items()
        if entry["until"] is None or entry["until"] > now
    }
    valid = store.still_current_many([entry["versions"] for entry in entries.values()])
    current_entries = {
        key: entry for (key, entry), ok in zip(entries.items(), valid, strict=True) if ok
    }
    found = {}
    for name in names:
        entry = current_entries.get(PREFIX + name)
        if entry is not None:
            if note:
                _note(request, entry["keys"], entry["until"])
            found[name] = entry["value"]
    return found


def made_token(name, keys):
    """A name for the present state of `keys` (surrogate keys): the same text in every
    process until any of them is purged, a new one after, so what is kept under a name
    that includes it is never older than what they name. Not noted on the answer."""
    return remember(f"made:{name}", lambda: (uuid.uuid4().hex, set(keys), None), note=False)


# Entries whose value is text (a kept fragment's HTML, a sitemap's XML) are also held in
# the process that read or made them, up to LOCAL_CHARACTERS characters in all and
# LOCAL_VALUE_CHARACTERS each, each entry counted LOCAL_ENTRY_CHARACTERS more for its keys
# (the least recently used go first), so a listing's kept
# cards cost no file read and no unpickling each: a held entry is checked like one read
# from the store (its keys' versions, `until`) and dropped when the store's copy would
# have expired. Text only: a model instance (a Site, the sections) is unpickled afresh
# for each request, which may then change it.
LOCAL_CHARACTERS = 2 * 1024 * 1024
LOCAL_VALUE_CHARACTERS = 16 * 1024
LOCAL_ENTRY_CHARACTERS = 512
_held = OrderedDict()  # key: (entry, characters)
_held_characters = 0
_held_lock = threading.Lock()


def _read_entries(cache, keys, now):
    entries = {}
    with _held_lock:
        for key in keys:
            held = _held.get(key)
            if held is not None and held[0]["expires"] > now:
                _held.move_to_end(key)
                entries[key] = held[0]
    missing = [key for key in keys if key not in entries]
    if missing:
        found = cache.get_many(missing)
        for key, entry in found.items():
            _hold(key, entry)
        entries.update(found)
    return entries


def _hold(key, entry):
    global _held_characters
    value = entry["value"]
    parts = value if isinstance(value, tuple) else (value,)
    text = all(isinstance(part, str | bytes | float | int | None) for part in parts)
    size = sum(len(part) for part in parts if isinstance(part, str | bytes))
    if not text or size > LOCAL_VALUE_CHARACTERS or not entry.get("expires"):
        return
    # Each entry also holds its keys and versions: a number or an empty text costs that.
    size += LOCAL_ENTRY_CHARACTERS
    with _held_lock:
        previous = _held.pop(key, None)
        if previous is not None:
            _held_characters -= previous[1]
        _held[key] = (entry, size)
        _held_characters += size
        while _held_characters > LOCAL_CHARACTERS:
            _held_characters -= _held.popitem(last=False)[1][1]


def _note(request, names, until):
    recording.record(request, *names)
    if until is not None:
        from datetime import UTC, datetime

        recording.note_change_at(datetime.fromtimestamp(until, UTC))


# The Site --------------------------------------------------------------------------


def site_for_request(request):
    """Wagtail's ``Site.find_for_request``, with the root page loaded as its own type."""
    from django.http.request import split_domain_port
    from wagtail.models import Site

    hostname = split_domain_port(request._get_raw_host())[0]
    port = request.get_port()

    def build():
        site = Site._find_for_request(request)
        if site is None:
            return None, {SITES_KEY}, None
        site.root_page = site.root_page.specific
        return site, {SITES_KEY, f"page:{site.root_page_id}"}, None

    return remember(f"site:{hostname}:{port}", build)


def sites_changed(sender, instance=None, **kwargs):
    """A Site added, changed or removed: every request may belong to another one now."""
    store.purge(SITES_KEY)


def page_saved(sender, instance=None, created=False, **kwargs):
    """A site root (depth 2 or above) or a section saved or deleted, published or not;
    a page added under a site root or deleted from under one; a live article saved or
    an article deleted; a live page saved as not live."""
    from django.db.models.signals import post_delete

    from news.models import ArticlePage, NewsIndexPage

    depth = getattr(instance, "depth", None)
    if depth is not None and depth <= 2:
        store.purge(SITES_KEY)
    elif (created or kwargs.get("signal") is post_delete) and _is_site_root(
        path=_parent_path(instance)
    ):
        # The cached root page counts its children (treebeard's numchild) and routes
        # nowhere while it counts none: its first child would answer 404.
        store.purge(SITES_KEY)
    if isinstance(instance, NewsIndexPage):
        store.purge(SECTIONS_KEY)
    if isinstance(instance, ArticlePage) and (instance.live or kwargs.get("signal") is post_delete):
        store.purge(*ARTICLES_KEYS)
    elif instance.__dict__.pop(_WAS_LIVE, False):
        # A live page saved as not live by a script (no unpublish event): what an
        # unpublication purges (every stored or kept answer that shows it, the listings
        # an article leaves, the CDN), and the lookups that list articles.
        from cms.page_cache.invalidation import page_changed

        page_changed(instance)
        if isinstance(instance, ArticlePage):
            store.purge(*ARTICLES_KEYS)


_WAS_LIVE = "_byline_was_live"


def page_saving(sender, instance=None, **kwargs):
    """Before a page is saved as not live: whether its row says live (one query, on saves
    of drafts only), so that ``page_saved`` knows it was taken off the site."""
    from wagtail.models import Page

    if isinstance(instance, Page) and instance.pk and not instance.live:
        was_live = Page.objects.filter(pk=instance.pk, live=True).exists()
        instance.__dict__[_WAS_LIVE] = was_live


def listed_rows_saved(sender, instance=None, **kwargs):
    """An article's tag or byline saved or deleted: what counts or dates articles by tag or
    author (the sitemaps' summaries, listings' totals) may have changed."""
    store.purge(*ARTICLES_KEYS)


def page_moved(sender, instance=None, parent_page_before=None, parent_page_after=None, **kwargs):
    """A page moved from or to a site root: its count of children changed (see above)."""
    parents = [parent.pk for parent in (parent_page_before, parent_page_after) if parent]
    if _is_site_root(pk__in=parents):
        store.purge(SITES_KEY)


def _parent_path(page):
    from wagtail.models import Page

    return (getattr(page, "path", None) or "")[: -Page.steplen]


def _is_site_root(**page):
    """Whether a page matching `page` (lookups on Page) is some Site's root (one query)."""
    from wagtail.models import Site

    if not any(page.values()):
        return False
    return Site.objects.filter(**{f"root_page__{name}": v for name, v in page.items()}).exists()


# Site settings ---------------------------------------------------------------------


def site_setting(model, site):
    """``model.for_site(site)`` (a BaseSiteSetting), kept until the setting is saved."""

    def build():
        return model.for_site(site), {f"setting:{model._meta.label_lower}"}, None

    return remember(f"setting:{model._meta.label_lower}:{site.pk}", build)


def _site_setting_models():
    from django.apps import apps
    from wagtail.contrib.settings.models import BaseSiteSetting

    return [model for model in apps.get_models() if issubclass(model, BaseSiteSetting)]


class SharedLookupsMiddleware:
    """Readers' GETs find the Site and the site settings here (see the module docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("GET", "HEAD") and not request.path.startswith("/admin/"):
            # The database down: views answer for themselves (/health/ says 503, the
            # page cache may still serve what it holds), as without this middleware.
            with store.one_generation_per_request():
                with contextlib.suppress(DatabaseError):
                    self.prepare(request)
                return self.get_response(request)
        return self.get_response(request)

    @staticmethod
    def prepare(request):
        site = site_for_request(request)
        if site is None:
            return
        request._wagtail_site = site
        for model in _site_setting_models():
            setattr(
                request,
                model.get_cache_attr_name(),
                SimpleLazyObject(lambda model=model: site_setting(model, site)),
            )


def connect_signals():
    from django.db.models.signals import post_delete, post_save, pre_save
    from wagtail.models import Page, Site, get_page_models
    from wagtail.signals import post_page_move

    from news.models import ArticleAuthor, ArticlePageTag

    post_page_move.connect(page_moved, dispatch_uid="byline-shared-lookups-move")
    for model in get_page_models():
        pre_save.connect(
            page_saving, sender=model, dispatch_uid=f"byline-shared-lookups-live-{model}"
        )
    for model in (ArticlePageTag, ArticleAuthor):
        for signal in (post_save, post_delete):
            signal.connect(
                listed_rows_saved, sender=model, dispatch_uid=f"byline-shared-lookups-{model}"
            )
    for signal in (post_save, post_delete):
        signal.connect(sites_changed, sender=Site, dispatch_uid="byline-shared-lookups-sites")
        for model in (Page, *get_page_models()):
            signal.connect(page_saved, sender=model, dispatch_uid=f"byline-shared-lookups-{model}")
