"""Related articles: the editor's picks first, then articles found by shared tags and section.

``related_articles(articles)`` answers for one article (its page, the API
detail) or a whole listing (the API's) in one query: the ``RELATED_COUNT``
articles readers may see now that are, in order,

1. chosen by the article's editors (``ArticleRelatedLink``, in their order);
2. sharing the most tags with it;
3. in the same section;
4. the newest (then the highest id, so that the order is total).

Each article's choice is a LIMITed subquery ranked in SQL; the outer query
loads the chosen rows of every article at once with each one's ranking values
(pick order, shared tags) as columns, and Python splits them per article with
the same ranking. The cost is one query whatever the number of tags, picks or
articles in the archive.
"""

from django.core.exceptions import ValidationError
from django.db import connection, models
from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel
from wagtail.models import Orderable

from cms.page_cache import recording

RELATED_COUNT = 3
# Articles sharing a tag are ranked among the newest this many with one of its tags: a
# popular tag on a large archive would otherwise rank thousands of rows per article.
TAG_POOL = 100
# What a related-article link shows; nothing else is read (no query per row).
_LOADED_FIELDS = (
    "id",
    "title",
    "slug",
    "url_path",
    "path",
    "depth",
    "locale_id",
    "live",
    "publication_date",
    "standfirst",
    "breaking",
    "content_type_id",
)


class ArticleRelatedLink(Orderable):
    """An article an editor chose to show under another one, in the editor's order."""

    page = ParentalKey("news.ArticlePage", on_delete=models.CASCADE, related_name="related_links")
    related = models.ForeignKey(
        "news.ArticlePage",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name="article",
        help_text="Shown first under “Related articles”, before the ones found by tags "
        "and section. An article readers cannot see (a draft, an expired one) is skipped.",
    )

    panels = [FieldPanel("related")]

    class Meta(Orderable.Meta):
        verbose_name = "related article"
        verbose_name_plural = "related articles"

    def clean(self):
        super().clean()
        if self.related_id is not None and self.related_id == self.page_id:
            raise ValidationError({"related": "An article cannot be related to itself."})


def _tag_ids(article):
    # tag_list is what the page and the API show: loaded once, prefetched in listings.
    return [tag.pk for tag in article.tag_list]


def _pick_order(article):
    """Expression: the editor's position of the row's article among `article`'s picks, or NULL.

    A preview holds the editor's unsaved picks in memory; a stored article reads them in SQL.
    """
    unsaved = getattr(article, "_cluster_related_objects", {}).get("related_links")
    if unsaved is not None or article.pk is None:
        whens = [
            When(pk=link.related_id, then=Value(position))
            for position, link in enumerate(unsaved or ())
            if link.related_id is not None
        ]
        return Case(*whens, default=Value(None), output_field=IntegerField()) if whens else None
    links = (
        ArticleRelatedLink.objects.filter(page_id=article.pk, related_id=OuterRef("pk"))
        .annotate(position=Coalesce("sort_order", Value(0)))
        .order_by("position")
        .values("position")[:1]
    )
    return Subquery(links, output_field=IntegerField())


def _shared_tags(article):
    """Expression: how many of `article`'s tags the row's article has."""
    from .pages import ArticlePageTag

    tag_ids = _tag_ids(article)
    if not tag_ids:
        return Value(0, output_field=IntegerField())
    shared = (
        ArticlePageTag.objects.filter(content_object_id=OuterRef("pk"), tag_id__in=tag_ids)
        .order_by()
        .values("content_object_id")
        .annotate(count=Count("pk"))
        .values("count")[:1]
    )
    return Coalesce(Subquery(shared, output_field=IntegerField()), Value(0))


def _same_section(article):
    return Q(path__startswith=article.path[: -article.steplen], depth=article.depth)


def _ranked(article, count):
    """Querysets of the ids that can be among `article`'s `count` related articles.

    The ranking is lexicographic (pick, shared tags, same section, newest), so the best
    `count` are always among three short lists: the editor's picks, the `count` best
    sharers of a tag among the ``TAG_POOL`` newest articles with one of its tags, and the
    section's `count` newest. Each list walks an index with a LIMIT, so the cost does not
    grow with the archive; Python ranks the union exactly (``_rank_key``).
    """
    from .pages import ArticlePage, ArticlePageTag

    visible = ArticlePage.objects.visible()
    if article.pk is not None:
        visible = visible.exclude(pk=article.pk)
    unsaved = getattr(article, "_cluster_related_objects", {}).get("related_links")
    if unsaved is not None or article.pk is None:
        picked = [link.related_id for link in unsaved or () if link.related_id is not None]
    else:
        picked = ArticleRelatedLink.objects.filter(page_id=article.pk).values("related_id")
    parts = [visible.filter(pk__in=picked).order_by().values("pk")]
    tag_ids = _tag_ids(article)
    if tag_ids:
        pool = (
            visible.filter(
                Exists(
                    ArticlePageTag.objects.filter(
                        content_object_id=OuterRef("pk"), tag_id__in=tag_ids
                    )
                )
            )
            .order_by("-publication_date", "-pk")
            .values("pk")[:TAG_POOL]
        )
        best_sharers = (
            ArticlePage.objects.filter(pk__in=pool)
            .annotate(
                shared=_shared_tags(article),
                same_section=Case(
                    When(_same_section(article), then=Value(1)),
                    default=Value(0),
                    output_field=IntegerField(),
                ),
            )
            .order_by("-shared", "-same_section", "-publication_date", "-pk")
            .values("pk")[:count]
        )
        parts.append(best_sharers)
    newest_in_section = (
        visible.filter(_same_section(article))
        .order_by("-publication_date", "-pk")
        .values("pk")[:count]
    )
    parts.append(newest_in_section)
    if connection.features.supports_slicing_ordering_in_compound:
        return parts
    # SQLite allows no LIMIT inside a UNION's members: each list is wrapped once more.
    return [ArticlePage.objects.filter(pk__in=part).order_by().values("pk") for part in parts]


