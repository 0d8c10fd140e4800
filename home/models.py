"""The front page."""

from django.db import models
from django.db.models import F, Window
from django.db.models.functions import RowNumber, Substr
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page

from cms.headless.preview import HeadlessPreviewMixin
from cms.public_address import PublicAddressPageMixin
from cms.visibility import visible
from news.models import ArticlePage, NewsIndexPage
from news.models.pages import attach_sections

LATEST_COUNT = 8
PER_SECTION_COUNT = 4


class HomePage(HeadlessPreviewMixin, PublicAddressPageMixin, Page):
    lead_story = models.ForeignKey(
        "news.ArticlePage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The story at the top of the front page; the newest article if left blank.",
    )
    tagline = models.CharField(max_length=200, blank=True)

    content_panels = Page.content_panels + [FieldPanel("tagline"), FieldPanel("lead_story")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["news.NewsIndexPage"]
    max_count = 1
    template = "home/home_page.html"

    def front_page_articles(self):
        """The articles of this front page readers may see now, newest first."""
        return ArticlePage.objects.descendant_of(self).for_listing()

    def choose_lead(self, articles, newest=None):
        """The lead story: the editor's choice if readers may see it now, else the newest article.

        ``articles`` are ``front_page_articles()`` (or the same query with
        other related objects loaded); ``newest``, the first of them when the
        caller has read them already (the front page has), saves queries.
        The front page and the API's site data (``home.api.site``) share it.
        """
        if self.lead_story_id:
            lead = next((a for a in newest or () if a.pk == self.lead_story_id), None)
            if lead is None:
                lead = articles.filter(pk=self.lead_story_id).first()
            if lead is not None:
                return lead
        if newest is None:
            newest = list(articles[:1])
        return newest[0] if newest else None

    def front_page(self):
        """Lead story, latest articles and a block per section, in a fixed number of queries."""
        articles = self.front_page_articles()
        latest = list(articles[: LATEST_COUNT + 1])
        lead = self.choose_lead(articles, latest)
        latest = [a for a in latest if lead is None or a.pk != lead.pk][:LATEST_COUNT]

        sections = list(visible(NewsIndexPage.objects.child_of(self)).order_by("path"))
        depth = self.depth + 1
        ranked = articles.annotate(
            section_rank=Window(
                RowNumber(),
                partition_by=Substr("path", 1, depth * Page.steplen),
                order_by=[F("publication_date").desc(), F("pk").desc()],
            )
        ).filter(section_rank__lte=PER_SECTION_COUNT)
        by_section = {section.path: [] for section in sections}
        for article in ranked:
            by_section.setdefault(article.path[: -Page.steplen], []).append(article)
        attach_sections(latest + ([lead] if lead else []))
        section_blocks = []
        for section in sections:
            section_articles = by_section.get(section.path, [])
            for article in section_articles:
                article.__dict__["section"] = section
            if section_articles:
                section_blocks.append({"section": section, "articles": section_articles})
        return {"lead": lead, "latest": latest, "sections": section_blocks}

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(self.front_page())
        return context
