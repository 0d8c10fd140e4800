"""The article body's blocks.

Each block owns both of its outputs: HTML from its template and JSON from
`get_api_representation`. Display decisions (which tag, which caption, which
CSS class) live in StructValue methods so templates only print values.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html, strip_tags
from django.utils.safestring import mark_safe
from typing_extensions import TypedDict
from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.embeds.blocks import EmbedBlock, EmbedValue
from wagtail.images.blocks import ImageChooserBlock
from wagtail.rich_text import RichText

from .article_loading import load_images
from .embeds import StoredEmbedValue, embed_url_problem, site_name
from .models.images import ResponsiveImage, responsive_image

RICH_TEXT_FEATURES = [
    "bold",
    "italic",
    "link",
    "document-link",
    "ol",
    "ul",
    "superscript",
    "subscript",
]


class PrefetchingImageChooserBlock(ImageChooserBlock):
    """An image chooser that loads every image of a stream with its renditions
    in two queries, however many image blocks the stream holds."""

    def bulk_to_python(self, values):
        values = list(values)
        ids = [value for value in values if value is not None]
        objects = load_images(self.model_class, ids)  # renditions too, or batched by the page
        return [objects.get(value) for value in values]

    class Meta:
        icon = "image"


class ParagraphBlock(blocks.RichTextBlock):
    def __init__(self, **kwargs):
        kwargs.setdefault("features", RICH_TEXT_FEATURES)
        super().__init__(**kwargs)

    class Meta:
        icon = "pilcrow"
        template = "news/blocks/paragraph.html"
        description = "Body text with links and emphasis."
        preview_value = "<p>The council voted <b>seven to two</b> to keep the library open.</p>"

    def get_api_representation(self, value, context=None):
        # Finished HTML leaves hidden pages' links out in the link handler; the
        # other formats (db_html, markdown) need them taken out of the source.
        from .rich_text import unlink_hidden_pages

        return super().get_api_representation(RichText(unlink_hidden_pages(value.source)), context)


class HeadingValue(blocks.StructValue):
    @property
    def tag(self):
        return self.get("level") or "h2"

    @cached_property
    def anchor(self):
        from django.utils.text import slugify

        # ASCII where the text allows it; non-Latin headings keep their letters
        # instead of collapsing to an empty (invalid) id.
        text = self.get("text") or ""
        return (slugify(text) or slugify(text, allow_unicode=True))[:60]


class HeadingAPIValue(TypedDict):
    """A heading: its text, level (2-4) and the anchor id the HTML gives it."""

    text: str
    level: int
    anchor: str


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=200)
    level = blocks.ChoiceBlock(
        choices=[("h2", "Section heading"), ("h3", "Subheading"), ("h4", "Minor heading")],
        default="h2",
    )

    class Meta:
        icon = "title"
        template = "news/blocks/heading.html"
        value_class = HeadingValue
        description = "A heading that divides the article into sections."
        preview_value = {"text": "What happens next", "level": "h2"}

    def get_api_representation(self, value, context=None) -> HeadingAPIValue:
        return {"text": value.get("text"), "level": int(value.tag[1]), "anchor": value.anchor}


class QuotationValue(blocks.StructValue):
    @property
    def has_attribution(self):
        return bool(self.get("attribution") or self.get("source"))


class QuotationAPIValue(TypedDict):
    """A quotation with who said it and where."""

    quote: str
    attribution: str | None
    source: str | None
    source_url: str | None


class QuotationBlock(blocks.StructBlock):
    quote = blocks.TextBlock()
    attribution = blocks.CharBlock(required=False, help_text="Who said it.")
    source = blocks.CharBlock(required=False, help_text="Where it was said, e.g. a speech.")
    source_url = blocks.URLBlock(
        required=False,
        label="Source web address",
        help_text="Where readers can find the original, e.g. a transcript.",
    )

    class Meta:
        icon = "openquote"
        template = "news/blocks/quotation.html"
        value_class = QuotationValue
        description = "A quotation set apart from the text, with who said it."
        preview_value = {
            "quote": "We will reopen the bridge before the winter storms arrive.",
            "attribution": "Mara Okafor, county engineer",
        }

    def get_api_representation(self, value, context=None) -> QuotationAPIValue:
        return {
            "quote": value.get("quote"),
            "attribution": value.get("attribution") or None,
            "source": value.get("source") or None,
            "source_url": value.get("source_url") or None,
        }


class PullQuoteAPIValue(TypedDict):
    """A line from the article, displayed large."""

    text: str
    attribution: str | None


class PullQuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(help_text="A line from the article, repeated for emphasis.")
    attribution = blocks.CharBlock(required=False)

    class Meta:
        icon = "openquote"
        template = "news/blocks/pull_quote.html"
        description = "A short line from the article, displayed large."
        preview_value = {"text": "Nobody expected the vote to be that close."}

    def get_api_representation(self, value, context=None) -> PullQuoteAPIValue:
        return {"text": value.get("text"), "attribution": value.get("attribution") or None}


class CaptionedImageValue(blocks.StructValue):
    """Caption, credit and alt text fall back to the image's own defaults.

    (Property names differ from the child block names: templates look up
    dict keys before attributes.)
    """

    @property
    def display_caption(self):
        image = self.get("image")
        return self.get("caption") or (image.default_caption if image else "")

    @property
    def display_credit(self):
        image = self.get("image")
        return self.get("credit") or (image.credit if image else "")

    @property
    def display_alt(self):
        image = self.get("image")
        return self.get("alt_text") or (image.default_alt_text if image else "")

    @property
    def css_class(self):
        return f"figure figure--{self.get('alignment') or 'full'}"

    @property
    def sizes(self):
        """The rendered width for the browser's choice of file; keep in step with site.css."""
        if self.get("alignment") in {"left", "right"}:
            # Floated at 45% of the 40rem measure from 36rem up; full width below.
            return (
                "(min-width: 42rem) 18rem, (min-width: 36rem) calc(45vw - 0.9rem), "
                "calc(100vw - 2rem)"
            )
        return "(min-width: 42rem) 40rem, calc(100vw - 2rem)"

    @cached_property
    def picture(self):
        image = self.get("image")
        if not image:
            return None
        return responsive_image(
            image, alt=self.display_alt, caption=self.display_caption, credit=self.display_credit
        )


