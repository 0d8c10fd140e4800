"""Which surrogate keys each change purges, and the CDN purge that follows.

- an article published, unpublished, deleted or moved (from the admin, the API,
  code or the scheduler): ``page:<id>`` (every answer that showed it: its page,
  the listings and API answers that listed it, articles linking to it) and
  every listing it now belongs to (``keys.article_listing_keys``: its section,
  tags, authors, archive year, home, feeds, sitemaps, search, API listings);
  a move also purges its old section and what shows the pages below it;
- a revision scheduled to go live: the same listings, so that answers stored
  from now on keep no longer than its go-live time;
- another page (a section, the home page): ``page:<id>``, its own listing,
  the sitemaps and the API's page listings (``api-pages``), and for a section
  the masthead menu (``nav``);
- a page's own rows (its bylines, tags, corrections: ParentalKey children) saved
  or deleted: the page's ``page:<id>``;
- an image (or a document), a tag, a snippet (an author), a setting saved or
  deleted: its own key (``image:<id>``, ``tag:<id>``, ``author:<id>``,
  ``setting:<app.model>``), which every answer that loaded it recorded;
- a reader comment or mention approved, or taken off an article: the
  article's ``page:<id>`` (plugins announce these with the events
  ``after_comment_create`` and ``after_comment_moderate``, see wagtail_hooks.py).

Purges happen at once and again when the transaction commits; the CDN gets
the public URLs of the purged entries, the changed pages and the pages that
use a changed image or snippet (Wagtail's reference index), from the worker.
"""

import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from cms import http_cache

from . import keys, store

logger = logging.getLogger("byline.page_cache")

# Image and document columns Wagtail fills in on its own as files are read.
_FILE_DETAILS = {"file_size", "file_hash"}
_SHOWN_COMMENT_STATUS = "approved"


def purge(names, urls=()):
    """Purge `names` here and, once committed, their URLs (and `urls`) on the CDN."""
    purged = store.purge(*names)
    urls = sorted({*purged, *(url for url in urls if url)})
    if urls and getattr(settings, "WAGTAILFRONTENDCACHE", None):
        _purge_frontend_on_commit(urls)
    return urls


class _FrontendPurge:
    """The CDN purge of one transaction: every purge made in it adds its URLs, and each
    URL is sent once when it commits (publishing an article purges its bylines' and
    tags' rows, then the article, and the same listings show them all)."""

    def __init__(self, urls):
        self.urls = set(urls)

    def __call__(self):
        from wagtail.contrib.frontend_cache.utils import purge_urls_from_cache

        purge_urls_from_cache(sorted(self.urls))  # queues Wagtail's purge task for the worker


def _purge_frontend_on_commit(urls):
    connection = transaction.get_connection()
    if connection.in_atomic_block:
        # A purge rolled back with its savepoint is dropped with it (Django's own list).
        for _savepoints, callback, _robust in connection.run_on_commit:
            if isinstance(callback, _FrontendPurge):
                callback.urls.update(urls)
                return
    transaction.on_commit(_FrontendPurge(urls))


# Pages ----------------------------------------------------------------------------


def page_changed(page, *, parent=None):
    from wagtail.models import Page

    from news.models import ArticlePage, NewsIndexPage

    names = {f"page:{page.pk}", "sitemaps", "api-pages"}
    specific = page.specific_deferred if type(page) is Page else page
    if isinstance(specific, ArticlePage):
        names |= keys.article_listing_keys(specific, parent=parent)
    else:
        names |= keys.page_keys(specific)
    if isinstance(specific, NewsIndexPage):
        names.add("nav")  # the masthead's menu may list it
    # Listings stored from now on must not outlive its go-live or expiry time.
    now = timezone.now()
    for name in ("go_live_at", "expire_at", "publication_date"):
        moment = getattr(specific, name, None)
        if moment is not None and moment > now:
            http_cache.note_upcoming(moment)
    purge(names, urls=[_page_url(specific)])


def _page_url(page):
    try:
        return page.get_full_url()
    except Exception:  # a page with no route (deleted, outside every site)
        return None


def _published(sender, instance, **kwargs):
    page_changed(instance)


def _unpublished(sender, instance, **kwargs):
    page_changed(instance)


def _deleted(sender, instance, **kwargs):
    from wagtail.models import Page

    if isinstance(instance, Page) and type(instance) is not Page:
        page_changed(instance)


