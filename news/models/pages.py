"""Sections and articles."""

import math
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import models
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.functional import cached_property
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.images import get_image_model_string
from wagtail.models import Orderable, Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from cms.api.fields import ModelAPIFields
from cms.headless.preview import HeadlessPreviewMixin
from cms.public_address import PublicAddressPageMixin
from cms.visibility import visible

from ..dates import format_publication_datetime, machine_datetime
from ..fields import ArticleBodyField, HttpsURLField
from .images import NewsImage, responsive_image
from .mixins import SocialImageMixin, seo_edit_handler

WORDS_PER_MINUTE = 230
ARTICLES_PER_PAGE = 12


class ArticlePageTag(TaggedItemBase):
    content_object = ParentalKey(
        "news.ArticlePage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class ArticleQuerySet(PageQuerySet):
    def visible(self):
        """Articles readers may see now: live, go-live time and publication date come,
        expiry time ahead, no view restriction (`cms.visibility`, shared by every surface)."""
        return visible(self)

    def for_listing(self):
        """Visible articles with everything a listing card shows, in a fixed number of queries."""
        return (
            self.visible()
            .select_related("lead_image")
            .prefetch_related(
                Prefetch("lead_image__renditions"),
                Prefetch(
                    "article_authors",
                    queryset=ArticleAuthor.objects.select_related("author").order_by("sort_order"),
                ),
            )
            .order_by("-publication_date", "-pk")
        )


class ArticlePageManager(PageManager.from_queryset(ArticleQuerySet)):
    pass


def paginate(request, queryset, per_page=ARTICLES_PER_PAGE):
    """One page of a listing; bad or out-of-range ?page= values fall back, never 500."""
    paginator = Paginator(queryset, per_page)
    try:
        return paginator.page(request.GET.get("page", 1))
    except PageNotAnInteger:
        return paginator.page(1)
    except EmptyPage:
        return paginator.page(paginator.num_pages)


def _is_future(moment):
    return moment is not None and moment > timezone.now()


def _same_instant(first, second):
    # Revisions store times to the millisecond (Django's JSON encoder).
    return abs(first - second) < timedelta(milliseconds=1)


def attach_sections(articles):
    """Set `section` on each article with one query for all of them."""
    articles = list(articles)
    parent_paths = {article.path[: -Page.steplen] for article in articles}
    sections = {s.path: s for s in NewsIndexPage.objects.filter(path__in=parent_paths)}
    for article in articles:
        article.__dict__["section"] = sections.get(article.path[: -Page.steplen])
    return articles


class NewsIndexPage(HeadlessPreviewMixin, PublicAddressPageMixin, SocialImageMixin, Page):
    """A section of the paper (Politics, Science, ...): lists its articles."""

    introduction = models.TextField(blank=True, max_length=500)

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    # Sections keep Wagtail's "Show in menus" box: it decides the site's menu.
    promote_panels = SocialImageMixin.promote_panels + [
        MultiFieldPanel([FieldPanel("show_in_menus")], heading="For site menus"),
    ]
    edit_handler = seo_edit_handler(content_panels, promote_panels)
    search_fields = Page.search_fields + [index.SearchField("introduction")]
    # Introduction, publication dates and SEO metadata; see news/api/fields.py.
    api_fields = ModelAPIFields("news.api.fields.section_api_fields")
    # The masthead menu and the API's site navigation list the sections that
    # show in menus (news.navigation); a new section does unless its editor
    # unticks "Show in menus".
    show_in_menus_default = True

    parent_page_types = ["home.HomePage"]
    subpage_types = ["news.ArticlePage"]
    template = "news/news_index_page.html"

    class Meta:
        verbose_name = "section"

    def get_articles(self):
        return ArticlePage.objects.child_of(self).for_listing()

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        page_of_articles = paginate(request, self.get_articles())
        for article in page_of_articles.object_list:
            article.__dict__["section"] = self
        context["articles"] = page_of_articles
        return context


class ArticleAuthor(Orderable):
    """One author in an article's byline, in byline order."""

    page = ParentalKey("news.ArticlePage", on_delete=models.CASCADE, related_name="article_authors")
    author = models.ForeignKey("authors.Author", on_delete=models.CASCADE, related_name="bylines")

    panels = [FieldPanel("author")]

    class Meta(Orderable.Meta):
        constraints = [
            models.UniqueConstraint(fields=["page", "author"], name="unique_author_per_article")
        ]


class ArticlePage(HeadlessPreviewMixin, PublicAddressPageMixin, SocialImageMixin, Page):
    standfirst = models.TextField(
        max_length=400, help_text="One or two sentences under the headline that sum up the story."
    )
    publication_date = models.DateTimeField(
        default=timezone.now,
        db_index=True,
        help_text="Shown to readers as the article's date. A past date back-dates the "
        "article. A future date schedules it: publishing sets its go-live time to this date "
        "and the article appears (site, feeds, sitemaps, search, API) only from then on; "
        "an article already live keeps its published version until then.",
    )
    lead_image = models.ForeignKey(
        get_image_model_string(), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    lead_image_caption = models.CharField(
        max_length=500, blank=True, help_text="Leave blank to use the image's caption."
    )
    lead_image_credit = models.CharField(
        max_length=255, blank=True, help_text="Leave blank to use the image's credit."
    )
    lead_image_alt = models.CharField(
        max_length=255, blank=True, help_text="Leave blank to use the image's alt text."
    )
    body = ArticleBodyField(blank=True)
    canonical_url = HttpsURLField(
        "canonical URL",
        max_length=500,
        blank=True,
        help_text="Only for a story first published elsewhere: the original's address, "
        "which search engines then credit. Leave blank to use this article's own address.",
    )
    tags = ClusterTaggableManager(through=ArticlePageTag, blank=True)

    objects = ArticlePageManager()

    # Readers see an article from its publication date on, even if its row
    # says live (cms.visibility): a future date is a schedule.
    visible_from_field = "publication_date"

    # Core fields plus those enabled plugins add; see news/api/fields.py.
    api_fields = ModelAPIFields("news.api.fields.article_api_fields")
    # Previews: a draft's bylines and tags are in its revision (cms/api/preview.py).
    api_draft_prefetch = "news.api.drafts.prefetch_article_draft"

    content_panels = Page.content_panels + [
        FieldPanel("standfirst"),
        InlinePanel("article_authors", label="Authors", heading="Byline", min_num=1),
        FieldPanel("publication_date"),
        MultiFieldPanel(
            [
                FieldPanel("lead_image"),
                FieldPanel("lead_image_caption"),
                FieldPanel("lead_image_credit"),
                FieldPanel("lead_image_alt"),
            ],
            heading="Lead image",
        ),
        FieldPanel("body"),
        FieldPanel("tags"),
    ]
    promote_panels = SocialImageMixin.promote_panels + [
        MultiFieldPanel([FieldPanel("canonical_url")], heading="Syndication"),
    ]
    edit_handler = seo_edit_handler(content_panels, promote_panels)

    # Relevance: headline (Page's title, boost 2) > standfirst > body, authors
    # and tags. PostgreSQL turns boosts into tsvector weights; SQLite weighs
    # the headline column in news.search.
    search_fields = Page.search_fields + [
        index.SearchField("standfirst", boost=1.5),
        index.SearchField("body"),
        index.FilterField("publication_date"),
        index.RelatedFields("tags", [index.SearchField("name")]),
        index.RelatedFields(
            "article_authors", [index.RelatedFields("author", [index.SearchField("name")])]
        ),
    ]

    parent_page_types = ["news.NewsIndexPage"]
    subpage_types = []
    template = "news/article_page.html"

    class Meta:
        verbose_name = "article"

    # Scheduling ---------------------------------------------------------------

    def clean(self):
        # Here rather than in an admin hook: the admin, API v3 writes and
        # save_revision() all validate the page before its revision is stored,
        # and publishing reads the go-live time from that revision.
        self._schedule_by_publication_date()
        super().clean()

    def with_content_json(self, content):
        page = super().with_content_json(content)
        # A revision stored without validation (an API draft) still publishes
        # as a schedule: publishing reads the go-live time from this object.
        if page.go_live_at is None and _is_future(page.publication_date):
            page.go_live_at = page.publication_date
        return page

    def _schedule_by_publication_date(self):
        """Make a future publication date the go-live time, so Wagtail schedules the article.

        The go-live time keeps following the publication date (and is cleared
        when that date is moved to the past) as long as it was taken from it;
        a go-live time the editor set to something else is left alone.
        """
        if self.publication_date is None:  # the field reports its own error
            return
        future = _is_future(self.publication_date)
        if self.go_live_at is None or self._go_live_follows_publication_date():
            self.go_live_at = self.publication_date if future else None
        if future and self.expire_at is not None and self.expire_at <= self.publication_date:
            raise ValidationError(
                {"publication_date": "The article would expire before its publication date."}
            )

    def _go_live_follows_publication_date(self):
        """Whether the go-live time is the one taken from the last saved publication date."""
        previous = self.latest_revision if self.latest_revision_id else None
        if previous is None:
            return False
        published = parse_datetime(previous.content.get("publication_date") or "")
        go_live = parse_datetime(previous.content.get("go_live_at") or "")
        return (
            published is not None
            and _same_instant(self.go_live_at, published)
            and (go_live is None or _same_instant(go_live, published))
        )

    def serve(self, request, *args, **kwargs):
        # Internal links in the body's rich text resolve from one batch of queries
        # for the whole body, not one per paragraph, and stored embeds from one
        # query; rendering happens inside.
        # (Imported here: Wagtail's link handlers need the model registry loaded.)
        from ..embeds import preload_embeds
        from ..rich_text import preloaded_links

        preload_embeds([child.value for child in self.body])
        with preloaded_links(self.body.stream_block.extract_references(self.body)):
            response = super().serve(request, *args, **kwargs)
            if callable(getattr(response, "render", None)):
                response.render()
        return response

    # Display and derived data -------------------------------------------------

    @cached_property
    def section(self):
        return NewsIndexPage.objects.filter(path=self.path[: -self.steplen]).first()

    @cached_property
    def authors(self):
        """Authors in byline order, with portraits and their renditions loaded."""
        prefetched = getattr(self, "_prefetched_objects_cache", {}).get("article_authors")
        if prefetched is not None:
            return [byline.author for byline in prefetched]
        # Through the cluster relation, not a filter on `page=self`: a preview
        # holds the editor's unsaved bylines in memory (and may have no pk yet).
        bylines = (
            self.article_authors.all()
            .select_related("author__portrait")
            .prefetch_related("author__portrait__renditions")
            .order_by("sort_order")
        )
        return [byline.author for byline in bylines]

    @cached_property
    def tag_list(self):
        """Tags by name, as the API and the feeds list them.

        Sorted here rather than in SQL so that tags a listing prefetched
        (news.api.fields.prefetch_tags) cost no query per article.
        """
        return sorted(self.tags.all(), key=lambda tag: tag.name.lower())

    @property
    def publication_display(self):
        return format_publication_datetime(self.publication_date)

    @property
    def publication_iso(self):
        return machine_datetime(self.publication_date)

    @cached_property
    def reading_time(self):
        """Minutes to read the body at an average adult reading speed."""
        from ..blocks import plain_text

        words = len((self.standfirst + " " + plain_text(self.body)).split())
        return max(1, math.ceil(words / WORDS_PER_MINUTE))

    @cached_property
    def lead_image_with_renditions(self):
        if not self.lead_image_id:
            return None
        if "lead_image" in self._state.fields_cache:
            # Listings select the image and prefetch its renditions already.
            return self.lead_image
        return NewsImage.objects.prefetch_renditions().filter(pk=self.lead_image_id).first()

    @cached_property
    def lead_picture(self):
        image = self.lead_image_with_renditions
        if image is None:
            return None
        return responsive_image(
            image,
            alt=self.lead_image_alt or None,
            caption=self.lead_image_caption or None,
            credit=self.lead_image_credit or None,
        )
