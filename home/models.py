"""The front page."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page

from cms.headless.preview import HeadlessPreviewMixin
from cms.page_cache.recording import note_change_at
from cms.public_address import PublicAddressPageMixin
from cms.visibility import visible_pages
from news.models import ArticlePage
from news.models.pages import (
    attach_sections,
    listing_rows,
    section_under,
    sections_made,
    visible_sections,
)

LATEST_COUNT = 8
# The first of the latest stories stand beside the lead; the rest are "Most recent".
SECONDARY_COUNT = 3
PER_SECTION_COUNT = 4
# The breaking-news banner links at most this many articles, each for
# BYLINE_BREAKING_NEWS_HOURS (a Django setting) after its publication date.
BREAKING_COUNT = 3
BREAKING_NEWS_HOURS = 24


def breaking_news_window():
    """How long after its publication date a breaking article stays in the banner."""
    return timedelta(hours=getattr(settings, "BYLINE_BREAKING_NEWS_HOURS", BREAKING_NEWS_HOURS))


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

    def route(self, request, path_components):
        # A section comes from the kept sections (news.models.pages.section_under): no
        # query for the first step of every section and article address.
        if path_components:
            section = section_under(self, path_components[0])
            if section is not None:
                section._cached_parent_obj = self
                return section.route(request, path_components[1:])
        return super().route(request, path_components)

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
        """Lead story, latest articles and a block per section, in a fixed number of queries.

        Which articles it shows (ids) is kept between requests until any article is
        published, unpublished, moved or deleted (``cms.kept_counts.kept_ids_made``), and
        the sections come from the kept sections: then one query loads them all.
        """
        sections = self._sections()
        (newest_ids, _), (per_section_ids, _) = self._kept_front_ids(lambda: sections)
        rows = listing_rows().filter(pk__in={*newest_ids, *per_section_ids})
        loaded = {article.pk: article for article in visible_pages(rows)}
        newest = [loaded[pk] for pk in newest_ids if pk in loaded]
        lead = self.choose_lead(self.front_page_articles(), newest)
        latest = [a for a in newest if lead is None or a.pk != lead.pk][:LATEST_COUNT]
        breaking = self.breaking_news(newest)

        by_section = {section.path: [] for section in sections}
        for pk in per_section_ids:
            if pk in loaded:
                article = loaded[pk]
                by_section.setdefault(article.path[: -Page.steplen], []).append(article)
        attach_sections(latest + ([lead] if lead else []))
        section_blocks = []
        for section in sections:
            section_articles = by_section.get(section.path, [])
            for article in section_articles:
                article.__dict__["section"] = section
            if section_articles:
                section_blocks.append({"section": section, "articles": section_articles})
        flagged = {article.pk for article in breaking}
        shown = [*newest, *by_section_articles(section_blocks)] + ([lead] if lead else [])
        for article in shown:
            if article.pk in flagged:
                article.__dict__["breaking_now"] = True  # the cards' "Breaking" marker
        return {
            "breaking": breaking,
            "lead": lead,
            "latest": latest,
            "secondary": latest[:SECONDARY_COUNT],
            "recent": latest[SECONDARY_COUNT:],
            "sections": section_blocks,
        }

    def _kept_front_ids(self, sections):
        """``(ids, made)`` of the newest articles and of the newest per section
        (``cms.kept_counts.kept_ids_made``); `sections()` is called only to make them."""
        from cms.kept_counts import kept_ids_made
        from cms.shared_lookups import SECTIONS_KEY

        keys = ("articles", SECTIONS_KEY)
        newest = kept_ids_made(
            f"home:{self.pk}:newest",
            lambda: self.front_page_articles()[: LATEST_COUNT + 1],
            keys,
        )
        per_section = kept_ids_made(
            f"home:{self.pk}:per-section",
            lambda: self._newest_per_section(self.front_page_articles(), sections()),
            keys,
        )
        return newest, per_section

    def _sections(self):
        """The sections under this page readers may see now, in tree order (no query while
        none changed); the answer is filed under them all."""
        return visible_sections(self)

    def breaking_news(self, newest=None):
        """The newest articles flagged as breaking news and published within the window.

        ``newest``, if given, are the first LATEST_COUNT + 1 of
        ``front_page_articles()``, newest first, which the front page has read
        already: when they reach back past the window they hold every article
        inside it, and the banner costs no query; otherwise (a day with more
        stories, the API's site data) one query finds them. The
        stored page (cms.page_cache) lives no longer than the first of them
        stays in the banner, so it drops off by itself.
        """
        since = timezone.now() - breaking_news_window()
        if newest is not None and (
            len(newest) <= LATEST_COUNT or newest[-1].publication_date < since
        ):
            found = [a for a in newest if a.breaking and a.publication_date >= since]
        else:
            found = list(
                ArticlePage.objects.descendant_of(self)
                .visible()
                .filter(breaking=True, publication_date__gte=since)
                .order_by("-publication_date", "-pk")
                .only("id", "title", "url_path", "path", "depth", "publication_date", "breaking")[
                    :BREAKING_COUNT
                ]
            )
        found = found[:BREAKING_COUNT]
        if found:
            note_change_at(min(a.publication_date for a in found) + breaking_news_window())
        return found

    @staticmethod
    def _newest_per_section(articles, sections):
        """The newest PER_SECTION_COUNT ``articles`` of each section, in one query.

        One LIMITed subquery per section, each reading the publication date index
        from the newest end until it has its few articles: the cost does not grow
        with the archive (ranking every article with a window function did).
        """
        if not sections:
            return articles.none()
        newest = Q()
        for section in sections:
            ids = (
                ArticlePage.objects.child_of(section)
                .visible()
                .order_by("-publication_date", "-pk")
                .values("pk")[:PER_SECTION_COUNT]
            )
            newest |= Q(pk__in=ids)
        return articles.filter(newest)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["front"] = FrontPage(self)
        return context


class FrontPage:
    """What the front page shows (``HomePage.front_page``), made the first time a part of
    it is read; `name` names it without reading any article, so the template keeps it as
    one fragment (home/home_page.html) read by that name while nothing it shows changed."""

    def __init__(self, home):
        self.home = home

    @cached_property
    def parts(self):
        return self.home.front_page()

    @property
    def name(self):
        """The makings of the kept ids it shows (made again whenever an article is
        published, unpublished, moved or saved live, a section changes, a view restriction
        changes or a scheduled change comes), the sections' token, the breaking-news
        window and what of the home page itself it shows. The banner's articles leave it
        by themselves: the kept front lives no longer than the first of them stays."""
        home = self.home
        (_, newest), (_, per_section) = home._kept_front_ids(home._sections)
        return [
            newest,
            per_section,
            sections_made(),
            str(breaking_news_window()),
            str(home.lead_story_id),
            home.title,
            home.tagline,
        ]

    breaking = property(lambda self: self.parts["breaking"])
    lead = property(lambda self: self.parts["lead"])
    secondary = property(lambda self: self.parts["secondary"])
    recent = property(lambda self: self.parts["recent"])
    sections = property(lambda self: self.parts["sections"])


def by_section_articles(section_blocks):
    return [article for block in section_blocks for article in block["articles"]]
