from wagtail import hooks

from .rich_text import PreloadedDocumentLinkHandler, PreloadedPageLinkHandler


# order=1: after Wagtail's core hooks, which register the stock handlers for
# the same link types; these subclasses replace them and behave identically
# unless a view asks for batched loading (see news.rich_text).
@hooks.register("register_rich_text_features", order=1)
def register_batched_link_handlers(features):
    features.register_link_type(PreloadedPageLinkHandler)
    features.register_link_type(PreloadedDocumentLinkHandler)