def _rank_key(row, index, article):
    pick = getattr(row, f"pick_{index}")
    same_section = row.path.startswith(article.path[: -article.steplen]) and (
        row.depth == article.depth
    )
    return (
        pick is None,
        pick or 0,
        -getattr(row, f"shared_{index}"),
        -int(same_section),
        -row.publication_date.timestamp(),
        -row.pk,
    )


def _record_what_can_join(article):
    """An answer showing `article`'s related articles changes when an article joins its
    section or one of its tags: the page cache files it under ``related:`` keys for them,
    which every publish there purges (cms.page_cache.keys.article_listing_keys)."""
    names = [f"related:tag:{tag.slug}" for tag in article.tag_list]
    # The section is attached by routing and by the API's prefetch, so this costs no query.
    section = article.__dict__.get("section")
    if section is not None:
        names.append(f"related:section:{section.pk}")
    recording.record(None, *names)


def related_articles(articles, count=RELATED_COUNT):
    """For each of `articles`, in their order, the list of its related ArticlePages: one query.

    A list rather than a dict: a preview may have no pk yet (and so no hash). The choice
    of each stored article (ids, in order) is kept between requests (``_remembered_choices``):
    then the query only loads the chosen articles, by primary key.
    """
    articles = list(articles)
    if not articles:
        return []
    for article in articles:
        _record_what_can_join(article)
    rows = {}  # what choosing loaded, if some choices were made now
    kept = _remembered_choices(articles, count, rows)
    ranked = [article for article in articles if article.pk not in kept]
    unloaded = {pk for ids in kept.values() for pk in ids} - set(rows)
    if ranked or unloaded:
        rows.update(_load(ranked, count, sorted(unloaded)))
    found = []
    for article in articles:
        if article.pk in kept:
            found.append([rows[pk] for pk in kept[article.pk] if pk in rows])
        else:
            found.append(_choose(rows.values(), ranked.index(article), article, count))
    return found


def _load(ranked, count, known_ids):
    """{pk: row} of the candidates of the `ranked` articles (with their ranking columns),
    and of the articles already chosen (`known_ids`), in one query."""
    from .pages import ArticlePage

    parts = []
    annotations = {}
    for index, article in enumerate(ranked):
        parts += _ranked(article, count)
        pick = _pick_order(article)
        annotations[f"pick_{index}"] = (
            pick if pick is not None else Value(None, output_field=IntegerField())
        )
        annotations[f"shared_{index}"] = _shared_tags(article)
    if known_ids:
        # Still visible: a choice never outlives a change of what readers may see, but a
        # page that became hidden a moment ago is left out rather than shown.
        parts.append(ArticlePage.objects.visible().filter(pk__in=known_ids).values("pk"))
    if not parts:
        return {}
    # One UNION of short id lists, so the database looks up a handful of ids by primary key
    # rather than testing every article against an OR of lists.
    wanted = parts[0].union(*parts[1:]) if len(parts) > 1 else parts[0]
    rows = ArticlePage.objects.filter(pk__in=wanted).only(*_LOADED_FIELDS).annotate(**annotations)
    return {row.pk: row for row in rows}


def _choose(rows, index, article, count):
    mine = [
        row
        for row in rows
        if row.pk != article.pk
        and (
            getattr(row, f"pick_{index}") is not None
            or getattr(row, f"shared_{index}") > 0
            or _rank_key(row, index, article)[3] == -1
        )
    ]
    return sorted(mine, key=lambda row: _rank_key(row, index, article))[:count]


def _remembered_choices(articles, count, loaded):
    """{pk: [ids of its related articles]} of the stored articles, kept or made now (the
    rows loaded to make them are added to `loaded`).

    Kept in ``cms.shared_lookups`` (one read for the whole listing) against what can change
    it: the article itself (its tags, section and picks are published with it), each
    article chosen, an article joining its section or one of its tags (``related:`` keys,
    purged by every publish there), view restrictions, and the next scheduled change of
    what readers may see. What the choice shows (titles, addresses) is loaded fresh.
    """
    from cms.http_cache import next_visibility_change
    from cms.shared_lookups import remember_many

    from .pages import section_at

    stored = {
        f"related:{article.pk}:{count}": article
        for article in articles
        if article.pk is not None
        and getattr(article, "_cluster_related_objects", {}).get("related_links") is None
    }
    if not stored:
        return {}

    def build(missing):
        ranked = [stored[name] for name in missing]
        rows = _load(ranked, count, [])
        loaded.update(rows)
        until = next_visibility_change()
        built = {}
        for index, article in enumerate(ranked):
            chosen = _choose(rows.values(), index, article, count)
            section = section_at(article.path[: -article.steplen])
            keys = {
                f"page:{article.pk}",
                "restrictions",
                *(f"page:{row.pk}" for row in chosen),
                *(f"related:tag:{tag.slug}" for tag in article.tag_list),
                f"related:section:{section.pk if section else 0}",
            }
            built[f"related:{article.pk}:{count}"] = ([row.pk for row in chosen], keys, until)
        return built

    choices = remember_many(list(stored), build, note=False)
    return {stored[name].pk: ids for name, ids in choices.items()}
