"""Everything reader comments add to Byline, through its extension points only."""

from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.widgets.button import Button
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from cms.plugins import Verdict

from . import admin_views, views
from .api.fields import comment_count_field
from .api.urls import v2_urlpatterns
from .api.v3 import router as v3_router
from .checks import CHECKS
from .display import render_comments_slot
from .models import Comment, CommentStatus
from .moderation import (
    BULK_ACTIONS,
    CommentPermissionPolicy,
    CommentViewSet,
    PendingCommentsMenuItem,
    PendingCommentsPanel,
    PendingCommentsSummaryItem,
    queue_url,
)
from .tasks import (
    announce_comments_closed_by_age,
    erase_expired_personal_data,
    notify_moderators,
    report_to_spam_service,
)

# Before the viewset is registered, or Wagtail creates a fallback policy.
register_permission_policy(Comment, CommentPermissionPolicy(Comment))
register_snippet(CommentViewSet)


# Byline's extension points ------------------------------------------------------


@hooks.register("register_template_slots")
def register_slots(registry):
    registry.register("article_after_body", render=render_comments_slot)


@hooks.register("register_api_fields")
def register_api_fields(registry):
    from news.models import ArticlePage

    registry.register(ArticlePage, comment_count_field())


@hooks.register("register_comment_checks")
def register_checks(registry):
    for check, order in CHECKS:
        registry.register(check, order=order)


public_urlpatterns = [
    path("<int:article_id>/post/", views.post_comment, name="post"),
]


@hooks.register("register_plugin_urls")
def register_urls(registry):
    registry.register(
        path("comments/", include((public_urlpatterns, "byline_comments"))),
        path("api/v2/comments/", include((v2_urlpatterns, "byline_comments_v2"))),
    )


@hooks.register("register_api_v3_routers")
def register_api_v3_routers(registry):
    # /api/v3/comments/..., in the core's OpenAPI document.
    registry.register("comments/", v3_router)


@hooks.register("register_periodic_jobs")
def add_periodic_jobs(registry):
    # Nightly: IP addresses and user agents past the retention period are erased
    # without anyone remembering to run a command.
    registry.register(
        "comments_erase_personal_data", erase_expired_personal_data, schedule="15 3 * * *"
    )
    # Every minute: pages that showed the comment form of an article whose comments
    # have just closed by age are announced (after_discussion_change), to be purged.
    registry.register(
        "comments_close_by_age", announce_comments_closed_by_age, schedule="* * * * *"
    )


@hooks.register("after_comment_create")
def tell_moderators(comment, verdict, **kwargs):
    if verdict != Verdict.SPAM and comment.user_id is None:
        notify_moderators.enqueue(comment.pk)


@hooks.register("after_comment_moderate")
def report_correction_to_spam_service(comment, old_status, **kwargs):
    """A moderator's spam / not-spam call goes back to the Akismet-compatible service."""
    if comment.status == CommentStatus.SPAM and old_status != CommentStatus.SPAM:
        report_to_spam_service.enqueue(comment.pk, True)
    elif old_status == CommentStatus.SPAM and comment.status in (
        CommentStatus.APPROVED,
        CommentStatus.PENDING,
    ):
        report_to_spam_service.enqueue(comment.pk, False)


# Wagtail's admin hooks ------------------------------------------------------------


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path(
            "comment-tools/",
            include(
                (
                    [
                        path("<int:comment_id>/reply/", admin_views.reply, name="reply"),
                        path(
                            "article/<int:article_id>/",
                            admin_views.article_comments,
                            name="article",
                        ),
                    ],
                    "byline_comments_admin",
                )
            ),
        )
    ]


@hooks.register("register_admin_menu_item")
def register_menu_item():
    return PendingCommentsMenuItem(
        "Comments",
        queue_url(status=CommentStatus.PENDING),
        name="comments",
        icon_name="comment",
        order=250,
    )


@hooks.register("construct_homepage_summary_items")
def add_summary_item(request, items):
    items.append(PendingCommentsSummaryItem(request))


@hooks.register("construct_homepage_panels")
def add_dashboard_panel(request, panels):
    panels.append(PendingCommentsPanel(request))


for bulk_action in BULK_ACTIONS:
    hooks.register("register_bulk_action", bulk_action)


@hooks.register("register_snippet_listing_buttons")
def reply_button(snippet, user, next_url=None):
    if isinstance(snippet, Comment) and not snippet.is_mention:
        yield Button(
            "Reply",
            reverse("byline_comments_admin:reply", args=[snippet.pk]),
            icon_name="comment",
            priority=5,
        )


@hooks.register("register_page_header_buttons")
def article_comments_button(page, user, view_name=None, next_url=None):
    from news.models import ArticlePage

    if page.pk and issubclass(page.specific_class or type(page), ArticlePage):
        yield Button(
            "Reader comments",
            reverse("byline_comments_admin:article", args=[page.pk]),
            icon_name="comment",
            priority=60,
        )
