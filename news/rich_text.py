"""Rich text links resolved in batches across many rich text fields.

Wagtail resolves the page and document links of one rich text value with one
batch of queries. A view that renders many bodies at once (a full-content
feed) would pay that once per paragraph; inside `preloaded_links()` the links
of every body are loaded up front and each paragraph reads from that batch.
Outside it the handlers behave like Wagtail's own, except that a page link
resolves only to a page readers may see now (`VisiblePageLinkHandler`).
"""

from collections import defaultdict
from contextlib import contextmanager
from contextvars import ContextVar

from wagtail.documents.rich_text import DocumentLinkHandler
from wagtail.rich_text import features
from wagtail.rich_text.pages import PageLinkHandler
from wagtail.rich_text.rewriters import FIND_A_TAG, extract_attrs

from cms.page_cache import recording

# {model: {str(pk): instance or None}} while preloading is active.
_preloaded = ContextVar("byline_preloaded_rich_text_links", default=None)


class PreloadedLinksMixin:
    @classmethod
    def get_many(cls, attrs_list):
        loaded = _preloaded.get()
        if loaded is None:
            return super().get_many(attrs_list)
        instances = loaded.setdefault(cls.get_model(), {})
        missing = [attrs for attrs in attrs_list if str(attrs.get("id")) not in instances]
        if missing:
            for attrs, instance in zip(missing, super().get_many(missing), strict=True):
                instances[str(attrs.get("id"))] = instance
        return [instances.get(str(attrs.get("id"))) for attrs in attrs_list]


class VisiblePageLinkHandler(PageLinkHandler):
    """Page links, resolved only to pages readers may see now (``cms.visibility``).

    A link to a draft, scheduled, expired or view-restricted page would print
    its URL (its slug, often its headline) into a public body: on the page, in
    feeds and in the APIs' finished HTML. Such a page is left out of the
    batch, in the same query, so the link renders as Wagtail renders a link
    to a deleted page: ``<a>`` without ``href``, the author's link text and
    nothing of the hidden page.
    """

    @classmethod
    def get_many(cls, attrs_list):
        # One query for the batch, narrowed in SQL to the visible pages: no query per
        # link, and the answer every other surface gives. A link needs the page's URL
        # only, which its generic fields give: each page is made an instance of its own
        # type from them (``specific_deferred``, no query), where Wagtail's
        # ``.specific()`` would read every page type's own table too.
        from cms.visibility import visible

        ids = [attrs.get("id") for attrs in attrs_list]
        pages = visible(cls.get_model().objects.filter(id__in=ids))
        by_id = {str(page.id): page.specific_deferred for page in pages}
        return [by_id.get(str(object_id)) for object_id in ids]


class PreloadedPageLinkHandler(PreloadedLinksMixin, VisiblePageLinkHandler):
    pass


def unlink_hidden_pages(source):
    """Database HTML with each link to a page readers may not see now reduced to ``<a>``.

    For the APIs' other rich text formats (``db_html``, ``markdown``, ...),
    which do not go through the link handlers: Wagtail's Markdown export
    looks each linked page up itself and prints its URL, drafts' included,
    and the database formats name the hidden page's id. Visibility comes
    from the page link handler, so inside ``preloaded_links()`` this costs
    no query.
    """
    if not source:
        return source
    tags = [(match, extract_attrs(match.group(1))) for match in FIND_A_TAG.finditer(source)]
    page_links = [(match, attrs) for match, attrs in tags if attrs.get("linktype") == "page"]
    if not page_links:
        return source
    pages = PreloadedPageLinkHandler.get_many([attrs for _match, attrs in page_links])
    hidden = {
        match.start() for (match, _attrs), page in zip(page_links, pages, strict=True) if not page
    }

    def rewrite(match):
        return "<a>" if match.start() in hidden else match.group(0)

    return FIND_A_TAG.sub(rewrite, source)


class PreloadedDocumentLinkHandler(PreloadedLinksMixin, DocumentLinkHandler):
    pass


@contextmanager
def preloaded_links(references):
    """Resolve rich text links from one batch per link type while the block runs.

    `references` are (model, object_id, ...) tuples as yielded by a block's
    `extract_references()`, e.g. `stream_block.extract_references(value)`.
    """
    ids_by_model = defaultdict(set)
    for model, object_id, *_rest in references:
        ids_by_model[model].add(str(object_id))
    # What shows these links changes when a linked page does, hidden ones included (a
    # link gains its address when its page goes live): noted for the page cache.
    pages = ids_by_model.get(PreloadedPageLinkHandler.get_model(), ())
    recording.record(None, *(f"page:{object_id}" for object_id in sorted(pages)))
    token = _preloaded.set({})
    try:
        for handler in features.get_link_types().values():
            if not issubclass(handler, PreloadedLinksMixin):
                continue
            ids = ids_by_model.get(handler.get_model())
            if ids:
                handler.get_many([{"id": object_id} for object_id in sorted(ids)])
        yield
    finally:
        _preloaded.reset(token)
