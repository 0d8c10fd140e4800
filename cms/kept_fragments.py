"""Rendered fragments kept between requests: a part of a page that is costly to make
and shared by every reader (an article's body) is rendered once and served again
until something it shows changes.

``keep(request, name, render, keys=(), depends_on=())`` returns ``render()``'s value, kept
in ``cms.shared_lookups`` under `name` and a hash of `depends_on` (strings), the host and
the language (links may be absolute on another site). While it renders, every object it
loads is noted (``cms.page_cache.recording``, the page cache's own record), so the fragment is filed
against the surrogate keys of the pages, images, documents and snippets it shows, plus
`keys`; a purge of any of them (a linked page published or moved, an image re-cropped,
an embed fetched) makes it stale in every process at once, as it does a cached page. It
also never outlives the page cache's staleness bound nor the soonest scheduled change of
a page it loaded. The keys are noted on the answer being recorded, hit or miss, so a
cached page that shows a kept fragment is purged with it.

Only what readers share is kept: a request the page cache bypasses (signed-in editors,
previews, form posts, ``cms.page_cache.middleware.bypasses``) always renders afresh.
`depends_on` must say everything else the fragment's output depends on besides those keys
(the content it renders, e.g. the stored body, and how it is shown).

What differs from one request to the next inside a kept fragment (a freshly signed form
token) is rendered as a ``stand_in(name)`` and put in place after the fragment is read.
"""

import hashlib
from functools import cache

from django.conf import settings
from django.utils import translation
from django.utils.crypto import salted_hmac
from django.utils.safestring import mark_safe

from cms.page_cache import recording
from cms.page_cache.middleware import bypasses

PREFIX = "fragment:"


def keep(request, name, render, keys=(), depends_on=(), until=None):
    """`render()`'s value, from the store while nothing it shows changed (nor `keys`),
    and not past `until` (a Unix time)."""
    if not _keeps(request):
        return render()
    from cms.shared_lookups import remember

    name = _named(request, name, depends_on)

    def build():
        token = recording.start()
        try:
            value = render()
        finally:
            record = recording.stop(token)
        soonest = min((at for at in (record.soonest, until) if at), default=None)
        return value, record.names | set(keys), soonest

    return remember(PREFIX + name, build, request)


def kept(request, name, depends_on=()):
    """What ``keep`` kept under `name` and `depends_on` while it is current, or None:
    nothing is made (the caller makes it, and keeps it, its own way)."""
    if not _keeps(request):
        return None
    from cms.shared_lookups import peek

    return peek(PREFIX + _named(request, name, depends_on), request)


def _keeps(request):
    """Only what readers share is kept: never for signed-in editors or previews."""
    return not (request is None or bypasses(request) or getattr(request, "is_preview", False))


def _named(request, name, depends_on):
    language = translation.get_language() or ""
    return f"{name}:{_fingerprint(*depends_on, request.get_host(), language)}"


def _fingerprint(*parts):
    """A short, stable name for what `parts` (strings) hold."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode())
        digest.update(b"\0")
    return digest.hexdigest()[:32]


def stand_in(name):
    """A placeholder for per-request text in a kept fragment, replaced after it is read:
    a word no content can forge (it is signed with the site's secret key) that HTML
    escaping leaves as it is, in text and in attribute values alike."""
    return _stand_in(name, settings.SECRET_KEY)


@cache
def _stand_in(name, secret):
    signature = salted_hmac("byline.kept_fragments.stand_in", name, secret=secret).hexdigest()
    return mark_safe(f"byline-kept-{name}-{signature[:24]}")  # noqa: S308 (no input)
