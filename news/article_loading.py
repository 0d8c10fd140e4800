"""Loading an article for its page in a fixed, small number of queries.

- ``find_article``: routing's lookup of an article under its section, in one query: the
  article as its own type and its lead image. Whether a view restriction or an alias sits
  on it or above it (which Wagtail's view-restriction check would otherwise ask with two
  more queries) is decided from the kept restricted paths and the pages routing passed
  through. The section it was found under is its ``section``.
- ``collected_images``: body images are loaded without their renditions while it is open
  (``news.blocks.PrefetchingImageChooserBlock``), so that ``load_renditions`` fetches the
  renditions of the body images, the lead image and the authors' portraits in one query.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.db.models import prefetch_related_objects

_collector = ContextVar("byline_collected_images", default=None)


def find_article(section, slug, request=None):
    """The article `slug` among `section`'s children (one query), or None."""
    from cms.visibility import restricted_paths

    from .models import ArticlePage

    # Slugs are unique among siblings: no ordering to resolve (a third of the query's
    # cost in Django's compiler), and the children by path and depth, as child_of() says.
    found = ArticlePage.objects.filter(
        path__startswith=section.path, depth=section.depth + 1, slug=slug
    ).select_related("lead_image")
    article = next(iter(found.order_by()[:1]), None)
    if article is None:
        return None
    article.__dict__["section"] = section
    # Wagtail's view-restriction check asks with two queries whether a restriction or an
    # alias sits on the article or above it. The restricted paths are kept
    # (cms.visibility), and the pages above are in hand when routing came through the
    # home page (HomePage.route): the site's root is never an alias.
    home = getattr(section, "_cached_parent_obj", None)
    if home is not None and home.depth == 2:
        article.view_restricted = any(
            article.path.startswith(path) for path in restricted_paths(request)
        )
        article.under_alias = any(page.alias_of_id is not None for page in (article, section, home))
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
