"""The newsroom's dashboard panels on the admin home page.

Each panel lists a few articles (or other objects under review) with a note,
a link to edit each and the total, in a fixed number of queries whatever the
number of items: one count, one list, and at most one more query per kind of
object shown. Registered by news/wagtail_hooks.py (`construct_homepage_panels`);
pending reader comments come from the comments plugin's own panel.
"""

from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.ui.components import Component
from wagtail.models import Page, Revision, TaskState
from wagtail.permission_policies.pages import PagePermissionPolicy

from .models import ArticleAuthor, ArticlePage

PANEL_LIMIT = 5


class Row:
    """One line of a panel: what, where to edit it, and a short note."""

    def __init__(self, title, edit_url, note="", when=None):
        self.title = title
        self.edit_url = edit_url
        self.note = note
        self.when = when


def _edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


class ListPanel(Component):
    """A dashboard panel listing at most PANEL_LIMIT rows, with the total."""

    template_name = "news/admin/dashboard_panel.html"
    name = ""
    heading = ""
    empty_text = ""
    order = 200

    def __init__(self, request):
        self.request = request

    def is_shown(self):
        return True

    def get_rows(self):
        """(total, [Row, ...]) for this panel."""
        raise NotImplementedError

    def render_html(self, parent_context=None):
        if not self.is_shown():
            return ""
        total, rows = self.get_rows()
        return render_to_string(
            self.template_name,
            {"panel": self, "total": total, "rows": rows, "more": total - len(rows)},
            request=self.request,
        )


def _may_edit_pages(user):
    return PagePermissionPolicy().user_has_any_permission(user, ["add", "change", "publish"])


def _may_publish_pages(user):
    return PagePermissionPolicy().user_has_any_permission(user, ["publish"])


class MyDraftsPanel(ListPanel):
    name = "news_my_drafts"
    heading = "Your drafts"
    empty_text = "You have no unpublished drafts."
    order = 120

    def is_shown(self):
        return _may_edit_pages(self.request.user)

    def get_rows(self):
        user = self.request.user
        drafts = ArticlePage.objects.filter(
            Q(owner=user) | Q(latest_revision__user=user), has_unpublished_changes=True
        )
        listed = drafts.order_by("-latest_revision_created_at", "-pk")[:PANEL_LIMIT]
        rows = [
            Row(
                article.get_admin_display_title(),
                _edit_url(article),
                "Changes not yet published" if article.live else "Never published",
                article.latest_revision_created_at,
            )
            for article in listed
        ]
        return drafts.count(), rows


class AwaitingMyReviewPanel(ListPanel):
    """Workflow tasks the user may approve or reject: articles, and drafts of
    other things under review (authors), each with who submitted it."""

    name = "news_awaiting_my_review"
    heading = "Awaiting your review"
    empty_text = "Nothing is waiting for your review."
    order = 110

    def is_shown(self):
        return _may_publish_pages(self.request.user) or self._states().exists()

    def _states(self):
        if not hasattr(self, "_reviewable"):
            self._reviewable = TaskState.objects.reviewable_by(self.request.user)
        return self._reviewable

    def get_rows(self):
        states = list(
            self._states()
            .select_related("revision__user", "task", "workflow_state")
            .order_by("-started_at")[:PANEL_LIMIT]
        )
        objects = _objects_under_review(states)
        rows = []
        for state in states:
            found = objects.get(
                (state.workflow_state.base_content_type_id, state.workflow_state.object_id)
            )
            if found is None:
                continue
            title, edit_url = found
            submitter = state.revision.user if state.revision_id else None
            who = submitter.get_full_name() or submitter.get_username() if submitter else ""
            note = f"{state.task.name}" + (f", submitted by {who}" if who else "")
            rows.append(Row(title, edit_url, note, state.started_at))
        return self._states().count(), rows


