from django.http import Http404
from wagtail import hooks

from cms.visibility import is_on_schedule

from .rich_text import PreloadedDocumentLinkHandler, PreloadedPageLinkHandler


# order=1: after Wagtail's core hooks, which register the stock handlers for
# the same link types; these subclasses replace them and behave identically
# unless a view asks for batched loading (see news.rich_text).
@hooks.register("register_article_body_blocks", order=-100)
def register_core_body_blocks(registry):
    # Through the same extension point as plugins' blocks, first (order 0), so
    # the plugin framework needs to know nothing of the news app.
    from .blocks import CORE_BODY_BLOCKS

    for name, block in CORE_BODY_BLOCKS:
        registry.register(name, block, order=0)


@hooks.register("register_rich_text_features", order=1)
def register_batched_link_handlers(features):
    features.register_link_type(PreloadedPageLinkHandler)
    features.register_link_type(PreloadedDocumentLinkHandler)


@hooks.register("before_serve_page")
def hide_pages_not_visible_now(page, request, serve_args, serve_kwargs):
    # Wagtail serves any live page, but go-live, expiry and an article's
    # publication date take effect at read time (cms.visibility), whether or
    # not the scheduled-publishing job has run. View restrictions are left to
    # Wagtail's own hook, which asks for the password or a login. Previews do
    # not pass through this hook.
    if not is_on_schedule(page):
        raise Http404("This page is not published now.")


@hooks.register("before_serve_page")
def date_article_answers(page, request, serve_args, serve_kwargs):
    # An article page's Last-Modified is its own publishing time (plus what its
    # slots note, such as comments), not the site's newest change: publishing
    # another article does not make every article's cached copy stale
    # (cms/http_cache.py; listings use the site-wide time).
    from cms import http_cache

    from .models import ArticlePage

    if isinstance(page, ArticlePage):
        http_cache.note_last_modified(request, http_cache.article_last_modified(page))
