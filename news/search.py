"""Article search: one implementation for the search page and the API.

`search_articles()` looks in the headline, standfirst, body, author names and
tag names (`ArticlePage.search_fields`), in Wagtail's database search index,
ranks by relevance or date and filters by section, author and tag.

- PostgreSQL: Wagtail's tsvector index, queried here so that each column's
  GIN index is used and the headline counts HEADLINE_WEIGHT times the body
  (standfirst in between, by its boost). Only index entries are ranked, ids
  only, and a page of them is loaded: ranking reads no article row.
- SQLite: the same FTS5 index, queried here directly. Wagtail's SQLite
  backend scores every match with a correlated subquery that re-runs the
  full-text match per row (over a minute for a common word on 10,000
  articles) and weighs headline and body alike. Here the matches are found
  once, and `bm25()` gives the headline column HEADLINE_WEIGHT times the
  weight of the body column.
- Any other backend (Elasticsearch, MySQL): Wagtail's own `.search()`.

When more articles match than `max_results()` (BYLINE_SEARCH_MAX_RESULTS, 500), the
results are the newest that many matches, ranked or dated like any others, and counted as
that many: one article more or less in a count of thousands tells a reader nothing, and
ranking every match of a common word in a large archive (tens of thousands) costs more
than the rest of the request. GitHub's search API stops at 1,000 results for the same
reason; 500 halves what finding a common word's newest matches costs on PostgreSQL (about
90 ms to 45 ms at 100,000 articles). A reader narrows with more words, a section, an
author or a tag.

Readers' words never reach the full-text engine's query syntax: the query is
cut to words and "quoted phrases" first, so quotes, brackets, `*`, `NEAR`,
`OR` or `-` can neither break a search nor change its meaning.
"""

import hashlib
import json
import re
import time

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connections
from django.db.models import CharField, Exists, F, IntegerField, OuterRef, Q
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast
from taggit.models import Tag
from wagtail.search.backends import get_search_backend
from wagtail.search.models import IndexEntry
from wagtail.search.query import And, Phrase, PlainText

from authors.models import Author
from cms.visibility import is_snippet_visible, visible

from .models import ArticleAuthor, ArticlePage, ArticlePageTag, NewsIndexPage
from .models.pages import listed

ORDER_RELEVANCE = "relevance"
ORDER_DATE = "date"
ORDERS = (ORDER_RELEVANCE, ORDER_DATE)
MAX_QUERY_LENGTH = 200
MAX_TERMS = 16
# How much more a word in the headline counts than one in the standfirst,
# body, author names or tags.
HEADLINE_WEIGHT = 5.0


def max_results():
    """How many matches a search returns at most (the newest ones)."""
    return getattr(settings, "BYLINE_SEARCH_MAX_RESULTS", 500)


NEWEST_FIRST = ("-publication_date", "-pk")


def _results(articles, matches, order, ranked):
    """The newest `max_results()` of `matches`: newest first (a QuerySet of `articles`),
    or `ranked(ids)` for relevance order.

    Their ids are read once (one query), so that counting, ranking and loading a page
    of results each look up at most that many ids instead of matching the whole
    archive again.
    """
    ids = list(matches.order_by(*NEWEST_FIRST).values_list("pk", flat=True)[: max_results()])
    if order == ORDER_DATE:
        return articles.filter(pk__in=ids).order_by(*NEWEST_FIRST)
    return ranked(ids)


_PHRASE_OR_WORD = re.compile(r'"([^"]*)"?|(\w+)')
_WORD = re.compile(r"\w+")


def search_terms(query):
    """The words and "quoted phrases" of a reader's query, in order, at most MAX_TERMS.

    Each term is a tuple of words: one word, or the words of a phrase.
    """
    terms = []
    for match in _PHRASE_OR_WORD.finditer((query or "")[:MAX_QUERY_LENGTH]):
        phrase, word = match.groups()
        words = (word,) if word else tuple(_WORD.findall(phrase or ""))
        if words:
            terms.append(words)
    return terms[:MAX_TERMS]


