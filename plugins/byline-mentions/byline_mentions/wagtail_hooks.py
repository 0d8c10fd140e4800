"""Everything pingbacks and webmentions add to Byline, through its extension points only."""

from django.urls import path, reverse
from django.utils.html import format_html_join
from wagtail import hooks
from wagtail.models import Site
from wagtail.permissions import register_permission_policy

from cms.public_address import public_url

from . import views
from .checks import comments_available
from .models import MentionSettings, Protocol, ReceivedMention, SentMention
from .viewsets import MentionLogViewSetGroup, ReadOnlyPermissionPolicy

# Before the viewsets are registered, or Wagtail creates fallback policies.
register_permission_policy(SentMention, ReadOnlyPermissionPolicy(SentMention))
register_permission_policy(ReceivedMention, ReadOnlyPermissionPolicy(ReceivedMention))


# Byline's extension points ------------------------------------------------------


@hooks.register("register_plugin_urls")
def register_urls(registry):
    registry.register(
        path("xmlrpc/", views.xmlrpc, name="byline_mentions_xmlrpc"),
        path("webmention/", views.webmention, name="byline_mentions_webmention"),
        path(
            "webmention/<uuid:token>/",
            views.webmention_status,
            name="byline_mentions_webmention_status",
        ),
    )


def advertised_endpoints(page, request):
    """[(rel, absolute URL)] this article advertises; none if we cannot take mentions."""
    from news.models import ArticlePage

    if request is None or not isinstance(page, ArticlePage) or not comments_available():
        return []
    site = Site.find_for_request(request)
    if site is None:
        return []
    settings = MentionSettings.for_request(request)
    endpoints = []
    if settings.receives(Protocol.PINGBACK):
        endpoints.append(("pingback", reverse("byline_mentions_xmlrpc")))
    if settings.receives(Protocol.WEBMENTION):
        endpoints.append(("webmention", reverse("byline_mentions_webmention")))
    return [(rel, public_url(url, site)) for rel, url in endpoints]


def render_endpoint_links(context):
    endpoints = advertised_endpoints(context.get("page"), context.get("request"))
    return format_html_join("\n", '<link rel="{}" href="{}">', endpoints)


@hooks.register("register_template_slots")
def register_slots(registry):
    registry.register("head", render=render_endpoint_links)


@hooks.register("after_article_publish")
def send_mentions(article, **kwargs):
    """Queue one task: it finds the links and has each target notified in the background."""
    from .tasks import send_article_mentions

    send_article_mentions.enqueue(article.pk)


@hooks.register("register_periodic_jobs")
def register_jobs(registry):
    """The clock queues these; each is safe to run twice (see tasks.py)."""
    from .tasks import prune_received_log, send_due_mentions, verify_waiting_webmentions

    registry.register("mentions_send_due", send_due_mentions, schedule="* * * * *")
    registry.register("mentions_verify_waiting", verify_waiting_webmentions, schedule="* * * * *")
    # Daily, at a quiet hour and off the full hour most other jobs choose.
    registry.register("mentions_prune_log", prune_received_log, schedule="17 4 * * *")


# Wagtail's hooks ----------------------------------------------------------------------


@hooks.register("on_serve_page")
def advertise_in_headers(serve):
    """X-Pingback and Link: rel="webmention" headers on every served article."""

    def serve_with_headers(page, request, args, kwargs):
        response = serve(page, request, args, kwargs)
        if getattr(response, "status_code", None) != 200:
            return response
        for rel, url in advertised_endpoints(page, request):
            if rel == "pingback":
                response["X-Pingback"] = url
            else:
                link = f'<{url}>; rel="webmention"'
                existing = response.get("Link")
                response["Link"] = f"{existing}, {link}" if existing else link
        return response

    return serve_with_headers


@hooks.register("register_admin_viewset")
def register_logs():
    return MentionLogViewSetGroup()