class CaptionedImageAPIValue(TypedDict):
    """An image in the body: alt text, caption, credit and renditions (null if deleted)."""

    alignment: str
    image: ResponsiveImage | None


class CaptionedImageBlock(blocks.StructBlock):
    image = PrefetchingImageChooserBlock()
    caption = blocks.CharBlock(required=False, help_text="Leave blank to use the image's caption.")
    credit = blocks.CharBlock(required=False, help_text="Leave blank to use the image's credit.")
    alt_text = blocks.CharBlock(
        required=False, help_text="Leave blank to use the image's alt text."
    )
    alignment = blocks.ChoiceBlock(
        choices=[("full", "Full width"), ("wide", "Wide"), ("left", "Left"), ("right", "Right")],
        default="full",
    )

    class Meta:
        icon = "image"
        template = "news/blocks/captioned_image.html"
        value_class = CaptionedImageValue
        description = "An image with its caption and credit line."

    def get_api_representation(self, value, context=None) -> CaptionedImageAPIValue:
        return {"alignment": value.get("alignment") or "full", "image": value.picture}


class OfflineEmbedBlock(EmbedBlock):
    """An embed URL that saves whether or not its provider answers right now.

    Wagtail's EmbedBlock asks the provider while validating and refuses the
    URL when it cannot be reached. This one checks only that the URL is a
    web address; the worker fetches the embed after publishing (news.embeds)
    and readers see a link card until then.
    """

    def _value(self, url):
        if not url:
            return None
        return StoredEmbedValue(
            url, getattr(self.meta, "max_width", None), getattr(self.meta, "max_height", None)
        )

    def get_default(self):
        default = super().get_default()
        return self._value(default.url) if default else None

    def to_python(self, value):
        return self._value(value)

    def value_from_form(self, value):
        return self._value(value)

    def normalize(self, value):
        if isinstance(value, EmbedValue):
            return self._value(value.url)
        return self._value(value)

    def clean(self, value):
        url = value.url if isinstance(value, EmbedValue) else (value or "")
        if url:
            problem = embed_url_problem(url)
            if problem:
                raise ValidationError(problem)
        try:
            return blocks.URLBlock.clean(self, value)
        except ValidationError:
            raise ValidationError(embed_url_problem("")) from None