def build_search_query(terms):
    """A Wagtail search query that every term must match."""
    words = [term[0] for term in terms if len(term) == 1]
    parts = [Phrase(" ".join(term)) for term in terms if len(term) > 1]
    if words:
        parts.insert(0, PlainText(" ".join(words), operator="and"))
    return parts[0] if len(parts) == 1 else And(parts)


def searches_in_sql(alias="default"):
    """Whether `search_articles` queries the database's full-text index itself (SQLite,
    PostgreSQL), so its `queryset` may filter on any field, not only indexed ones."""
    return _uses_sqlite_fts(alias) or _uses_postgres_fts(alias)


def _lookup(model, value, **lookup):
    """`value` itself if it is already a `model`, else the one found by `lookup`, else None."""
    if isinstance(value, model):
        return value
    return model.objects.filter(**lookup).first()


def search_articles(
    query, *, section=None, author=None, tag=None, order=ORDER_RELEVANCE, queryset=None
):
    """Articles visible now (`cms.visibility`) matching `query`, best match first or newest first.

    - `query`: the reader's words; quoted text is a phrase; every term must match.
    - `section`: a NewsIndexPage or its slug; `author`: an Author or its slug;
      `tag`: a taggit Tag or its slug. An unknown slug matches nothing.
    - `order`: "relevance" (default) or "date" (newest first).
    - `queryset`: the articles to search in, with whatever `select_related` /
      `prefetch_related` the caller needs; those visible now are kept.
      Defaults to `ArticlePage.objects.for_listing()` (what a card shows).

    Returns ArticlePage objects in a sequence that supports `count()`,
    `len()` and slicing, so Django's Paginator and limit/offset both work.
    On SQLite and PostgreSQL, `order="date"` gives a QuerySet (a caller may
    re-order it); relevance order gives a sequence that ranks ids in the
    index and loads one slice of articles at a time (`RankedArticles` on
    SQLite, `PostgresRankedArticles` on PostgreSQL), so filter through the
    arguments or `queryset`, not on the result. A query without words, or a filter naming
    nothing, gives an empty queryset. Raises ValueError for an unknown `order`.
    """
    if order not in ORDERS:
        raise ValueError(f"order must be one of {', '.join(ORDERS)}, not {order!r}")
    terms = search_terms(query)
    if not terms:
        return ArticlePage.objects.none()

    # for_listing() holds visible articles only already.
    articles = ArticlePage.objects.for_listing() if queryset is None else visible(queryset)
    if section is not None:
        section = _lookup(NewsIndexPage, section, slug=section)
        if section is None:
            return ArticlePage.objects.none()
        articles = articles.descendant_of(section)
    if author is not None:
        author = _lookup(Author, author, slug=author)
        if author is not None and not is_snippet_visible(author):
            author = None
        if author is None:
            return ArticlePage.objects.none()
        articles = articles.filter(
            pk__in=ArticleAuthor.objects.filter(author=author).values("page_id")
        )
    if tag is not None:
        tag = _lookup(Tag, tag, slug=tag)
        if tag is None:
            return ArticlePage.objects.none()
        articles = articles.filter(
            pk__in=ArticlePageTag.objects.filter(tag=tag).values("content_object_id")
        )

    if articles.query.is_empty():
        # A caller's .none() (or a filter that can match nothing) stays empty;
        # the raw full-text SQL below cannot be built from it.
        return ArticlePage.objects.none()
    if _uses_sqlite_fts(articles.db):
        return _sqlite_search(articles, terms, order)
    if _uses_postgres_fts(articles.db):
        return _postgres_search(articles, terms, order)
    if order == ORDER_DATE:
        articles = articles.order_by("-publication_date", "-id")
    return articles.search(build_search_query(terms), order_by_relevance=order == ORDER_RELEVANCE)