def _objects_under_review(states):
    """{(base content type id, object id): (title, edit URL)} with one query per kind."""
    wanted = defaultdict(set)
    for state in states:
        workflow_state = state.workflow_state
        wanted[workflow_state.base_content_type_id].add(workflow_state.object_id)
    found = {}
    page_type_id = ContentType.objects.get_for_model(Page).pk  # cached by Django
    for type_id, ids in wanted.items():
        if type_id == page_type_id:
            for page in Page.objects.filter(pk__in=ids):
                found[(type_id, str(page.pk))] = (page.get_admin_display_title(), _edit_url(page))
            continue
        model = ContentType.objects.get_for_id(type_id).model_class()
        viewset = getattr(model, "snippet_viewset", None)
        if model is None or viewset is None:
            continue
        for obj in model.objects.filter(pk__in=ids):
            url = reverse(viewset.get_url_name("edit"), args=[obj.pk])
            found[(type_id, str(obj.pk))] = (str(obj), url)
    return found


class ScheduledPanel(ListPanel):
    name = "news_scheduled"
    heading = "Scheduled"
    empty_text = "No article is scheduled."
    order = 130

    def is_shown(self):
        return _may_edit_pages(self.request.user)

    def get_rows(self):
        scheduled = Revision.page_revisions.filter(
            approved_go_live_at__isnull=False,
            content_type=ContentType.objects.get_for_model(ArticlePage),
        )
        revisions = list(
            scheduled.select_related("user").order_by("approved_go_live_at")[:PANEL_LIMIT]
        )
        articles = ArticlePage.objects.in_bulk([int(r.object_id) for r in revisions])
        rows = []
        for revision in revisions:
            article = articles.get(int(revision.object_id))
            if article is None:
                continue
            when = timezone.localtime(revision.approved_go_live_at)
            note = "Goes live " + when.strftime("%-d %b %Y, %H:%M")
            if article.live:
                note += " (replacing the published version)"
            rows.append(
                Row(
                    article.get_admin_display_title(),
                    _edit_url(article),
                    note,
                    revision.approved_go_live_at,
                )
            )
        return scheduled.count(), rows


class RecentlyPublishedPanel(ListPanel):
    name = "news_recently_published"
    heading = "Recently published"
    empty_text = "No article has been published yet."
    order = 140

    def is_shown(self):
        return _may_edit_pages(self.request.user)

    def get_rows(self):
        published = ArticlePage.objects.live().filter(last_published_at__isnull=False)
        listed = published.order_by("-last_published_at", "-pk")[:PANEL_LIMIT]
        rows = [
            Row(article.title, _edit_url(article), "", article.last_published_at)
            for article in listed
        ]
        return published.count(), rows


class NeedsAttentionPanel(ListPanel):
    """Published articles that skipped the checks publishing now makes
    (news.article_form): no author, or a lead image nobody described."""

    name = "news_needs_attention"
    heading = "Published articles missing alt text or authors"
    empty_text = "Every published article has an author and lead image alt text."
    order = 160

    def is_shown(self):
        return _may_edit_pages(self.request.user)

    def get_rows(self):
        no_alt = Q(lead_image__isnull=False, lead_image_alt="", lead_image__description="")
        missing = (
            ArticlePage.objects.live()
            .annotate(has_author=Exists(ArticleAuthor.objects.filter(page=OuterRef("pk"))))
            .filter(Q(has_author=False) | no_alt)
        )
        listed = missing.select_related("lead_image").order_by("-publication_date", "-pk")[
            :PANEL_LIMIT
        ]
        rows = []
        for article in listed:
            problems = []
            if not article.has_author:
                problems.append("no author")
            if (
                article.lead_image_id
                and not article.lead_image_alt
                and not article.lead_image.description
            ):
                problems.append("lead image without alt text")
            note = "; ".join(problems).capitalize()
            rows.append(Row(article.title, _edit_url(article), note, article.publication_date))
        return missing.count(), rows


DASHBOARD_PANELS = (
    AwaitingMyReviewPanel,
    MyDraftsPanel,
    ScheduledPanel,
    RecentlyPublishedPanel,
    NeedsAttentionPanel,
)


def add_newsroom_panels(request, panels):
    # Wagtail's own "Awaiting your review" panel loads each item's workflow
    # separately (queries grow with the list); ours replaces it.
    panels[:] = [panel for panel in panels if panel.name != "workflow_objects_to_moderate"]
    panels.extend(panel(request) for panel in DASHBOARD_PANELS)