class CaptionedEmbedValue(blocks.StructValue):
    """What readers see of an embed: the provider's player in a frame of its own
    shape once stored, a link card (site, title, address) until then."""

    @property
    def embed(self):
        return self.get("embed")

    @property
    def url(self):
        return self.embed.url if self.embed else ""

    @property
    def stored(self):
        embed = self.embed
        return getattr(embed, "stored", None) if embed else None

    @property
    def provider_html(self):
        embed = self.embed
        return embed.html if embed else ""

    @property
    def aspect_ratio(self):
        """ "width / height" of the provider's answer (as Wagtail's responsive embeds),
        so the frame keeps the player's shape at any width; None when either is unknown."""
        stored = self.stored
        if stored is None:
            return None
        if stored.width and stored.height and stored.width > 0 and stored.height > 0:
            return f"{stored.width} / {stored.height}"
        return None

    @property
    def html(self):
        """The player in its frame (the same in the page and the API), or "" until stored."""
        provider_html = self.provider_html
        if not provider_html:
            return ""
        ratio = self.aspect_ratio
        if ratio:
            return format_html(
                '<div class="embed-frame embed-frame--fixed-ratio" style="aspect-ratio: {}">'
                "{}</div>",
                ratio,
                mark_safe(provider_html),  # noqa: S308 - the provider's HTML is the point
            )
        return format_html('<div class="embed-frame">{}</div>', mark_safe(provider_html))  # noqa: S308

    @property
    def site_name(self):
        stored = self.stored
        return (stored.provider_name if stored else "") or site_name(self.url)

    @property
    def link_text(self):
        stored = self.stored
        return self.get("caption") or (stored.title if stored else "") or self.url

    @property
    def shows_address(self):
        """The card prints the address under its link unless the link already reads as it."""
        return self.link_text != self.url


class CaptionedEmbedAPIValue(TypedDict):
    """Media from another site: its address and the player's HTML ("" until it is fetched)."""

    url: str | None
    html: str | None
    caption: str | None


class CaptionedEmbedBlock(blocks.StructBlock):
    embed = OfflineEmbedBlock(
        label="Web address",
        help_text=(
            "A link to a video, post or map (YouTube, Vimeo, Mastodon...). It saves even if "
            "the site cannot be reached now: readers see a link until the player arrives."
        ),
    )
    caption = blocks.CharBlock(required=False)

    class Meta:
        icon = "media"
        template = "news/blocks/embed.html"
        value_class = CaptionedEmbedValue
        description = "Media from another site, embedded through oEmbed."

    def get_api_representation(self, value, context=None) -> CaptionedEmbedAPIValue:
        return {
            "url": value.url or None,
            "html": str(value.html) if value.url else None,
            "caption": value.get("caption") or None,
        }


class ListValue(blocks.StructValue):
    @property
    def tag(self):
        return "ol" if self.get("style") == "ordered" else "ul"


class ListAPIValue(TypedDict):
    """A bulleted (ordered false) or numbered (ordered true) list."""

    ordered: bool
    items: list[str]


class ListBlock(blocks.StructBlock):
    style = blocks.ChoiceBlock(
        choices=[("unordered", "Bullets"), ("ordered", "Numbered")], default="unordered"
    )
    items = blocks.ListBlock(blocks.CharBlock(max_length=500), min_num=1)

    class Meta:
        icon = "list-ul"
        template = "news/blocks/list.html"
        value_class = ListValue
        description = "A bulleted or numbered list."
        preview_value = {"style": "unordered", "items": ["Roads closed", "Schools open"]}

    def get_api_representation(self, value, context=None) -> ListAPIValue:
        return {"ordered": value.tag == "ol", "items": list(value.get("items") or [])}


class TableAPIValue(TypedDict):
    """A table: optional caption, optional header row, then the body rows."""

    caption: str | None
    header: list[str | None] | None
    rows: list[list[str | None]]


class DataTableBlock(TableBlock):
    class Meta:
        icon = "table"
        template = "news/blocks/table.html"
        description = "A table of figures with an optional caption and header row."

    def get_api_representation(self, value, context=None) -> TableAPIValue:
        value = value or {}
        rows = value.get("data") or []
        first_row_is_header = bool(value.get("first_row_is_table_header"))
        return {
            "caption": value.get("table_caption") or None,
            "header": rows[0] if first_row_is_header and rows else None,
            "rows": rows[1:] if first_row_is_header else rows,
        }