def kept_search(query, *, section=None, author=None, tag=None, order=ORDER_RELEVANCE):
    """``search_articles`` for the search page, from ids kept between requests: the
    matches of the reader's terms and filters (a NewsIndexPage, an Author, a Tag: objects,
    not slugs), in order (ranked all at once, at most `max_results()`), kept
    (``news.models.pages.listed``) until any article is published, unpublished,
    moved, deleted or saved live (``articles``), the search answers are purged
    (``search``), a filter's section, author or tag changes, a view restriction changes
    or the next scheduled change comes; a page of them is then read by key, as a
    section's is. Backends searched outside the database (Elasticsearch) search each time.
    """
    from cms.page_cache.keys import object_key

    terms = search_terms(query)
    if not terms or not searches_in_sql():
        return search_articles(query, section=section, author=author, tag=tag, order=order)
    filters = [value for value in (section, author, tag) if value is not None]
    described = [repr(terms), order, *(f"{v._meta.label}:{v.pk}" for v in filters)]
    name = "search:" + hashlib.sha256("\0".join(described).encode()).hexdigest()[:32]

    def ids():
        found = search_articles(query, section=section, author=author, tag=tag, order=order)
        if isinstance(found, _RankedResults):
            return found.ranked_ids()
        return list(found.values_list("pk", flat=True))

    keys = {"articles", "search", *filter(None, map(object_key, filters))}
    return listed(name, ids, keys)


# PostgreSQL full-text search ------------------------------------------------------

# ts_rank weights for the letters Wagtail stores, by field boost: D (body,
# authors, tags), C (standfirst, boost 1.5), B (headline, boost 2), A.
POSTGRES_WEIGHTS = [0.1, 0.4, 1.0, 1.0]


def _uses_postgres_fts(alias):
    if connections[alias].vendor != "postgresql":
        return False
    from wagtail.search.backends.database.postgres.postgres import PostgresSearchBackend

    return isinstance(get_search_backend(), PostgresSearchBackend)


def _postgres_query(terms):
    """A tsquery every term must match: a word as typed (stemmed), a phrase in order."""
    from django.contrib.postgres.search import SearchQuery

    config = get_search_backend().config
    query = None
    for words in terms:
        part = SearchQuery(
            " ".join(words), search_type="phrase" if len(words) > 1 else "plain", config=config
        )
        query = part if query is None else query & part
    return query


def _article_entries():
    """Wagtail's search index entries of articles."""
    from modelsearch.utils import get_descendants_content_types_pks

    return IndexEntry.objects.filter(
        content_type_id__in=get_descendants_content_types_pks(ArticlePage)
    )


def _postgres_search(articles, terms, order):
    """The newest `max_results()` matches, found the cheaper of two ways, then ranked if asked.

    - Few matches: the headline and body vectors are matched through their GIN
      indexes, each in a subquery of its own (a UNION ALL), which PostgreSQL reads as
      bitmaps (given ``title @@ q OR body @@ q`` it may read the whole table), and the
      matches are sorted by date.
    - Many matches (a common word): articles are walked newest first and each one's
      index entry is checked, found by the unique (content type, object id) index,
      until enough match. Finding every match first would read every match's wide
      index row: 0.5 s for a word in 16,000 of 100,000 articles, against 0.1 s.

    Which is cheaper depends on the share of articles that match (walking reads about
    `max_results() / share` articles, matching reads `share * all` entries);
    PostgreSQL's own estimate of the matches (`_is_common`) decides.
    """
    query = _postgres_query(terms)
    entries = _article_entries()
    if _is_common(entries, query):
        entry = entries.filter(object_id=Cast(OuterRef("pk"), CharField()))
        matches = articles.filter(Exists(entry.filter(_either_vector(query))))
    else:
        numbered = entries.annotate(article_id=Cast("object_id", IntegerField()))
        by_title = numbered.filter(title=query).values("article_id")
        by_body = numbered.filter(body=query).values("article_id")
        matches = articles.filter(pk__in=by_title.union(by_body, all=True))
    return _results(
        articles, matches, order, lambda ids: PostgresRankedArticles(ids, articles, entries, query)
    )


