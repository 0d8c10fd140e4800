"""Sections and articles."""

import json
import math
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import models
from django.db.models import Prefetch, prefetch_related_objects
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.dateparse import parse_datetime
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.images import get_image_model_string
from wagtail.models import Orderable, Page, PageManager, PageViewRestriction
from wagtail.query import PageQuerySet
from wagtail.search import index

from cms.api.fields import ModelAPIFields
from cms.headless.preview import HeadlessPreviewMixin
from cms.kept_fragments import keep
from cms.page_cache.keys import Key, object_key, plugins_on, request_site_key
from cms.plugins.slots import PER_REQUEST_SLOTS, RENDER_LATER, fill_per_request_slots
from cms.plugins.slots import stand_in as slot_stand_in
from cms.public_address import PublicAddressPageMixin
from cms.visibility import is_snippet_visible, visible, visible_pages

from ..dates import format_publication_datetime, machine_datetime
from ..fields import ArticleBodyField, HttpsURLField
from ..panels import article_edit_handler
from ..reading import WORDS_PER_MINUTE
from .images import NewsImage, responsive_image, responsive_renditions
from .mixins import SocialImageMixin, seo_edit_handler

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
        """Visible articles, newest first, with their lead images and bylines (ids only).

        What a card shows besides (the authors, the lead images' renditions) is loaded
        when the first card that is not kept renders, for every article the query returned
        at once (``ListedTogether``): a fixed number of queries, and none
        while every card is kept (``components/article_card.html``).
        """
        return self.visible().with_card_parts().order_by("-publication_date", "-pk")

    def with_card_parts(self, images=True):
        """These articles with their bylines (ids only) and lead images (unless `images` is
        false), the rest of what their cards show loaded together when first needed
        (``ListedTogether``; the images too, when not selected here)."""
        queryset = self.prefetch_related(
            Prefetch("article_authors", queryset=ArticleAuthor.objects.order_by("sort_order"))
        )
        if images:
            queryset = queryset.select_related("lead_image")
        queryset._listed_together = True
        return queryset

    def _clone(self):
        clone = super()._clone()
        clone._listed_together = getattr(self, "_listed_together", False)
        return clone

    def _prefetch_related_objects(self):
        super()._prefetch_related_objects()
        if getattr(self, "_listed_together", False):
            together = ListedTogether(self._result_cache)
            for article in together.articles:
                article.__dict__["_listed_together"] = together


class ListedTogether:
    """The articles one listing query returned: what their cards show besides their own
    rows is loaded for all of them at once, the first time one of them needs it."""

    def __init__(self, articles):
        self.articles = [article for article in articles if isinstance(article, ArticlePage)]
        self.authors_loaded = False
        self.renditions_loaded = False

    def load_authors(self):
        if not self.authors_loaded:
            self.authors_loaded = True
            bylines = [
                byline
                for article in self.articles
                for byline in article._prefetched_objects_cache.get("article_authors", ())
            ]
            prefetch_related_objects(bylines, "author")

    def load_renditions(self):
        """The lead images' renditions (and the images themselves, where the listing did
        not select them: kept cards need their ids only), for all the articles at once."""
        if not self.renditions_loaded:
            self.renditions_loaded = True
            unloaded = [
                article
                for article in self.articles
                if "lead_image" not in article._state.fields_cache and article.lead_image_id
            ]
            if unloaded:
                found = NewsImage.objects.in_bulk({article.lead_image_id for article in unloaded})
                for article in unloaded:
                    article._state.fields_cache["lead_image"] = found.get(article.lead_image_id)
            images = [
                article.lead_image
                for article in self.articles
                if "lead_image" in article._state.fields_cache and article.lead_image is not None
            ]
            prefetch_related_objects(
                images, Prefetch("renditions", queryset=responsive_renditions())
            )


class ArticlePageManager(PageManager.from_queryset(ArticleQuerySet)):
    pass


