"""Rich text links resolved in batches across many rich text fields.

Wagtail resolves the page and document links of one rich text value with one
batch of queries. A view that renders many bodies at once (a full-content
feed) would pay that once per paragraph; inside `preloaded_links()` the links
of every body are loaded up front and each paragraph reads from that batch.
Outside it the handlers behave exactly like Wagtail's own.
"""

from collections import defaultdict
from contextlib import contextmanager
from contextvars import ContextVar

from wagtail.documents.rich_text import DocumentLinkHandler
from wagtail.rich_text import features
from wagtail.rich_text.pages import PageLinkHandler

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


class PreloadedPageLinkHandler(PreloadedLinksMixin, PageLinkHandler):
    pass


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
