"""Insert many live articles under one section in a handful of queries.

`Page.add_child()` plus `save_revision().publish()` costs dozens of queries
per page; for ten thousand pages that is minutes of round trips. Here each
batch is written the way those calls would leave it, in bulk:

- the tree: materialised paths continue after the section's last child,
  `depth` is the section's plus one, `url_path` is the section's plus the
  slug, and the section's `numchild` grows by the batch size;
- the page rows (`wagtailcore_page`, then `news_articlepage` sharing the id);
- bylines and tags;
- one revision per page holding `serializable_data()`, set as both the
  latest and the live revision, with `live=True` and no unpublished changes;
- the search index (the same `add_bulk` that `update_index` uses) and the
  reference index (what the admin's "usage" counts read).

Signals such as `page_published` are not sent: a plugin that reacts to each
publication (webhooks, cache purges) should not fire ten thousand times for
filler content. Call inside `transaction.atomic()`.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import connections, router
from django.db.models import CharField, F, OuterRef, Subquery
from django.db.models.functions import Cast
from modelcluster.models import get_all_child_relations
from wagtail.models import Page, ReferenceIndex, Revision
from wagtail.search.backends import get_search_backends

from news.models import ArticleAuthor, ArticlePage, ArticlePageTag


class SectionFull(Exception):
    """The section's path segment has no room left (36^4 children)."""


def _next_child_paths(section, count):
    """Paths for `count` new children after the section's last one, built with
    treebeard's own path helpers (gaps left by deleted pages stay gaps)."""
    last_path = (
        Page.objects.filter(path__startswith=section.path, depth=section.depth + 1)
        .order_by("-path")
        .values_list("path", flat=True)
        .first()
    )
    first_step = Page._str2int(last_path[-Page.steplen :]) + 1 if last_path else 1
    last_step = first_step + count - 1
    if len(Page._int2str(last_step)) > Page.steplen:
        raise SectionFull(f"Section “{section.title}” has no room for {count} more pages.")
    return [
        Page._get_path(section.path, section.depth + 1, step)
        for step in range(first_step, last_step + 1)
    ]


def _insert_child_rows(model, objs, using):
    """INSERT the rows of `model`'s own table (multi-table inheritance: the parent
    rows already exist). `bulk_create()` refuses inherited models, so this is
    the step of `Model.save()` that writes the child table, for many objects."""
    fields = model._meta.local_concrete_fields
    connection = connections[using]
    batch_size = max(1, connection.ops.bulk_batch_size(fields, objs))
    for start in range(0, len(objs), batch_size):
        model._base_manager._insert(objs[start : start + batch_size], fields=fields, using=using)


