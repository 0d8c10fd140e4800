"""What readers may see now: one definition for every reader surface.

The site (pages, listings, archives, tag and author pages, search), feeds,
sitemaps, both APIs and the comment and mention endpoints all ask this module,
so a page appears and disappears everywhere at the same moment.

A page is **visible now** when

- it is live;
- its go-live time (``go_live_at``) is unset or has come;
- its expiry time (``expire_at``) is unset or still ahead;
- its model's own schedule field, if the model names one in
  ``visible_from_field`` (an article's ``publication_date``), is unset or has
  come; and
- neither it nor an ancestor carries a view restriction (password, login or
  groups).

A **snippet** readers see (an author) is visible now on the same terms
without the page-only parts: it is live (published: a draft never is, so
autosave and "Save draft" never reach readers), its go-live time is unset or
has come and its expiry time is unset or still ahead. ``visible_snippets()``
and ``snippet_visible_q()`` filter in SQL (the latter through a relation, e.g.
``snippet_visible_q("author__")`` on bylines); ``is_snippet_visible()`` answers
for one loaded object without a query. A model without draft state has no
unpublished rows: all of them are visible.

The times are compared with the clock when the page is read, not when
Wagtail's ``publish_scheduled`` job last ran: a late or stopped job never
shows an expired page or hides one whose time has come. The job only catches
the stored state (``live``, signals, the admin's status) up.

``visible()`` filters a queryset in SQL (no extra query, nothing per row);
``is_visible()`` answers the same question for one loaded page. The two
are kept side by side here so that they cannot drift apart.
"""

from datetime import datetime

from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Length, Substr
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction, get_page_models

_CACHE_ATTRIBUTE = "_byline_restricted_paths"


def _scheduled_models():
    """``(model, field)`` for each page model that declares ``visible_from_field``.

    Only the topmost declaring model is listed: its rows include its subclasses'.
    """
    declaring = [model for model in get_page_models() if getattr(model, "visible_from_field", None)]
    return [
        (model, model.visible_from_field)
        for model in declaring
        if not any(other is not model and issubclass(model, other) for other in declaring)
    ]


def on_schedule_q(model=Page, now: datetime | None = None) -> Q:
    """Live and inside its publishing window at ``now``, for a queryset of ``model``.

    The time half of "visible now", without the view-restriction half:
    serving a page needs only this, as Wagtail itself asks restricted
    pages' readers for the password or a login.
    """
    now = now or timezone.now()
    condition = (
        Q(live=True)
        & (Q(go_live_at__isnull=True) | Q(go_live_at__lte=now))
        & (Q(expire_at__isnull=True) | Q(expire_at__gt=now))
    )
    for scheduled, field in _scheduled_models():
        if issubclass(model, scheduled):
            due = Q(**{f"{field}__lte": now})
            if scheduled._meta.get_field(field).null:
                due |= Q(**{f"{field}__isnull": True})
            condition &= due
        elif issubclass(scheduled, model):
            # A queryset of a parent model (Page) holds these pages too but
            # not their field: leave out their ids, in the same SQL statement.
            not_yet = scheduled._base_manager.filter(**{f"{field}__gt": now}).values("pk")
            condition &= ~Q(pk__in=not_yet)
    return condition


def unrestricted_q() -> Q:
    """Neither the page nor an ancestor has a view restriction (one subquery, no query)."""
    # A restriction covers the pages whose tree path starts with its page's path.
    covering = PageViewRestriction.objects.filter(
        page__path=Substr(OuterRef("path"), 1, Length("page__path"))
    )
    return ~Exists(covering)


def visible_q(model=Page, now: datetime | None = None) -> Q:
    """The SQL form of "visible now" (see the module docstring) for a queryset of ``model``."""
    return on_schedule_q(model, now) & unrestricted_q()


def visible(queryset, now: datetime | None = None):
    """The pages of ``queryset`` that readers may see now; any page queryset, any page model."""
    return queryset.filter(visible_q(queryset.model, now))


