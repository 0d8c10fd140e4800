"""Loading an article for its page in a fixed, small number of queries.

- ``find_article``: routing's lookup of an article under its section, in one query: the
  article as its own type, its lead image, and whether a view restriction or an alias sits
  on it or above it (which Wagtail's view-restriction check would otherwise ask with two
  more queries). The section it was found under is its ``section``.
- ``collected_images``: body images are loaded without their renditions while it is open
  (``news.blocks.PrefetchingImageChooserBlock``), so that ``load_renditions`` fetches the
  renditions of the body images, the lead image and the authors' portraits in one query.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.db.models import Exists, OuterRef, Q, prefetch_related_objects

_collector = ContextVar("byline_collected_images", default=None)


def find_article(section, slug):
    """The article `slug` among `section`'s children (one query), or None."""
    from wagtail.models import Page, PageViewRestriction

    from .models import ArticlePage

    # The article's ancestors are the section and the section's own: their paths are
    # known, so each check is a lookup by path, not a scan of every page.
    steplen = section.steplen
    above = [section.path[:end] for end in range(steplen, len(section.path) + 1, steplen)]
    restricted = PageViewRestriction.objects.filter(
        Q(page__path__in=above) | Q(page_id=OuterRef("pk"))
    )
    aliases = Page.objects.filter(path__in=above, alias_of__isnull=False)
    article = (
        ArticlePage.objects.child_of(section)
        .filter(slug=slug)
        .select_related("lead_image")
        .annotate(
            view_restricted=Exists(restricted),
            under_alias=Exists(aliases) | Q(alias_of__isnull=False),
        )
        .first()
    )
    if article is not None:
        article.__dict__["section"] = section
    return article


def load_images(model, ids):
    """``{id: image}`` for a stream's image blocks: with their renditions (two queries),
    or without them while ``collected_images`` collects them for one later query."""
    collected = _collector.get()
    if collected is None:
        return model.objects.prefetch_renditions().in_bulk(ids)
    objects = model.objects.in_bulk(ids)
    collected.extend(objects.values())
    return objects


@contextmanager
def collected_images():
    """Collect the images streams load meanwhile (their renditions are left to the caller)."""
    images = []
    token = _collector.set(images)
    try:
        yield images
    finally:
        _collector.reset(token)


def load_renditions(images):
    """Every rendition of `images` (duplicates and None allowed) in one query."""
    images = [image for image in images if image is not None]
    if images:
        prefetch_related_objects(images, "renditions")
