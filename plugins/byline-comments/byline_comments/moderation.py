"""The moderation queue in the Wagtail admin: a snippet viewset, bulk actions,
the menu item and dashboard panels with the pending count.

Registered from wagtail_hooks.py.
"""

import django_filters
from django.db.models import Subquery
from django.template.loader import render_to_string
from django.urls import reverse
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList, Panel
from wagtail.admin.site_summary import SummaryItem
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.sidebar import LinkMenuItem as LinkMenuItemComponent
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction
from wagtail.snippets.views.snippets import EditView, SnippetViewSet

from news.models import ArticlePage

from .models import Comment, CommentKind, CommentStatus
from .services import moderate, record_moderation

QUEUE_URL_NAME = "byline_comments_comment:list"


def queue_url(**filters):
    from urllib.parse import urlencode

    url = reverse(QUEUE_URL_NAME)
    return f"{url}?{urlencode(filters)}" if filters else url


def pending_count():
    return Comment.objects.pending().count()


class CommentPermissionPolicy(ModelPermissionPolicy):
    """Comments come from readers (or editors' replies): nobody adds one from a blank form."""

    def user_has_permission(self, user, action):
        if action == "add":
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


def commented_articles(request):
    article_ids = Comment.objects.values("article_id").distinct()
    return ArticlePage.objects.filter(pk__in=Subquery(article_ids)).order_by("title")


class CommentFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(choices=CommentStatus.choices, empty_label="Any status")
    kind = django_filters.ChoiceFilter(choices=CommentKind.choices, empty_label="Any kind")
    article = django_filters.ModelChoiceFilter(
        queryset=commented_articles, empty_label="Any article"
    )

    class Meta:
        model = Comment
        fields = ["status", "kind", "article"]