def _either_vector(query):
    """Index entries whose headline or body vector matches `query`."""
    return Q(title=query) | Q(body=query)


# PostgreSQL's estimate of all article index entries, kept a while (it moves slowly).
_ALL_ENTRIES = {"estimate": None, "until": 0.0}
_ALL_ENTRIES_FOR = 600  # seconds


def _is_common(entries, query):
    """Whether so many articles match `query` that walking the newest is cheaper.

    From the planner's estimates (EXPLAIN, no rows read; its statistics of the vectors'
    words make them close): common when `matches / all > max_results() / matches`.
    """
    now = time.monotonic()
    if _ALL_ENTRIES["estimate"] is None or _ALL_ENTRIES["until"] < now:
        _ALL_ENTRIES["estimate"] = _estimated_rows(entries.values("pk"))
        _ALL_ENTRIES["until"] = now + _ALL_ENTRIES_FOR
    matches = _estimated_rows(entries.filter(_either_vector(query)).values("pk"))
    return matches * matches > max_results() * max(_ALL_ENTRIES["estimate"], 1)


def _estimated_rows(queryset):
    """How many rows PostgreSQL expects `queryset` to give (EXPLAIN; nothing is read)."""
    sql, params = queryset.query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return plan[0]["Plan"]["Plan Rows"]


# SQLite FTS5 -------------------------------------------------------------------


def _uses_sqlite_fts(alias):
    if connections[alias].vendor != "sqlite":
        return False
    # Importable only where SQLite is in use: it looks up the FTS model.
    from wagtail.search.backends.database.sqlite.sqlite import SQLiteSearchBackend

    return isinstance(get_search_backend(), SQLiteSearchBackend)


def _fts_tables():
    entries = IndexEntry._meta.db_table
    return entries, f"{entries}_fts"


def _fts_match(terms):
    """An FTS5 query: every term, as a quoted string, in the headline or body column.

    Terms hold only word characters, so quoting them is enough to keep
    FTS5's operators out.
    """
    quoted = " AND ".join('"' + " ".join(words) + '"' for words in terms)
    return "{title body} : (" + quoted + ")"


# CROSS JOIN makes SQLite read the full-text matches first and look up each
# one's index entry, instead of running the MATCH once per indexed article.


def _sqlite_search(articles, terms, order):
    entries, fts = _fts_tables()
    content_type = ContentType.objects.get_for_model(ArticlePage).pk
    match = _fts_match(terms)
    matching_ids = RawSQL(
        f"SELECT CAST({entries}.object_id AS INTEGER) FROM {fts} "
        f"CROSS JOIN {entries} ON {entries}.id = {fts}.rowid "
        f"WHERE {fts} MATCH %s AND {entries}.content_type_id = %s",
        (match, content_type),
    )
    matches = articles.filter(pk__in=matching_ids)
    return _results(
        articles, matches, order, lambda ids: RankedArticles(ids, articles, match, content_type)
    )


class LazyResults:
    """A read-only result sequence loaded one slice at a time.

    Supports what Django's Paginator and the API's limit/offset use:
    `count()`, `len()`, iteration, indexing and non-negative slices.
    Subclasses give `count()` and `_slice(start, stop)`.
    """

    def count(self):
        raise NotImplementedError

    def _slice(self, start, stop):
        raise NotImplementedError

    def __len__(self):
        return self.count()

    def __iter__(self):
        return iter(self[0:])

    def __getitem__(self, key):
        if isinstance(key, int):
            if key < 0:
                raise IndexError("negative indexing is not supported")
            found = self[key : key + 1]
            if not found:
                raise IndexError("search result index out of range")
            return found[0]
        start, stop = key.start or 0, key.stop
        if key.step is not None or start < 0 or (stop is not None and stop < 0):
            raise ValueError("only slices with non-negative bounds are supported")
        if stop is not None and stop <= start:
            return []
        return self._slice(start, stop)