class SeparatorBlock(blocks.StaticBlock):
    """A line between two parts of a story (``<hr>``); it holds no value."""

    class Meta:
        icon = "horizontalrule"
        label = "Separator"
        admin_text = "A line between two parts of the story."
        template = "news/blocks/separator.html"
        description = "A line between two parts of the story."

    def get_api_representation(self, value, context=None) -> None:
        return None


class FactBoxAPIValue(TypedDict):
    """A box of background facts: a title and rich text as HTML."""

    title: str
    body: str


class FactBoxBlock(blocks.StructBlock):
    title = blocks.CharBlock(max_length=120, default="Key facts")
    body = ParagraphBlock()

    class Meta:
        icon = "info-circle"
        template = "news/blocks/fact_box.html"
        description = "A box of background facts beside the story."

    def get_api_representation(self, value, context=None) -> FactBoxAPIValue:
        return {
            "title": value.get("title"),
            "body": self.child_blocks["body"].get_api_representation(value.get("body"), context),
        }


class RelatedArticleValue(blocks.StructValue):
    @property
    def article(self):
        return self.get("article")

    @property
    def link_text(self):
        return self.get("label") or (self.article.title if self.article else "")

    @property
    def is_available(self):
        # A related article that was unpublished since, has expired or is not
        # due yet is simply not shown (view restrictions: see is_public).
        from cms.visibility import is_on_schedule

        return is_on_schedule(self.article)


class RelatedArticleAPIValue(TypedDict):
    """A link to another article; the block is null when that article is not public."""

    id: int
    title: str
    url: str | None


class RelatedArticleBlock(blocks.StructBlock):
    article = blocks.PageChooserBlock(page_type="news.ArticlePage")
    label = blocks.CharBlock(required=False, help_text="Leave blank to use the headline.")

    class Meta:
        icon = "doc-full"
        template = "news/blocks/related_article.html"
        value_class = RelatedArticleValue
        description = "A link to another article on this site."

    @staticmethod
    def is_public(value, context):
        """Drafts, expired, not yet due and restricted articles never leak through a link."""
        from cms.api.visibility import is_public_page

        request = (context or {}).get("request")
        return value.is_available and is_public_page(value.article, request)

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["is_public"] = self.is_public(value, parent_context)
        return context

    def get_api_representation(self, value, context=None) -> RelatedArticleAPIValue | None:
        if not self.is_public(value, context):
            return None
        article = value.article
        return {"id": article.pk, "title": value.link_text, "url": article.url}


# Live updates -----------------------------------------------------------------------

LIVE_UPDATE_TIME_REQUIRED = (
    "Give this update the date and time it happened: updates are shown newest first by it."
)


class LiveUpdateEntryBlock(blocks.StructBlock):
    time = blocks.DateTimeBlock(
        required=False,  # checked in clean(), with a message that says what to do
        help_text="When it happened (newsroom time). Updates are shown newest first.",
    )
    headline = blocks.CharBlock(required=False, max_length=200)
    body = ParagraphBlock()
    author = blocks.CharBlock(
        required=False, max_length=120, help_text="Who reported it, if not the byline."
    )

    class Meta:
        icon = "time"
        label = "Update"

    def clean(self, value):
        if not value.get("time"):
            raise blocks.StructBlockValidationError(
                block_errors={"time": ValidationError(LIVE_UPDATE_TIME_REQUIRED)}
            )
        return super().clean(value)


@dataclass(frozen=True)
class LiveUpdate:
    """One entry as readers see it: an anchor of its own and a time in the newsroom's zone."""

    anchor: str
    time: datetime.datetime
    time_label: str
    headline: str
    body: object  # RichText
    author: str

    @property
    def iso_time(self):
        return self.time.isoformat()


def _newsroom_time(moment):
    if moment is None:
        return None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return timezone.localtime(moment)