def paginate(request, queryset, per_page=ARTICLES_PER_PAGE, *, listing=None):
    """One page of a listing; bad or out-of-range ?page= values fall back, never 500.

    With `listing` (a name for the listing, e.g. "listing:section:7"), the listing's
    article ids, in order, are kept between requests (``listed``): its count is their
    number and any page of it reads its dozen articles by key (from the visible articles,
    without the listing's own filter, which would lead the database to read every member
    of a tag first), where counting and skipping to a deep page would read every article
    before it each time.
    """
    if listing is not None:
        queryset = listed(listing, queryset)
    paginator = Paginator(queryset, per_page)
    try:
        return paginator.page(request.GET.get("page", 1))
    except PageNotAnInteger:
        return paginator.page(1)
    except EmptyPage:
        return paginator.page(paginator.num_pages)


def listing_rows():
    """The live articles a kept listing reads its page of cards from, by key: what a card
    shows, without the bodies (a card shows none; a body is read and parsed per row) and
    without the lead images (a kept card is named by the image's id; a card made afresh
    loads the images of the whole page at once).
    Whether readers may see each one now is checked on the loaded rows (``visible_pages``:
    the kept restricted paths, no SQL), as the kept ids were chosen from visible articles
    and are purged when that changes: the same filter in SQL cost about 3 ms of query
    building a listing."""
    return ArticlePage.objects.live().with_card_parts(images=False).defer_streamfields()


def listed(listing, queryset, keys=("articles",)):
    """`queryset` (or a function making it or its ids) as a sequence a paginator can slice,
    from its ids kept until any article is published, unpublished, moved, deleted or saved
    live (the ``articles`` key: an article that loses a tag or an author leaves a listing
    its publication does not name; ``cms.kept_counts``) or `keys` say otherwise; a slice is
    loaded from ``listing_rows()`` when first shown, the rows readers may see now kept, each
    with its section (``attach_sections``)."""
    from cms.kept_counts import KeptListing

    return KeptListing(listing, queryset, keys, rows=listing_rows(), shown=_shown_with_sections)


def _shown_with_sections(rows):
    return attach_sections(visible_pages(rows))


def cards_named(articles):
    """What names a run of listing cards kept as one fragment (``{% keep "cards"
    articles|cards_named ... %}``, news/templatetags/article_cards.py): each article, what
    its card shows and its card's version, so the run is filed under all they show and
    made again whenever one of its cards would be. A kept run costs one lookup, not one
    per card."""
    from cms.kept_counts import KeptRows

    if isinstance(articles, KeptRows):
        # A page of a kept listing, named by its kept ids and their making without reading
        # its rows: the ids are made again whenever an article is published, unpublished,
        # moved or saved live (``articles``), and any section saved changes the sections'
        # token, so the run is then made again too; what its cards show (their pages,
        # authors, images) files it as it is made.
        return [articles.made, sections_made(), ",".join(map(str, articles.ids))]
    parts = []
    for article in articles:
        parts += [article, *article.card_shows, article.card_version]
    return parts


def _is_future(moment):
    return moment is not None and moment > timezone.now()


def _same_instant(first, second):
    # Revisions store times to the millisecond (Django's JSON encoder).
    return abs(first - second) < timedelta(milliseconds=1)


def attach_sections(articles):
    """Set `section` on each article, from the shared sections lookup (no query while
    no section changed, else one for all of them)."""
    articles = list(articles)
    sections = kept_sections()
    for article in articles:
        article.__dict__["section"] = _noted(sections.get(article.path[: -Page.steplen]))
    return articles


def kept_sections():
    """{tree path: section} of every section (NewsIndexPage, any state), kept in
    ``cms.shared_lookups`` until one is saved, published, moved or deleted."""
    from cms.page_cache import recording
    from cms.shared_lookups import SECTIONS_KEY, remember

    def build():
        # Loading every section must not file the answer against each of them.
        token = recording.start()
        try:
            sections = {section.path: section for section in NewsIndexPage.objects.all()}
        finally:
            recording.stop(token)
        return sections, {SECTIONS_KEY, *(f"page:{s.pk}" for s in sections.values())}, None

    return remember("sections-by-path", build, note=False)