class _RankedResults(LazyResults):
    """Search results counted once and loaded a slice of ranked ids at a time.

    `self._ids`: the ids of the articles found (the newest `max_results()` matches),
    which subclasses rank; `self._articles`: the caller's articles, with their related
    objects, from which a slice is loaded.
    """

    def count(self):
        return len(self._ids)

    def _slice(self, start, stop):
        return self._in_rank_order(self._ranked_ids(start, None if stop is None else stop - start))

    def ranked_ids(self):
        """Every id found, best match first."""
        return self._ranked_ids(0, None)

    def _ranked_ids(self, offset, limit):
        raise NotImplementedError

    def _in_rank_order(self, ids):
        by_id = self._articles.in_bulk(ids)
        return [by_id[pk] for pk in ids if pk in by_id]


class RankedArticles(_RankedResults):
    """SQLite search results in relevance order, loaded one slice at a time.

    Ranking runs in the full-text index: the slice's ids in one query,
    then the articles themselves (with the caller's related objects).
    """

    def __init__(self, ids, articles, match, content_type):
        self._ids = ids
        self._articles = articles
        self._match = match
        self._content_type = content_type

    def _ranked_ids(self, offset, limit):
        if not self._ids:
            return []
        entries, fts = _fts_tables()
        found = ", ".join(["%s"] * len(self._ids))
        sql = (
            f"SELECT CAST({entries}.object_id AS INTEGER) AS article_id FROM {fts} "
            f"CROSS JOIN {entries} ON {entries}.id = {fts}.rowid "
            f"WHERE {fts} MATCH %s AND {entries}.content_type_id = %s "
            f"AND CAST({entries}.object_id AS INTEGER) IN ({found}) "
            # bm25() weights follow the FTS columns: autocomplete, body, title.
            f"ORDER BY bm25({fts}, 0.0, 1.0, %s), article_id DESC LIMIT %s OFFSET %s"
        )
        params = (
            self._match,
            self._content_type,
            *self._ids,
            HEADLINE_WEIGHT,
            -1 if limit is None else limit,
            offset,
        )
        with connections[self._articles.db].cursor() as cursor:
            cursor.execute(sql, params)
            return [row[0] for row in cursor.fetchall()]


class PostgresRankedArticles(_RankedResults):
    """PostgreSQL search results in relevance order, loaded one slice at a time.

    Only the index entries are ranked (`ts_rank` over the entries of the articles
    found, at most `max_results()`, ids only, LIMIT/OFFSET in the database), then the slice's
    articles are loaded with the caller's related objects: no article row is
    read or sorted for ranking.
    """

    def __init__(self, ids, articles, entries, query):
        self._ids = ids
        self._articles = articles
        self._entries = entries
        self._query = query

    def _ranked_ids(self, offset, limit):
        from django.contrib.postgres.search import SearchRank

        rank = SearchRank(
            F("title"), self._query, weights=POSTGRES_WEIGHTS
        ) * HEADLINE_WEIGHT + SearchRank(F("body"), self._query, weights=POSTGRES_WEIGHTS)
        # The unique (content type, object id) index finds the entries of the articles
        # found, by their ids as text: at most max_results() entries are ranked.
        ids = [str(pk) for pk in self._ids]
        ranked = (
            self._entries.filter(object_id__in=ids)
            .annotate(search_rank=rank, article_id=Cast("object_id", IntegerField()))
            .order_by("-search_rank", "-article_id")
            .values_list("article_id", flat=True)
        )
        return list(ranked[offset : None if limit is None else offset + limit])