def insert_live_articles(section, drafts):
    """Insert unsaved `ArticlePage`s as published children of `section`.

    Each draft carries its bylines (`article_authors`) and tags
    (`tagged_items`) in memory, as built with modelcluster. Returns the pages.
    """
    if not drafts:
        return []
    using = router.db_for_write(Page)
    section = Page.objects.select_for_update().get(pk=section.pk)
    article_type = ContentType.objects.get_for_model(ArticlePage)
    page_type = ContentType.objects.get_for_model(Page)

    child_relations = [
        relation.get_accessor_name() for relation in get_all_child_relations(ArticlePage)
    ]
    for draft, path in zip(drafts, _next_child_paths(section, len(drafts)), strict=True):
        in_memory = getattr(draft, "_cluster_related_objects", {})
        for name in child_relations:
            if name not in in_memory:
                # A new page has none (comments...); saying so saves a query per
                # page when the revision is serialised.
                setattr(draft, name, [])
        draft.path = path
        draft.depth = section.depth + 1
        draft.numchild = 0
        draft.url_path = f"{section.url_path}{draft.slug}/"
        draft.locale_id = section.locale_id
        draft.content_type = article_type
        draft.draft_title = draft.title
        draft.live = True
        draft.has_unpublished_changes = False
        draft.first_published_at = draft.first_published_at or draft.publication_date
        draft.last_published_at = draft.publication_date
        draft.latest_revision_created_at = draft.publication_date

    Page.objects.bulk_create(drafts)
    if any(draft.id is None for draft in drafts):
        # Databases that cannot return ids from a bulk insert: look them up by path.
        ids = dict(Page.objects.filter(path__in=[d.path for d in drafts]).values_list("path", "id"))
        for draft in drafts:
            draft.id = ids[draft.path]
    for draft in drafts:
        draft.page_ptr_id = draft.id
    _insert_child_rows(ArticlePage, drafts, using)

    bylines, tagged = [], []
    for draft in drafts:
        for byline in draft.article_authors.all():
            byline.page_id = draft.pk
            bylines.append(byline)
        for item in draft.tagged_items.all():
            item.content_object_id = draft.pk
            tagged.append(item)
    ArticleAuthor.objects.bulk_create(bylines)
    ArticlePageTag.objects.bulk_create(tagged)

    revisions = [
        Revision(
            content_type=article_type,
            base_content_type=page_type,
            object_id=str(draft.pk),
            created_at=draft.publication_date,
            content=draft.serializable_data(),
            object_str=draft.title,
        )
        for draft in drafts
    ]
    Revision.objects.bulk_create(revisions)
    if any(revision.pk is None for revision in revisions):
        ids = dict(
            Revision.objects.filter(
                base_content_type=page_type, object_id__in=[str(d.pk) for d in drafts]
            ).values_list("object_id", "pk")
        )
        for revision in revisions:
            revision.pk = ids[revision.object_id]
    for draft, revision in zip(drafts, revisions, strict=True):
        draft.latest_revision_id = revision.pk
        draft.live_revision_id = revision.pk
    # One UPDATE for the batch (bulk_update() would build a CASE per row).
    revision_of_page = Revision.objects.filter(
        base_content_type=page_type, object_id=Cast(OuterRef("pk"), CharField())
    ).values("pk")[:1]
    Page.objects.filter(pk__in=[draft.pk for draft in drafts]).update(
        latest_revision=Subquery(revision_of_page), live_revision=Subquery(revision_of_page)
    )
    Page.objects.filter(pk=section.pk).update(numchild=F("numchild") + len(drafts))

    _index_for_search(drafts)
    _index_references(drafts)
    _purge_listings(section, drafts, bylines, tagged)
    return drafts


def _purge_listings(section, drafts, bylines, tagged):
    """What publishing each page would have purged, once for the batch: the listings the
    articles join (cms.page_cache.keys.listing_keys), their kept ids and counts."""
    from cms.page_cache.invalidation import purge
    from cms.page_cache.keys import listing_keys

    purge(
        listing_keys(
            section.pk,
            years={draft.publication_date.year for draft in drafts},
            tag_slugs={item.tag.slug for item in tagged},
            author_slugs={byline.author.slug for byline in bylines},
        )
    )


def _index_for_search(pages):
    """Add the pages to every search backend, as `update_index` would.

    The in-memory pages are indexed: their bylines, authors and tags are the
    objects just written, so nothing needs reading back.
    """
    for backend in get_search_backends():
        backend.add_bulk(ArticlePage, pages)


def _index_references(pages):
    """The rows `ReferenceIndex.create_or_update_for_object()` would write for
    new pages (which have none yet), in one bulk insert instead of two
    queries per page."""
    if not ReferenceIndex.is_indexed(ArticlePage):
        return
    content_type = ContentType.objects.get_for_model(ArticlePage)
    base_content_type = ContentType.objects.get_for_model(Page)
    rows = [
        ReferenceIndex(
            content_type=content_type,
            base_content_type=base_content_type,
            object_id=page.pk,
            to_content_type_id=to_content_type_id,
            to_object_id=to_object_id,
            model_path=model_path,
            content_path=content_path,
            content_path_hash=ReferenceIndex._get_content_path_hash(content_path),
        )
        for page in pages
        for to_content_type_id, to_object_id, model_path, content_path in set(
            ReferenceIndex._extract_references_from_object(page)
        )
    ]
    ReferenceIndex.objects.bulk_create(rows)
