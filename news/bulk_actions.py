"""Bulk work on articles from the page explorer: add tags, schedule.

Wagtail already moves, publishes, unpublishes and deletes several pages at
once; these two add what a newsroom does to a batch of stories. Each works
on the article's latest draft, as an editor would in the editor, and only on
articles the user may change (tags) or publish (schedule); other pages
selected are listed as not allowed. Registered in news/wagtail_hooks.py.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from taggit.forms import TagField
from wagtail.admin.views.pages.bulk_actions.page_bulk_action import PageBulkAction
from wagtail.admin.widgets import AdminDateTimeInput

from .article_form import publication_problems
from .models import ArticlePage


def _article(page):
    """The page as an article, or None for other page types."""
    if not issubclass(page.specific_class or type(page), ArticlePage):
        return None
    return page.specific


class ArticleBulkAction(PageBulkAction):
    """A bulk action that applies to articles only."""

    template_name = "news/admin/bulk_action_confirm.html"
    question = ""
    button_text = ""
    no_access_message = ""

    def check_perm(self, page):
        if _article(page) is None:
            return False
        return self.allowed(page.permissions_for_user(self.request.user))

    def allowed(self, permissions):
        raise NotImplementedError

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["action"] = self
        return context

    def get_execution_context(self):
        return {"user": self.request.user, **self.cleaned_form.cleaned_data}


class TagForm(forms.Form):
    tags = TagField(
        label="Tags to add",
        help_text="Separate tags with commas. Tags the articles already have are kept.",
    )


class AddTagsBulkAction(ArticleBulkAction):
    display_name = "Add tags"
    action_type = "add_tags"
    aria_label = "Add tags to the selected articles"
    action_priority = 60
    form_class = TagForm
    question = "Add these tags to the articles below?"
    button_text = "Add tags"
    no_access_message = "Not articles, or you may not change them:"

    def allowed(self, permissions):
        return permissions.can_edit()

    @classmethod
    def execute_action(cls, objects, user=None, tags=(), **kwargs):
        """Add the tags to each article's latest version; live articles with no
        pending draft are published again (if the user may) so readers see them."""
        changed = 0
        for page in objects:
            article = _article(page)
            draft = article.get_latest_revision_as_object()
            draft.tags.add(*tags)
            up_to_date = article.live and not article.has_unpublished_changes
            revision = draft.save_revision(user=user, log_action=True, clean=False)
            if up_to_date and article.permissions_for_user(user).can_publish():
                revision.publish(user=user)
            changed += 1
        return changed, 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        tags = ", ".join(self.cleaned_form.cleaned_data["tags"])
        noun = "article" if num_parent_objects == 1 else "articles"
        return f"Tags added to {num_parent_objects} {noun}: {tags}."


class ScheduleForm(forms.Form):
    go_live_at = forms.DateTimeField(
        label="Publish at",
        widget=AdminDateTimeInput(),
        help_text="The articles' publication date and go-live time. They appear to "
        "readers from then on; a live article keeps its published version until then.",
    )

    def clean_go_live_at(self):
        moment = self.cleaned_data["go_live_at"]
        if moment <= timezone.now():
            raise ValidationError(
                "Choose a time in the future; to publish now, use “Publish” instead."
            )
        return moment


class ScheduleBulkAction(ArticleBulkAction):
    display_name = "Schedule"
    action_type = "schedule"
    aria_label = "Schedule the selected articles for publication"
    action_priority = 45
    form_class = ScheduleForm
    question = "Schedule these articles for publication?"
    button_text = "Schedule"
    no_access_message = "Not articles, or you may not publish them:"

    def allowed(self, permissions):
        return permissions.can_publish()

    @classmethod
    def execute_action(cls, objects, user=None, go_live_at=None, **kwargs):
        """Give each article's latest version the publication date and go-live time,
        and publish it: Wagtail keeps it aside until the time comes, and the
        worker's `publish_scheduled` job publishes it."""
        scheduled = 0
        for page in objects:
            draft = _article(page).get_latest_revision_as_object()
            if publication_problems(draft):
                continue  # the editor sees what is missing when opening it
            draft.publication_date = go_live_at
            draft.go_live_at = go_live_at
            try:
                revision = draft.save_revision(user=user, log_action=True)
            except ValidationError:
                continue  # e.g. it would expire first; the editor fixes that in the article
            revision.publish(user=user)
            scheduled += 1
        return scheduled, 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        when = timezone.localtime(self.cleaned_form.cleaned_data["go_live_at"])
        noun = "article" if num_parent_objects == 1 else "articles"
        message = f"{num_parent_objects} {noun} scheduled for {when:%-d %B %Y, %H:%M}."
        skipped = len(self.actionable_objects) - num_parent_objects
        if skipped:
            message += f" {skipped} could not be: open them to see why."
        return message


BULK_ACTIONS = (AddTagsBulkAction, ScheduleBulkAction)
