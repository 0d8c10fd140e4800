"""The article body's blocks.

Each block owns both of its outputs: HTML from its template and JSON from
`get_api_representation`. Display decisions (which tag, which caption, which
CSS class) live in StructValue methods so templates only print values.
"""

from django.utils.functional import cached_property
from django.utils.html import strip_tags
from typing_extensions import TypedDict
from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock
from wagtail.rich_text import RichText

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
        objects = self.model_class.objects.prefetch_renditions().in_bulk(ids)
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
    source_url = blocks.URLBlock(required=False)

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
        if self.get("alignment") in {"left", "right"}:
            return "(min-width: 60em) 22rem, 100vw"
        return "(min-width: 60em) 48rem, 100vw"

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


class CaptionedEmbedValue(blocks.StructValue):
    @property
    def url(self):
        embed = self.get("embed")
        return embed.url if embed else ""

    @property
    def html(self):
        """The provider's HTML, or "" when it cannot be fetched (the template links instead)."""
        embed = self.get("embed")
        return embed.html if embed else ""


class CaptionedEmbedAPIValue(TypedDict):
    """Media from another site: its address and the provider's HTML."""

    url: str | None
    html: str | None
    caption: str | None


class CaptionedEmbedBlock(blocks.StructBlock):
    embed = EmbedBlock(help_text="A link to a video, post or map (YouTube, Vimeo, Mastodon...).")
    caption = blocks.CharBlock(required=False)

    class Meta:
        icon = "media"
        template = "news/blocks/embed.html"
        value_class = CaptionedEmbedValue
        description = "Media from another site, embedded through oEmbed."

    def get_api_representation(self, value, context=None) -> CaptionedEmbedAPIValue:
        return {
            "url": value.url or None,
            "html": value.html if value.url else None,
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


CORE_BODY_BLOCKS = [
    ("paragraph", ParagraphBlock()),
    ("heading", HeadingBlock()),
    ("quotation", QuotationBlock()),
    ("pull_quote", PullQuoteBlock()),
    ("image", CaptionedImageBlock()),
    ("embed", CaptionedEmbedBlock()),
    ("list", ListBlock()),
    ("table", DataTableBlock()),
    ("fact_box", FactBoxBlock()),
    ("related_article", RelatedArticleBlock()),
]


def plain_text(stream_value):
    """The words of a body, for reading time and excerpts."""
    return " ".join(
        strip_tags(str(chunk))
        for chunk in stream_value.stream_block.get_searchable_content(stream_value)
    )