def sections_made():
    """A name for the sections as they are (``cms.shared_lookups.made_token``): new
    whenever any section is saved, published, moved or deleted."""
    from cms.shared_lookups import SECTIONS_KEY, made_token

    return made_token("sections", {SECTIONS_KEY})


def visible_sections(parent=None):
    """The sections readers may see now (all of them, or `parent`'s children), in tree
    order, from the kept sections: no query while none changed. The answer being recorded
    is filed under them all."""
    from cms.page_cache import recording
    from cms.shared_lookups import SECTIONS_KEY

    sections = visible_pages(
        section
        for path, section in sorted(kept_sections().items())
        if parent is None or path[: -Page.steplen] == parent.path
    )
    recording.record(None, SECTIONS_KEY, *(f"page:{section.pk}" for section in sections))
    return sections


def _noted(section):
    """`section`, with the answer being recorded for the page cache filed against it only
    (or against every section, when there is none)."""
    from cms.page_cache import recording
    from cms.shared_lookups import SECTIONS_KEY

    recording.record(None, SECTIONS_KEY if section is None else f"page:{section.pk}")
    return section


def section_at(path):
    """The section (NewsIndexPage, any state) whose tree path is `path`, or None."""
    return _noted(kept_sections().get(path))


def section_under(parent, slug):
    """The section `slug` among `parent`'s children (any state), or None: routing's
    lookup, with no query while the sections are kept."""
    found = None
    for path, section in kept_sections().items():
        if section.slug == slug and path[: -Page.steplen] == parent.path:
            found = section
            break
    return _noted(found)


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

    def route(self, request, path_components):
        # An article comes in one query with its lead image, and what Wagtail's
        # view-restriction check needs is known (news.article_loading); anything else
        # as usual.
        if len(path_components) == 1:
            from ..article_loading import find_article

            article = find_article(self, path_components[0], request)
            if article is not None:
                return article.route(request, [])
        return super().route(request, path_components)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["articles"] = paginate(
            request, self.get_articles(), listing=f"listing:section:{self.pk}"
        )
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
    breaking = models.BooleanField(
        "breaking news",
        default=False,
        db_default=False,  # safe while the previous version, which never sets it, still serves
        help_text="For a major story as it develops: for its first hours (24 by default) "
        "the home page shows a banner linking to it, and the API and cards mark it.",
    )

    objects = ArticlePageManager()

    # Set by the front page on the articles its breaking-news banner links
    # (HomePage.breaking_news): their cards say "Breaking" there.
    breaking_now = False

    # Readers see an article from its publication date on, even if its row
    # says live (cms.visibility): a future date is a schedule.
    visible_from_field = "publication_date"

    # Core fields plus those enabled plugins add; see news/api/fields.py.
    api_fields = ModelAPIFields("news.api.fields.article_api_fields")
    # Every API answer about an article shows its lead image (cms.api.specific).
    api_select_related = ("lead_image",)
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
    edit_handler = article_edit_handler()

    # Relevance: headline (Page's title, boost 2) > standfirst > body, authors
    # and tags. PostgreSQL turns boosts into tsvector weights; SQLite weighs
    # the headline column in news.search.
    search_fields = Page.search_fields + [
        index.SearchField("standfirst", boost=1.5),
        index.SearchField("body"),
        index.FilterField("publication_date"),
        index.FilterField("breaking"),
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

    def save(self, *args, **kwargs):
        self._free_bylines_given_up()
        return super().save(*args, **kwargs)

    def _free_bylines_given_up(self):
        """Let a new byline row take an author that a kept row gives up in the same edit.

        The byline rows are written one by one in byline order, so a new row naming
        an author whose stored row now names someone else would meet that row on the
        one-author-per-article constraint before it is rewritten. Those kept rows are
        removed first and written again as new rows.
        """
        rows = getattr(self, "_cluster_related_objects", {}).get("article_authors")
        if self.pk is None or not rows:
            return
        kept = {row.pk: row for row in rows if row.pk is not None}
        stored = ArticleAuthor.objects.filter(page_id=self.pk, pk__in=kept)
        moved = [
            pk
            for pk, author_id in stored.values_list("pk", "author_id")
            if kept[pk].author_id != author_id
        ]
        if moved:
            ArticleAuthor.objects.filter(pk__in=moved).delete()
            for pk in moved:
                kept[pk].pk = None

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
        # The page is the same for every reader but for its per-request slots (the
        # comment form, with its freshly signed token): it is rendered once and kept
        # (cms.kept_fragments), named by the article's stored row, filed under the
        # article, its section and lead image (loaded by routing) and all it loads as it
        # renders; each request fills in its own slots (cms.plugins.slots).
        request.is_preview = False
        context = self.get_context(request, *args, **kwargs)
        html = keep(
            request,
            f"article-page:{self.pk}",
            lambda: self._render_page(request, context, *args, **kwargs),
            keys=[
                request_site_key(request),
                *(object_key(shown) for shown in (self, self.section, self._routed_lead) if shown),
            ],
            # The enabled plugins put blocks, head links and a sidebar in it.
            depends_on=[self._stored_row(), plugins_on(), *map(slot_stand_in, PER_REQUEST_SLOTS)],
        )
        response = HttpResponse(fill_per_request_slots(html, context, request))
        # Whoever is signed in sees another page (Wagtail's user bar, the page made
        # afresh): said even when the kept page was served without reading the session.
        patch_vary_headers(response, ("Cookie",))
        return response

    def _render_page(self, request, context, *args, **kwargs):
        """The page's HTML with stand-ins for its per-request slots. The body is kept on
        its own, named by its content, for the pages that show it (its images, links and
        embeds are loaded only when it is rendered)."""
        self.__dict__["rendered_body"] = keep(
            request,
            f"article-body:{self.pk}",
            lambda: self._render_body(request),
            keys=(f"page:{self.pk}",),
            depends_on=[self._stored_body()],
        )
        self._load_byline_images()
        template = self.get_template(request, *args, **kwargs)
        return render_to_string(template, {**context, RENDER_LATER: True}, request)

    @property
    def _routed_lead(self):
        """The lead image, if routing loaded it with the article (news.article_loading)."""
        return self._state.fields_cache.get("lead_image")

    def _stored_body(self):
        return json.dumps(self.body.get_prep_value(), sort_keys=True, default=str)

    def _stored_row(self):
        """The article's stored columns, as text: a kept page is made again when any of
        them changes, however the article was saved (its bylines, tags and corrections
        purge its key when they change: cms.page_cache.invalidation)."""
        return "\x1f".join(
            self._stored_body() if field.attname == "body" else str(getattr(self, field.attname))
            for field in self._meta.concrete_fields
        )

    def _render_body(self, request):
        """The body's HTML and word count. Its images and their renditions come in two
        queries, stored embeds in one (news.embeds), rich text links in one batch per
        link type (news.rich_text)."""
        from ..article_loading import collected_images, load_renditions
        from ..blocks import plain_text
        from ..embeds import preload_embeds
        from ..rich_text import preloaded_links

        with collected_images() as images:
            values = [child.value for child in self.body]
        load_renditions(images)
        preload_embeds(values)
        context = {"request": request, "page": self}
        with preloaded_links(self.body.stream_block.extract_references(self.body)):
            html = "".join(child.render_as_block(context=context) for child in self.body)
        return {"html": html, "words": len(plain_text(self.body).split())}

    @property
    def body_html(self):
        """The rendered body (kept by ``serve``, or rendered now outside a request)."""
        rendered = self.__dict__.get("rendered_body")
        if rendered is None:
            rendered = self.__dict__["rendered_body"] = self._render_body(None)
        return mark_safe(rendered["html"])  # noqa: S308 (the blocks' own escaped HTML)

    def _load_byline_images(self):
        """The bylines with portraits, then the renditions of the portraits and the lead
        image, in two queries (the lead image came with the page when routing found it:
        news.article_loading)."""
        from ..article_loading import load_renditions

        authors = self.__dict__["authors"] = self._visible_authors(renditions=False)
        lead = self.lead_image_with_renditions if self.lead_image_id else None
        load_renditions([lead, *(author.portrait for author in authors)])

    def get_view_restrictions(self):
        # Routing (NewsIndexPage.route) asked already whether a restriction or an
        # alias sits on the article or above it: none of them, nothing to query.
        if not getattr(self, "view_restricted", True) and not getattr(self, "under_alias", True):
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()

    # Display and derived data -------------------------------------------------

    @cached_property
    def section(self):
        return section_at(self.path[: -self.steplen])

    @cached_property
    def authors(self):
        """Authors in byline order, with portraits and their renditions loaded."""
        prefetched = getattr(self, "_prefetched_objects_cache", {}).get("article_authors")
        if prefetched is not None:
            together = self.__dict__.get("_listed_together")
            if together is not None:
                together.load_authors()
            return [byline.author for byline in prefetched if is_snippet_visible(byline.author)]
        return self._visible_authors(renditions=True)

    def _visible_authors(self, renditions):
        # Through the cluster relation, not a filter on `page=self`: a preview
        # holds the editor's unsaved bylines in memory (and may have no pk yet).
        bylines = self.article_authors.all().select_related("author__portrait")
        if renditions:
            bylines = bylines.prefetch_related("author__portrait__renditions")
        # An unpublished (draft) author is left out of every byline readers see.
        return [
            byline.author
            for byline in bylines.order_by("sort_order")
            if is_snippet_visible(byline.author)
        ]

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
    def correction_notes(self):
        """Corrections and updates, newest first: from a listing's prefetch, a preview's
        unsaved rows or one query."""
        from .corrections import newest_first

        return newest_first(self.corrections.all())

    @property
    def latest_note(self):
        """The newest correction or update, or None."""
        return self.correction_notes[0] if self.correction_notes else None

    @property
    def updated_display(self):
        """The visible "Updated" time: the newest correction or update, if any."""
        note = self.latest_note
        return format_publication_datetime(note.noted_at) if note else ""

    @cached_property
    def related_articles(self):
        """Up to RELATED_COUNT articles to read next, editors' picks first (one query)."""
        from .related import related_articles

        return related_articles([self])[0]

    @property
    def updated_iso(self):
        """When readers last saw a change (h-entry's dt-updated), as the SEO metadata say it."""
        from ..seo import article_modified_time

        return machine_datetime(article_modified_time(self))

    @cached_property
    def reading_time(self):
        """Minutes to read the body at an average adult reading speed."""
        from ..blocks import plain_text

        rendered = self.__dict__.get("rendered_body")
        body_words = rendered["words"] if rendered else len(plain_text(self.body).split())
        words = len(self.standfirst.split()) + body_words
        return max(1, math.ceil(words / WORDS_PER_MINUTE))

    @property
    def card_version(self):
        """What a listing card shows of the article and its section: a kept card
        (components/article_card.html) is named by it, so it is made again when it
        changes, however it was saved."""
        section = self.section
        return "|".join(
            (
                self.title,
                self.standfirst,
                self.url_path,
                machine_datetime(self.publication_date),
                str(self.lead_image_id),
                section.title if section else "",
                section.url_path if section else "",
                str(self.breaking_now),
            )
        )

    @property
    def card_shows(self):
        """What a card shows that a listing loaded before it renders (its lead image and
        section, its authors' keys): a kept card is filed under them. A listing's bylines
        name their authors by id, so a kept card costs no author query."""
        shown = [self.section]
        if "lead_image" in self._state.fields_cache:
            shown.append(self.lead_image)
        elif self.lead_image_id:
            shown.append(Key.of(NewsImage, self.lead_image_id))
        bylines = getattr(self, "_prefetched_objects_cache", {}).get("article_authors")
        if bylines is not None:
            from authors.models import Author

            shown += [Key.of(Author, byline.author_id) for byline in bylines]
        else:
            shown += self.authors
        return [item for item in shown if item is not None]

    @cached_property
    def lead_image_with_renditions(self):
        if not self.lead_image_id:
            return None
        together = self.__dict__.get("_listed_together")
        if together is not None:
            # Listings load their images' renditions (and the images, if they did not
            # select them) for all their articles at once when the first is needed.
            together.load_renditions()
        if "lead_image" in self._state.fields_cache:
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
