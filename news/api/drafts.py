"""An article draft for the API (a preview), loaded in a fixed number of queries.

A draft is a revision's object: its bylines and tags are held in memory by
modelcluster, as the revision stored them. The bulk prefetches of
``news.api.fields`` for bylines and tags read those relations from the
database, which would show the live bylines and tags instead; for a draft,
what its own bylines and tags point to (authors with portraits, renditions
and biography links; tags) is loaded here in bulk, and every other field's
prefetch runs as for a published article.
"""

from django.db.models import Prefetch, prefetch_related_objects

from authors.api.fields import prefetch_bios

from .fields import prefetch_bylines, prefetch_tags

#: Listing prefetches that read relations a draft holds in memory.
HELD_IN_REVISION = (prefetch_bylines, prefetch_tags)


def prefetch_article_draft(article):
    """Load what the API fields of ``article``, a draft, need, whatever it holds."""
    from authors.models import Author

    done = set(HELD_IN_REVISION)
    for field in article.api_fields:
        for prefetch in _prefetches_of(field):
            if prefetch not in done:
                done.add(prefetch)
                prefetch([article])
    bylines = list(article.article_authors.all())
    authors = Author.objects.select_related("portrait").prefetch_related("portrait__renditions")
    prefetch_related_objects(bylines, Prefetch("author", queryset=authors))
    prefetch_bios([byline.author for byline in bylines])
    prefetch_related_objects(list(article.tagged_items.all()), "tag")


def _prefetches_of(field):
    prefetches = getattr(field, "prefetches", None)
    if prefetches is not None:
        return prefetches
    prefetch = getattr(field, "prefetch", None)
    return () if prefetch is None else (prefetch,)
