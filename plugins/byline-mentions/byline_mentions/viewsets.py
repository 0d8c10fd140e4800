"""The admin's read-only logs: mentions sent (and their attempts) and mentions received.

The mentions themselves are moderated with the other comments; these logs
show the protocol's side, so editors can see which sites were told about
an article and why a webmention was rejected.
"""

from django.urls import path
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.permission_policies import ModelPermissionPolicy

from .models import ReceivedMention, SentMention


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """Logs are written by the plugin only: people may look, not add, edit or delete."""

    def user_has_permission(self, user, action):
        if action in ("add", "change", "delete"):
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


class ReadOnlyModelViewSet(ModelViewSet):
    """A listing with filters and an inspect page; no add, edit, copy or delete views."""

    inspect_view_enabled = True
    copy_view_enabled = False
    add_to_reference_index = False  # log rows are not content other objects refer to

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("inspect/<int:pk>/", self.inspect_view, name="inspect"),
        ]


class SentMentionViewSet(ReadOnlyModelViewSet):
    model = SentMention
    icon = "link-external"
    menu_label = "Sent"
    list_display = [
        "target_url",
        "article",
        "status",
        "protocol",
        "attempts",
        "response_status",
        "detail",
        "last_attempt_at",
    ]
    list_filter = ["status", "protocol"]
    search_fields = ["target_url", "endpoint", "detail"]
    inspect_view_fields = [
        "article",
        "target_url",
        "status",
        "protocol",
        "endpoint",
        "attempts",
        "response_status",
        "detail",
        "created_at",
        "last_attempt_at",
        "next_attempt_at",
    ]


class ReceivedMentionViewSet(ReadOnlyModelViewSet):
    model = ReceivedMention
    icon = "link"
    menu_label = "Received"
    list_display = [
        "source_url",
        "protocol",
        "article",
        "status",
        "detail",
        "received_at",
    ]
    list_filter = ["protocol", "status"]
    search_fields = ["source_url", "target_url", "detail"]
    inspect_view_fields = [
        "protocol",
        "source_url",
        "target_url",
        "article",
        "status",
        "detail",
        "comment_id",
        "received_at",
        "attempts",
        "started_at",
        "processed_at",
    ]


class MentionLogViewSetGroup(ModelViewSetGroup):
    menu_label = "Mentions"
    menu_icon = "link"
    menu_order = 255
    items = (SentMentionViewSet("sent_mentions"), ReceivedMentionViewSet("received_mentions"))