def _moved(sender, instance, parent_page_before=None, parent_page_after=None, **kwargs):
    from wagtail.models import Page

    page_changed(instance, parent=parent_page_after)
    below = Page.objects.descendant_of(instance).values_list("pk", flat=True)
    names = {f"page:{pk}" for pk in below}
    if parent_page_before is not None:
        names |= {
            f"listing:section:{parent_page_before.pk}",
            f"related:section:{parent_page_before.pk}",
        }
    purge(names)


def _page_logged(sender, instance, created=False, **kwargs):
    """A revision scheduled or its schedule cancelled: answers stored from now on
    must not outlive the go-live time (``keys`` of the listings it will join)."""
    if not created or instance.action not in (
        "wagtail.publish.scheduled",
        "wagtail.schedule.cancel",
    ):
        return
    page = instance.page
    if page is not None:
        page_changed(page.specific)


# Images, tags, snippets, settings ---------------------------------------------------


def _object_saved(sender, instance, update_fields=None, created=False, **kwargs):
    from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting
    from wagtail.images.models import AbstractRendition

    if isinstance(instance, AbstractRendition):
        return  # a new rendition changes nothing shown
    setting = isinstance(instance, BaseSiteSetting | BaseGenericSetting)
    if created and setting and _has_defaults(instance):
        return  # made with its defaults the first time it is read
    if update_fields is not None and set(update_fields) <= _FILE_DETAILS:
        return
    name = keys.object_key(instance)
    if name is None:
        _page_part_changed(instance)
        return
    if name.startswith("page:"):
        return
    # A new or newly published object joins its kind's API listings ("author:7" is
    # listed by /api/v2/authors/ and /api/v3/authors/), which loaded only the others.
    names = {name, keys.api_listing_key(name.split(":", 1)[0] + "s")}
    if instance._meta.label_lower == "authors.author":
        names.add("listing:authors")
        slug = getattr(instance, "slug", "")
        names.add(f"listing:author:{slug}")
    if name.startswith("tag:"):
        names.add(f"listing:tag:{instance.slug}")
    purge(names, urls=_referrer_urls(instance))


def _page_part_changed(instance):
    """A row of a page's own (a ParentalKey child: a byline, a tag, a correction) saved
    or deleted. Publishing saves them with the page, which purges its key anyway; a
    script may change them alone, and what shows the page must follow."""
    from modelcluster.fields import ParentalKey
    from wagtail.models import Page

    names = set()
    for field in instance._meta.concrete_fields:
        if isinstance(field, ParentalKey) and issubclass(field.related_model, Page):
            page_id = getattr(instance, field.attname, None)
            if page_id is not None:
                names.add(f"page:{page_id}")
    if names:
        purge(names)


def _has_defaults(setting):
    """Whether every field of a setting row holds its default (what reading made)."""
    for field in setting._meta.concrete_fields:
        if field.primary_key or field.is_relation or not field.has_default():
            continue
        if getattr(setting, field.attname) != field.get_default():
            return False
    return True


def _referrer_urls(instance):
    """Public URLs of the pages using `instance` (Wagtail's reference index)."""
    from wagtail.models import Page, ReferenceIndex

    if not getattr(settings, "WAGTAILFRONTENDCACHE", None) or instance.pk is None:
        return []
    page_type = ReferenceIndex._get_base_content_type(Page)
    page_ids = [
        reference.object_id
        for reference in ReferenceIndex.get_references_to(instance).only(
            "base_content_type", "object_id"
        )
        if reference.base_content_type_id == page_type.pk
    ]
    return [_page_url(page) for page in Page.objects.live().filter(pk__in=page_ids).specific()]


def _restriction_changed(sender, instance, **kwargs):
    """A page made private or public again: it and the pages below it (and whatever
    links to them) change for readers."""
    from wagtail.models import Page

    purge({"restrictions"})  # cms.visibility.restricted_paths
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is None:
        return
    ids = [page.pk, *Page.objects.descendant_of(page).values_list("pk", flat=True)]
    purge({f"page:{pk}" for pk in ids} | {"sitemaps", "api-listing"})


def source_changed(instance):
    """A row registered with cms.http_cache.register_change_source() changed: purge
    the pages it belongs to (its foreign keys to pages), e.g. an article's comment
    options (comments closed or reopened)."""
    from wagtail.models import Page

    names = set()
    for field in instance._meta.concrete_fields:
        target = getattr(field, "related_model", None)
        if field.is_relation and isinstance(target, type) and issubclass(target, Page):
            value = getattr(instance, field.attname, None)
            if value is not None:
                names.add(f"page:{value}")
    purge(names)


