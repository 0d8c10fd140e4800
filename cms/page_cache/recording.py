"""Which objects an answer shows: every page, image, tag, snippet and setting it loads.

While the page cache renders an answer for storing, a ``post_init`` receiver
notes the surrogate key (``keys.object_key``) of each model instance made,
so no view or template has to declare what it shows. Wagtail's routing loads
the site's root and the ancestors of the page asked for without showing them;
``before_serve_page`` starts the record afresh with the page being served.
"""

import time
from contextvars import ContextVar
from dataclasses import dataclass, field

from . import keys

# Page fields whose future value is a moment the page appears or disappears
# (cms.visibility decides at read time, with no event).
_VISIBILITY_FIELDS = ("go_live_at", "expire_at", "publication_date")


@dataclass
class Record:
    names: set = field(default_factory=set)
    # Unix time of the soonest scheduled visibility change of a page loaded.
    soonest: float | None = None


_recorded = ContextVar("byline_page_cache_recorded", default=None)


def start():
    """Record from now on in this context; returns the token for ``stop``."""
    return _recorded.set(Record())


def stop(token):
    """The record made since ``start``, and recording off."""
    found = _recorded.get()
    _recorded.reset(token)
    return found or Record()


def record(request, *names):
    """This answer also shows what `names` name (surrogate keys, see keys.py)."""
    found = _recorded.get()
    if found is not None:
        found.names.update(names)


def note_change_at(moment):
    """The answer being recorded changes at `moment` (a datetime) with no event, e.g. a
    banner whose time runs out: stored, it lives no longer than that."""
    found = _recorded.get()
    if found is None or moment is None:
        return
    at = moment.timestamp()
    if at > time.time() and (found.soonest is None or at < found.soonest):
        found.soonest = at


def _instance_made(sender, instance, **kwargs):
    found = _recorded.get()
    if found is None:
        return
    key = keys.object_key(instance)
    if key is None:
        return
    found.names.add(key)
    if key.startswith("page:"):
        _note_schedule(found, instance)


def _note_schedule(found, page):
    # Only what was loaded: reading a deferred field here would cost a query.
    now = time.time()
    for name in _VISIBILITY_FIELDS:
        moment = page.__dict__.get(name)
        if moment is not None and hasattr(moment, "timestamp"):
            at = moment.timestamp()
            if at > now and (found.soonest is None or at < found.soonest):
                found.soonest = at


def restart_for_page(page, request, serve_args, serve_kwargs):
    """Wagtail's ``before_serve_page`` hook: what routing loaded is not shown."""
    found = _recorded.get()
    if found is not None:
        found.names.clear()
        found.names.add(f"page:{page.pk}")
        found.names.update(keys.page_keys(page))
        _note_schedule(found, page)


def connect_signals():
    from django.db.models.signals import post_init

    post_init.connect(_instance_made, dispatch_uid="byline-page-cache-record")
