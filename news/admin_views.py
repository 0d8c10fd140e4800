"""Admin screens of the news app (wired in wagtail_hooks.py)."""

from wagtail.admin.views.reports import PageReportView

from .abandoned_drafts import abandoned_after, abandoned_drafts


class AbandonedDraftsView(PageReportView):
    """Reports > Abandoned drafts: new pages nobody came back to, which the daily job deletes."""

    page_title = "Abandoned drafts"
    header_icon = "bin"
    index_url_name = "news_abandoned_drafts"
    index_results_url_name = "news_abandoned_drafts_results"
    any_permission_required = ["add", "change", "publish"]

    def get_queryset(self):
        editable = self.permission_policy.instances_user_has_permission_for(
            self.request.user, "change"
        )
        self.queryset = abandoned_drafts().filter(pk__in=editable.values("pk")).specific(defer=True)
        return super().get_queryset()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        days = abandoned_after().days
        context["page_subtitle"] = (
            f"Never published, not edited after the first sitting, untouched for {days} days: "
            "the daily clean-up deletes these. Edit one to keep it."
        )
        return context