class CheckResultsPanel(Panel):
    """Read-only: what each spam check said, and the personal data kept for moderation."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "byline_comments/admin/check_results_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            comment = self.instance
            context["comment"] = comment
            if comment.pk:
                context["reply_url"] = reverse("byline_comments_admin:reply", args=[comment.pk])
                context["article_url"] = reverse(
                    "byline_comments_admin:article", args=[comment.article_id]
                )
            return context


class CommentEditView(EditView):
    """Editing a comment; a changed status is stamped and announced like a bulk action."""

    def get_object(self, queryset=None):
        comment = super().get_object(queryset)
        comment._status_before_edit = comment.status
        return comment

    def save_instance(self):
        comment = super().save_instance()
        record_moderation(comment, comment._status_before_edit, self.request.user)
        return comment


def check_summary(comment):
    strictest = comment.strictest_check
    if not strictest:
        return "—"
    return f"{strictest.get('verdict', '?')}: {strictest.get('check')} ({strictest.get('reason')})"


class CommentViewSet(SnippetViewSet):
    model = Comment
    icon = "comment"
    menu_label = "Comments"
    # The menu item with the pending count is registered by wagtail_hooks.
    add_to_admin_menu = False
    menu_item_is_registered = True
    url_prefix = "comments"
    url_namespace = "byline_comments_comment"
    filterset_class = CommentFilterSet
    search_fields = ["body", "author_name", "author_email", "source_url"]
    search_backend_name = None
    ordering = ["-created_at", "-pk"]
    list_per_page = 50
    inspect_view_enabled = True
    edit_view_class = CommentEditView
    list_display = [
        "excerpt",
        "author_name",
        Column("article", label="Article", accessor="article.title"),
        Column("kind", label="Kind", accessor="get_kind_display"),
        Column("status", label="Status", accessor="get_status_display"),
        Column("checks", label="Spam check result", accessor=check_summary),
        DateColumn("created_at", label="Posted", sort_key="created_at"),
    ]
    edit_handler = ObjectList(
        [
            FieldPanel("status"),
            MultiFieldPanel(
                [FieldPanel("author_name"), FieldPanel("author_email"), FieldPanel("author_url")],
                heading="Author",
            ),
            FieldPanel("body"),
            MultiFieldPanel(
                [FieldPanel("source_url"), FieldPanel("source_title")],
                heading="Pingback / webmention source",
            ),
            CheckResultsPanel(heading="Moderation details"),
        ]
    )

    def get_queryset(self, request):
        return Comment.objects.select_related("article")


# Bulk actions -------------------------------------------------------------------


class SetStatusBulkAction(SnippetBulkAction):
    """Give the selected comments one status (and tell listeners, e.g. Akismet)."""

    models = [Comment]
    new_status = None
    template_name = "byline_comments/admin/confirm_bulk_status.html"

    def check_perm(self, comment):
        return self.permission_policy.user_has_permission_for_instance(
            self.request.user, "change", comment
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["action_label"] = self.display_name
        return context

    @classmethod
    def execute_action(cls, objects, user=None, **kwargs):
        changed = moderate(objects, cls.new_status, kwargs["self"].request.user)
        return changed, 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        label = CommentStatus(self.new_status).label.lower()
        noun = "comment" if num_parent_objects == 1 else "comments"
        return f"{num_parent_objects} {noun} marked as {label}."


class ApproveBulkAction(SetStatusBulkAction):
    display_name = "Approve"
    action_type = "approve"
    aria_label = "Approve the selected comments"
    action_priority = 10
    new_status = CommentStatus.APPROVED


class SpamBulkAction(SetStatusBulkAction):
    display_name = "Spam"
    action_type = "spam"
    aria_label = "Mark the selected comments as spam"
    action_priority = 20
    new_status = CommentStatus.SPAM


class TrashBulkAction(SetStatusBulkAction):
    display_name = "Trash"
    action_type = "trash"
    aria_label = "Move the selected comments to the trash"
    action_priority = 25
    new_status = CommentStatus.TRASH


class UnapproveBulkAction(SetStatusBulkAction):
    display_name = "Hold"
    action_type = "unapprove"
    aria_label = "Hold the selected comments for moderation"
    action_priority = 26
    new_status = CommentStatus.PENDING


BULK_ACTIONS = [ApproveBulkAction, SpamBulkAction, TrashBulkAction, UnapproveBulkAction]


# Menu and dashboard ---------------------------------------------------------------


class PendingCommentsMenuItem(MenuItem):
    """ "Comments" in the admin menu, with the number awaiting moderation."""

    def is_shown(self, request):
        return CommentPermissionPolicy(Comment).user_has_any_permission(
            request.user, {"change", "delete", "view"}
        )

    def render_component(self, request):
        # Menu items are shared by every request: build the label, never store it.
        count = pending_count()
        return LinkMenuItemComponent(
            self.name,
            f"Comments ({count})" if count else self.label,
            self.url,
            icon_name=self.icon_name,
            classname=self.classname,
            attrs={**self.attrs, "data-pending-comments": str(count)},
        )


class PendingCommentsSummaryItem(SummaryItem):
    order = 250
    template_name = "byline_comments/admin/summary_item.html"

    def get_context_data(self, parent_context):
        return {"pending": pending_count(), "queue_url": queue_url(status=CommentStatus.PENDING)}

    def is_shown(self):
        return PendingCommentsMenuItem("", "").is_shown(self.request)


class PendingCommentsPanel(Component):
    """Dashboard panel: the newest comments awaiting moderation."""

    name = "pending_comments"
    order = 150

    def __init__(self, request):
        self.request = request

    def render_html(self, parent_context=None):
        if not PendingCommentsMenuItem("", "").is_shown(self.request):
            return ""
        pending = Comment.objects.pending().select_related("article").order_by("-created_at")
        return render_to_string(
            "byline_comments/admin/pending_panel.html",
            {
                "count": pending.count(),
                "comments": list(pending[:5]),
                "queue_url": queue_url(status=CommentStatus.PENDING),
            },
            request=self.request,
        )