def restricted_paths(request=None) -> list[str]:
    """Tree paths of every page with a view restriction.

    One query when they changed (``cms.shared_lookups``: kept between requests until a
    restriction is added or removed or a restricted page moves), then cached on the request.
    """
    from cms.shared_lookups import remember

    cached = getattr(request, _CACHE_ATTRIBUTE, None) if request is not None else None
    if cached is not None:
        return cached
    paths = remember("restricted-paths", _load_restricted_paths, request)
    if request is not None:
        setattr(request, _CACHE_ATTRIBUTE, paths)
    return paths


def _load_restricted_paths():
    rows = PageViewRestriction.objects.values_list("page_id", "page__path").distinct()
    ids, paths = set(), set()
    for page_id, path in rows:
        ids.add(page_id)
        paths.add(path)
    # A restricted page that moves takes its restriction to its new path.
    return sorted(paths), {"restrictions", *(f"page:{pk}" for pk in ids)}, None


def is_on_schedule(page, now: datetime | None = None) -> bool:
    """``on_schedule_q`` for one loaded page, without a query.

    (Except for a plain ``Page`` instance of a model with a
    ``visible_from_field``: its field is loaded, one query.)
    """
    if page is None or not page.live:
        return False
    now = now or timezone.now()
    if page.go_live_at is not None and page.go_live_at > now:
        return False
    if page.expire_at is not None and page.expire_at <= now:
        return False
    for scheduled, field in _scheduled_models():
        if isinstance(page, scheduled):
            value = getattr(page, field)
        elif issubclass(scheduled, type(page)) and issubclass(
            page.specific_class or type(page), scheduled
        ):
            value = getattr(page.specific_deferred, field)
        else:
            continue
        if value is not None and value > now:
            return False
    return True


def is_visible(page, request=None, now: datetime | None = None) -> bool:
    """``visible_q`` for one loaded page: on schedule and under no view restriction.

    The restrictions are read once per request (``restricted_paths``).
    """
    return bool(visible_pages([page], request, now))


def visible_pages(pages, request=None, now: datetime | None = None) -> list:
    """The loaded `pages` readers may see now, in order: ``is_visible`` for each, the
    restricted paths read once for all."""
    now = now or timezone.now()
    paths = restricted_paths(request)
    return [
        page
        for page in pages
        if is_on_schedule(page, now) and not any(page.path.startswith(path) for path in paths)
    ]


# Snippets ------------------------------------------------------------------------


def _has_draft_state(model) -> bool:
    from wagtail.models import DraftStateMixin

    return issubclass(model, DraftStateMixin)


def snippet_visible_q(prefix: str = "", now: datetime | None = None, model=None) -> Q:
    """Live and inside its publishing window at ``now``: a draft-state snippet, in SQL.

    ``prefix`` reaches the snippet through a relation (``"author__"`` on a
    byline). With ``model`` given and without draft state, everything is visible.
    """
    if model is not None and not _has_draft_state(model):
        return Q()
    now = now or timezone.now()
    return (
        Q(**{f"{prefix}live": True})
        & (Q(**{f"{prefix}go_live_at__isnull": True}) | Q(**{f"{prefix}go_live_at__lte": now}))
        & (Q(**{f"{prefix}expire_at__isnull": True}) | Q(**{f"{prefix}expire_at__gt": now}))
    )


def visible_snippets(queryset, now: datetime | None = None):
    """The snippets of ``queryset`` readers may see now (published, inside their window)."""
    return queryset.filter(snippet_visible_q(now=now, model=queryset.model))


def is_snippet_visible(obj, now: datetime | None = None) -> bool:
    """``snippet_visible_q`` for one loaded snippet, without a query."""
    if obj is None:
        return False
    if not _has_draft_state(type(obj)):
        return True
    if not obj.live:
        return False
    now = now or timezone.now()
    if obj.go_live_at is not None and obj.go_live_at > now:
        return False
    return obj.expire_at is None or obj.expire_at > now
