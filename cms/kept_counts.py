"""Listing counts kept between requests: counting reads every matching row, so a listing's
total ("Page 1 of 210", an API's ``count``) grew with the archive while its page did not.

``kept_count(name, queryset, keys)`` is ``queryset.count()`` kept in ``cms.shared_lookups``
against `keys` (surrogate keys whose purge means a row may have joined or left: every
page publish, unpublish, move or delete purges ``api-pages``, every article's ``articles``),
view restrictions (``restrictions``) and the next scheduled change of what readers may see.
It is not noted on a stored answer: those keys would purge it at every publication
anywhere, and the answer's own keys already date what it shows.

``KeptListing`` keeps a listing's ids the same way, in the listing's order: its length is
the count, and a page of it is read by primary key, so page 400 costs what page 1 does,
when first shown (``KeptRows``).

``KeptCountPagination`` (v3) and ``KeptCountV2Pagination`` do the same for the API listings
of pages for anonymous readers, named by the path and the query string without ``limit``
and ``offset``; token holders and signed-in sessions (who may see drafts) are counted each
time.
"""

import hashlib
import uuid
from urllib.parse import parse_qsl, urlencode

from wagtail.api.v2.pagination import WagtailPagination
from wagtail.api.v3.pagination import WagtailLimitOffsetPagination

# A page of any type published, unpublished, moved or deleted; an article (news); a view
# restriction; an author published or withdrawn; a tag saved.
API_LISTING_KEYS = ("api-pages", "articles", "listing:authors", "api-listing:tags")


def kept_count(name, queryset, keys):
    from cms.http_cache import next_visibility_change
    from cms.shared_lookups import remember

    def build():
        return queryset.count(), {*keys, "restrictions"}, next_visibility_change()

    return remember(f"count:{name}", build, note=False)


def kept_ids_made(name, queryset, keys):
    """``(ids, made)``: the primary keys of `queryset`, in its order, kept like
    ``kept_count``, and a name for this making of them, new each time they are made again
    (a purge of their keys, a view restriction, a scheduled change), so what is kept by
    their name (a run of cards) is never older than they are. `queryset` may be a
    function that makes it (or the list of its ids), called only when they are not kept."""
    from cms.http_cache import next_visibility_change
    from cms.shared_lookups import remember

    def build():
        made = queryset() if callable(queryset) else queryset
        if not isinstance(made, list):
            made = list(made.prefetch_related(None).values_list("pk", flat=True))
        return (made, uuid.uuid4().hex), {*keys, "restrictions"}, next_visibility_change()

    return remember(f"listing-ids:{name}", build, note=False)


class KeptListing:
    """A listing for Django's Paginator: counted and sliced from its kept ids; a slice is
    read by key from `rows` (default: `queryset`), whose filters, loads and prefetches it
    keeps: `rows` may leave out the filters that chose the listing's members (a join the
    database would read every member through), and leave what may be shown to `shown`, a
    function that keeps the loaded rows readers may see (``cms.visibility.visible_pages``),
    not to nobody.
    """

    def __init__(self, name, queryset, keys, rows=None, shown=None):
        self.queryset = queryset if rows is None else rows
        self.ids, self.made = kept_ids_made(name, queryset, keys)
        self.shown = shown

    def count(self):
        return len(self.ids)

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, item):
        if not isinstance(item, slice):
            return self[item : item + 1][0]
        return KeptRows(self.ids[item], self._load, self.made)

    def _load(self, ids):
        if not ids:
            return []
        # Filtered again: a row that left the listing since its ids were kept is left out.
        found = {row.pk: row for row in self.queryset.filter(pk__in=ids)}
        rows = [found[pk] for pk in ids if pk in found]
        return rows if self.shown is None else self.shown(rows)


class KeptRows:
    """A slice of a ``KeptListing``: its kept `ids` (and `made`, the name of their making)
    at once, its rows read the first time they are iterated, counted or indexed, so a
    page whose parts are kept (a run of cards named by these) reads none. Its truth is
    whether it holds any id."""

    def __init__(self, ids, load, made):
        self.ids = ids
        self.made = made
        self._load = load
        self._rows = None

    @property
    def rows(self):
        if self._rows is None:
            self._rows = self._load(self.ids)
        return self._rows

    def __bool__(self):
        return bool(self.ids)

    def __iter__(self):
        return iter(self.rows)

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, item):
        return self.rows[item]


def request_listing_name(request):
    """A short name for the listing `request` asks for, whatever page of it."""
    query = sorted(
        (key, value)
        for key, value in parse_qsl(request.META.get("QUERY_STRING", ""), keep_blank_values=True)
        if key not in ("limit", "offset")
    )
    listing = f"{request.path}?{urlencode(query)}"
    return "api:" + hashlib.sha256(listing.encode()).hexdigest()[:24]


def request_count(request, queryset, keys=API_LISTING_KEYS):
    """``queryset.count()`` for the listing `request` asks for: kept for anonymous readers."""
    user = getattr(request, "user", None)
    if (user is not None and user.is_authenticated) or request.GET.get("search"):
        # Token holders may see drafts; searches are matched afresh.
        return queryset.count()
    return kept_count(request_listing_name(request), queryset, keys)


class KeptCountPagination(WagtailLimitOffsetPagination):
    """Wagtail's v3 limit/offset pagination (its limit check, its envelope), counting with
    ``request_count``."""

    def paginate_queryset(self, queryset, pagination, request, **params):
        # Wagtail's own answer, counted by _items_count below: no query, the real count
        # replaces it (the paginator is shared by every request, so it holds no request).
        answer = super().paginate_queryset(_Uncounted(queryset), pagination, request, **params)
        answer["count"] = request_count(request, queryset)
        return answer

    def _items_count(self, queryset):
        if isinstance(queryset, _Uncounted):
            return None
        return super()._items_count(queryset)


class KeptCountV2Pagination(WagtailPagination):
    """Wagtail's v2 pagination (its limit and offset checks, its envelope), with
    ``meta.total_count`` from ``request_count``."""

    def paginate_queryset(self, queryset, request, view=None):
        page = super().paginate_queryset(_Uncounted(queryset), request, view)
        self.total_count = request_count(request, queryset)
        return page

    def paginate_ids(self, queryset, request, view=None):
        """``paginate_queryset`` for the ids alone: the page's ids in order, no rows read."""
        ids = super().paginate_queryset(
            _Uncounted(queryset.values_list("pk", flat=True)), request, view
        )
        self.total_count = request_count(request, queryset)
        return list(ids)


class _Uncounted:
    """A queryset whose count is left to ``KeptCountPagination``; slicing passes through."""

    def __init__(self, queryset):
        self.queryset = queryset

    def __getitem__(self, item):
        return self.queryset[item]

    def count(self):
        return None  # counted by the pagination, or kept