class LiveUpdatesValue(blocks.StructValue):
    """(Property names differ from the child block names: templates look up dict keys
    before attributes.)"""

    @cached_property
    def updates(self):
        """Newest first, whatever order they were typed in; same-time entries keep theirs.

        (An entry without a time cannot be saved; one in imported data is left out.)
        """
        dated = [
            (moment, position, entry)
            for position, entry in enumerate(self.get("entries") or [])
            if (moment := _newsroom_time(entry.get("time"))) is not None
        ]
        dated.sort(key=lambda item: (item[0], -item[1]), reverse=True)
        one_day = len({moment.date() for moment, _, _ in dated}) <= 1
        updates, anchors = [], set()
        for moment, _position, entry in dated:
            anchor = f"update-{moment:%Y%m%d-%H%M}"
            suffix = 2
            while anchor in anchors:
                anchor = f"update-{moment:%Y%m%d-%H%M}-{suffix}"
                suffix += 1
            anchors.add(anchor)
            updates.append(
                LiveUpdate(
                    anchor=anchor,
                    time=moment,
                    time_label=f"{moment:%H:%M}" if one_day else f"{moment:%-d %b, %H:%M}",
                    headline=entry.get("headline") or "",
                    body=entry.get("body"),
                    author=entry.get("author") or "",
                )
            )
        return updates

    @property
    def latest_time(self):
        updates = self.updates
        return updates[0].time if updates else None

    @property
    def latest_iso_time(self):
        latest = self.latest_time
        return latest.isoformat() if latest else ""

    @property
    def is_live(self):
        return bool(self.get("is_live"))

    @property
    def status_label(self):
        return "Live" if self.is_live else "Updates ended"

    @property
    def last_updated_label(self):
        latest = self.latest_time
        return f"Last updated {latest:%H:%M}" if latest else ""

    @property
    def heading(self):
        return self.get("title") or "Live updates"


class LiveUpdateAPIValue(TypedDict):
    """One update: its anchor id in the page, ISO 8601 time, optional headline, HTML body."""

    id: str
    time: str
    headline: str | None
    body: str
    author: str | None


class LiveUpdatesAPIValue(TypedDict):
    """Timestamped updates on a developing story, newest first."""

    title: str
    is_live: bool
    updated_at: str | None
    entries: list[LiveUpdateAPIValue]


class LiveUpdatesBlock(blocks.StructBlock):
    title = blocks.CharBlock(required=False, max_length=120, default="Live updates")
    is_live = blocks.BooleanBlock(
        required=False,
        default=True,
        label="Still developing",
        help_text="Untick when the story is over: the page stops saying Live.",
    )
    entries = blocks.ListBlock(LiveUpdateEntryBlock(), min_num=1, label="Updates")

    class Meta:
        icon = "time"
        template = "news/blocks/live_updates.html"
        value_class = LiveUpdatesValue
        label = "Live updates"
        description = "Timestamped updates on a developing story, shown newest first."

    def get_api_representation(self, value, context=None) -> LiveUpdatesAPIValue:
        body_block = self.child_blocks["entries"].child_block.child_blocks["body"]
        latest = value.latest_time
        return {
            "title": value.heading,
            "is_live": value.is_live,
            "updated_at": latest.isoformat() if latest else None,
            "entries": [
                {
                    "id": entry.anchor,
                    "time": entry.iso_time,
                    "headline": entry.headline or None,
                    "body": body_block.get_api_representation(entry.body, context),
                    "author": entry.author or None,
                }
                for entry in value.updates
            ],
        }


def latest_live_update(raw_body, stream_block):
    """The newest live update's time in a body's stored JSON (no conversion of other blocks)."""
    block = stream_block.child_blocks.get("live_updates")
    if block is None:
        return None
    times = [
        block.to_python(child.get("value") or {}).latest_time
        for child in raw_body
        if isinstance(child, dict) and child.get("type") == "live_updates"
    ]
    times = [moment for moment in times if moment is not None]
    return max(times) if times else None


CORE_BODY_BLOCKS = [
    ("paragraph", ParagraphBlock()),
    ("heading", HeadingBlock()),
    ("quotation", QuotationBlock()),
    ("pull_quote", PullQuoteBlock()),
    ("image", CaptionedImageBlock()),
    ("embed", CaptionedEmbedBlock()),
    ("list", ListBlock()),
    ("table", DataTableBlock()),
    ("separator", SeparatorBlock()),
    ("fact_box", FactBoxBlock()),
    ("related_article", RelatedArticleBlock()),
    ("live_updates", LiveUpdatesBlock()),
]


def plain_text(stream_value):
    """The words of a body, for reading time and excerpts."""
    return " ".join(
        strip_tags(str(chunk))
        for chunk in stream_value.stream_block.get_searchable_content(stream_value)
    )