# The Wagtail Site ---------------------------------------------------------------------

# Fields of a Site that decide which requests it serves (and what is below its root).
_SITE_ROUTING = ("hostname", "port", "is_default_site", "root_page_id")


def _site_before(sender, instance, **kwargs):
    from wagtail.models import Site

    before = Site.objects.filter(pk=instance.pk).values(*_SITE_ROUTING).first()
    instance._page_cache_routing = tuple(before.values()) if before else None


def _site_saved(sender, instance, created=False, **kwargs):
    """A Site renamed: every answer it served (``site:<id>``), and nothing else."""
    routing = tuple(getattr(instance, name) for name in _SITE_ROUTING)
    before = getattr(instance, "_page_cache_routing", None)
    if created or before != routing:
        _site_routing_changed(instance)
    else:
        purge({keys.site_key(instance.pk)})


def _site_routing_changed(instance, **kwargs):
    """A Site added, removed or given another hostname, port, root or default flag:
    requests may be served by another Site now, so every answer of every Site."""
    from wagtail.models import Site

    ids = [*Site.objects.values_list("pk", flat=True), instance.pk, None]
    purge({keys.site_key(pk) for pk in ids} | {"sitemaps", "api-pages"})


def _slug_changed(sender, instance, instance_before=None, **kwargs):
    """A page's slug changed: every page below it has another address, and the answers
    that link to them (listings, feeds, sitemaps, the API) show the old one."""
    from wagtail.models import Page

    below = Page.objects.descendant_of(instance).values_list("pk", flat=True)
    purge({f"page:{pk}" for pk in below} | {f"page:{instance.pk}", "sitemaps", "feeds"})


# Comments and mentions (plugin events) ------------------------------------------


def comment_changed(comment, old_status=None):
    """A comment shows when approved: purge its article if it is or was shown."""
    statuses = {getattr(comment, "status", None), old_status}
    if _SHOWN_COMMENT_STATUS in statuses and getattr(comment, "article_id", None):
        purge({f"page:{comment.article_id}"})


def discussion_changed(article_id, reason=None, comment=None):
    """The plugin event ``after_discussion_change``. A shown comment or mention edited:
    the answers that loaded it (its own key, e.g. ``comment:<id>`` for a snippet), or
    the article's if it has none. Deleted (counts change): the article's answers
    (``page:<id>``). Comments closed by age: the article's own page (the form goes)."""
    from wagtail.models import Page

    name = keys.object_key(comment) if reason == "edited" and comment is not None else None
    if reason == "closed":
        name = keys.served_key(article_id)  # the form goes from its own page only
    urls = []
    if getattr(settings, "WAGTAILFRONTENDCACHE", None):
        page = Page.objects.filter(pk=article_id).first()
        urls = [_page_url(page)] if page is not None else []
    purge({name or f"page:{article_id}"}, urls=urls)


def connect_signals():
    from django.db.models.signals import post_delete, post_save, pre_save
    from wagtail.models import PageLogEntry, PageViewRestriction, Site
    from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

    uid = "byline-page-cache"
    page_published.connect(_published, dispatch_uid=f"{uid}-publish")
    page_unpublished.connect(_unpublished, dispatch_uid=f"{uid}-unpublish")
    post_page_move.connect(_moved, dispatch_uid=f"{uid}-move")
    post_delete.connect(_deleted, dispatch_uid=f"{uid}-page-delete")
    post_save.connect(_page_logged, sender=PageLogEntry, dispatch_uid=f"{uid}-schedule")
    for signal in (post_save, post_delete):
        signal.connect(_restriction_changed, sender=PageViewRestriction, dispatch_uid=uid)
    page_slug_changed.connect(_slug_changed, dispatch_uid=f"{uid}-slug")
    pre_save.connect(_site_before, sender=Site, dispatch_uid=f"{uid}-site")
    post_save.connect(_site_saved, sender=Site, dispatch_uid=f"{uid}-site")
    post_delete.connect(
        lambda sender, instance, **kwargs: _site_routing_changed(instance),
        sender=Site,
        dispatch_uid=f"{uid}-site-delete",
        weak=False,
    )
    post_save.connect(_object_saved, dispatch_uid=f"{uid}-save")
    post_delete.connect(_object_saved, dispatch_uid=f"{uid}-delete")
