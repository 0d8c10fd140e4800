"""``?search=`` in API v2 and v3: the search page's `news.search.search_articles()`.

Articles are found and ranked exactly as on the HTML search page (one
full-text match; a headline match above a body-only match; every word must
match, "quoted words" are a phrase). Wagtail's own `.search()` recomputes the
relevance per row on SQLite, taking seconds to over a minute on 10,000
articles.

- Without ``order``: most relevant first. With ``order``: the order asked for
  (the matches are found without ranking, then sorted like any listing).
- The queryset given holds the endpoint's filters (public pages, site,
  section, tag, author, dates, ``child_of`` ...); search_articles() keeps
  the articles of it that are visible now only.
- Pages of other types (the home page and sections, a handful) match when
  their title contains every word; in relevance order they come before the
  articles. With ``order`` everything is one queryset, sorted together.

Results support ``count()``, ``len()`` and slicing, so both APIs' limit/offset
pagination and totals work, in a fixed number of queries.
"""

from django.db.models import Q, QuerySet

from news.models import ArticlePage
from news.search import ORDER_DATE, ORDER_RELEVANCE, LazyResults, search_articles, search_terms


def search_pages(query, queryset, *, ordered):
    """Pages of ``queryset`` matching ``query``, most relevant first unless ``ordered``.

    ``ordered``: the request gave an ``order``; the result keeps
    ``queryset``'s ordering (on SQLite and PostgreSQL; on other search
    backends, newest articles first).
    """
    ordering = tuple(queryset.query.order_by)
    if queryset.query.is_empty():  # a filter that names nothing (queryset.none())
        return queryset
    if issubclass(queryset.model, ArticlePage):
        return _search_articles(query, queryset, ordering if ordered else None)

    terms = search_terms(query)
    if not terms:
        return queryset.none()
    articles = ArticlePage.objects.filter(pk__in=queryset.values("pk")).select_related(
        "content_type", "locale"
    )
    title_matches = Q()
    for words in terms:
        title_matches &= Q(title__icontains=" ".join(words))
    others = queryset.exclude(content_type__in=_article_types()).filter(title_matches)

    if ordered:
        matches = search_articles(query, queryset=articles, order=ORDER_DATE)
        if isinstance(matches, QuerySet):
            found = Q(pk__in=matches.values("pk")) | Q(pk__in=others.values("pk"))
            return queryset.filter(found).order_by(*ordering)
        return MergedResults(others.order_by(*ordering), matches)
    ranked = search_articles(query, queryset=articles, order=ORDER_RELEVANCE)
    return MergedResults(others.order_by("path"), ranked)


def _search_articles(query, queryset, ordering):
    if ordering is None:
        return search_articles(query, queryset=queryset, order=ORDER_RELEVANCE)
    results = search_articles(query, queryset=queryset, order=ORDER_DATE)
    if isinstance(results, QuerySet) and ordering:
        results = results.order_by(*ordering)
    return results


def _article_types():
    from django.contrib.contenttypes.models import ContentType

    models = [ArticlePage, *(m for m in _subclasses(ArticlePage) if not m._meta.abstract)]
    return list(ContentType.objects.get_for_models(*models).values())


def _subclasses(model):
    for subclass in model.__subclasses__():
        yield subclass
        yield from _subclasses(subclass)


class MergedResults(LazyResults):
    """``first`` (a small queryset, read whole) followed by ``rest`` (sliced as needed)."""

    def __init__(self, first, rest):
        self._first = first
        self._rest = rest
        self._head = None

    def _first_items(self):
        if self._head is None:
            self._head = list(self._first)
        return self._head

    def count(self):
        return len(self._first_items()) + self._rest.count()

    def _slice(self, start, stop):
        head = self._first_items()
        items = list(head[start:stop])
        rest_start = max(0, start - len(head))
        rest_stop = None if stop is None else max(0, stop - len(head))
        if rest_stop is None or rest_stop > rest_start:
            items += list(self._rest[rest_start:rest_stop])
        return items
