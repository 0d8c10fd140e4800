from django.http import Http404
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

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


@hooks.register("insert_global_admin_js")
def accessible_widgets_js():
    # Names Wagtail's tag-it input and Draftail's editable area by their fields'
    # labels (axe-core: no form element without an accessible name).
    from django.templatetags.static import static
    from django.utils.html import format_html

    return format_html(
        '<script src="{}" defer></script>', static("news/admin/accessible_widgets.js")
    )


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


# Abandoned new pages (news.abandoned_drafts) ----------------------------------------


@hooks.register("register_periodic_jobs")
def register_news_jobs(registry):
    from . import tasks

    registry.register(
        "delete_abandoned_drafts", tasks.delete_abandoned_drafts, schedule="20 3 * * *"
    )
    # Embeds saved while their provider could not be reached (news.embeds).
    registry.register("fetch_pending_embeds", tasks.fetch_pending_embeds, schedule="*/15 * * * *")


@hooks.register("after_article_publish")
def fetch_new_embeds(article):
    # The worker asks the providers; readers see a link card until they answer.
    from .embeds import queue_embed_fetching

    queue_embed_fetching(article)


@hooks.register("register_admin_urls")
def abandoned_drafts_urls():
    from .admin_views import AbandonedDraftsView

    return [
        path(
            "reports/abandoned-drafts/",
            AbandonedDraftsView.as_view(),
            name="news_abandoned_drafts",
        ),
        path(
            "reports/abandoned-drafts/results/",
            AbandonedDraftsView.as_view(results_only=True),
            name="news_abandoned_drafts_results",
        ),
    ]


class PageEditorsMenuItem(MenuItem):
    """Shown to whoever may add, change or publish some page."""

    def is_shown(self, request):
        from wagtail.permission_policies.pages import PagePermissionPolicy

        return PagePermissionPolicy().user_has_any_permission(
            request.user, ["add", "change", "publish"]
        )


@hooks.register("register_reports_menu_item")
def abandoned_drafts_menu_item():
    return PageEditorsMenuItem(
        "Abandoned drafts",
        reverse("news_abandoned_drafts"),
        name="abandoned-drafts",
        icon_name="bin",
        order=650,
    )


# The newsroom dashboard (news.dashboard) and bulk work (news.bulk_actions) -----------


@hooks.register("construct_homepage_panels")
def newsroom_dashboard_panels(request, panels):
    from .dashboard import add_newsroom_panels

    add_newsroom_panels(request, panels)


def _register_bulk_actions():
    from .bulk_actions import BULK_ACTIONS

    for action in BULK_ACTIONS:
        hooks.register("register_bulk_action", action)


_register_bulk_actions()
