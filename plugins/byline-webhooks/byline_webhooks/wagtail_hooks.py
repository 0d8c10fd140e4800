"""Everything webhooks add to Byline, through its extension points and Wagtail's hooks only.

The event listeners record deliveries and queue their tasks; none of them
waits for a receiver (see events.py and delivery.py).
"""

from wagtail import hooks
from wagtail.permissions import register_permission_policy

from .models import Delivery
from .views import ROTATE_LOG_ACTION
from .viewsets import DeliveryLogPermissionPolicy, WebhooksViewSetGroup

# Before the viewsets are registered, or Wagtail creates a fallback policy.
register_permission_policy(Delivery, DeliveryLogPermissionPolicy())

APPROVED = "approved"  # byline_comments' CommentStatus.APPROVED, without importing that plugin


# Byline's extension points ------------------------------------------------------------


@hooks.register("after_article_publish")
def article_published(article, **kwargs):
    from . import events

    events.article_published(article)


@hooks.register("after_article_unpublish")
def article_unpublished(article, **kwargs):
    from . import events

    events.article_unpublished(article)


@hooks.register("after_article_delete")
def article_deleted(article, **kwargs):
    from . import events

    events.article_deleted(article)


@hooks.register("after_comment_moderate")
def comment_moderated(comment, old_status, **kwargs):
    from . import events

    if comment.status == APPROVED and old_status != APPROVED:
        events.comment_approved(comment)


@hooks.register("after_comment_create")
def comment_created(comment, **kwargs):
    """A comment approved as it is stored (a returning reader, an editor's reply)."""
    from . import events

    if comment.status == APPROVED:
        events.comment_approved(comment)


@hooks.register("register_periodic_jobs")
def register_jobs(registry):
    """The clock queues these; each is safe to run twice (see tasks.py)."""
    from .tasks import prune_webhook_log, send_due_webhooks

    registry.register("webhooks_send_due", send_due_webhooks, schedule="* * * * *")
    # Daily, at a quiet hour, off the minutes the other nightly jobs use.
    registry.register("webhooks_prune_log", prune_webhook_log, schedule="23 4 * * *")


# Wagtail's hooks ----------------------------------------------------------------------


@hooks.register("register_admin_viewset")
def register_viewsets():
    return WebhooksViewSetGroup()


@hooks.register("register_log_actions")
def register_log_actions(actions):
    actions.register_action(ROTATE_LOG_ACTION, "Rotate secret", "Signing secret rotated")
