"""The article editor: its tabs, in the order a newsroom works through a story.

Each tab's panels are a named list here, so that features adding fields to
articles put their panels in the right tab (`SETTINGS_PANELS` for flags,
`CORRECTIONS_AND_RELATED_PANELS` for the corrections log and related links).
The edit handler is bound to the model lazily, on the first edit form, so
panels may name fields a later edit of the model adds.
"""

from urllib.parse import urlsplit

from django.conf import settings
from wagtail.admin.panels import (
    FieldPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    Panel,
    TabbedInterface,
    TitleFieldPanel,
)
from wagtail.models import Page

from cms.public_address import base_url, public_page_url

from .article_form import STANDFIRST_MAX_LENGTH, ArticleAdminForm
from .reading import WORDS_PER_MINUTE


class SearchAndSocialPreviewPanel(Panel):
    """How the article will look as a search result and as a shared link.

    Rendered with what is saved; news/static/news/admin/article-editor.js
    keeps it in step with the headline, standfirst, slug and SEO fields as the
    editor types, with the same fallbacks as the page's metadata (`news.seo`).
    """

    class BoundPanel(Panel.BoundPanel):
        template_name = "news/admin/search_and_social_preview.html"

        class Media:
            # Also drives the word count on the body panel (Content tab): the
            # editor loads every panel's media, whichever tab is open.
            js = ["news/admin/article-editor.js"]
            css = {"all": ["news/admin/article-editor.css"]}

        def get_context_data(self, parent_context=None):
            from .seo import DESCRIPTION_LENGTH, clip

            context = super().get_context_data(parent_context)
            page = self.instance
            parent = getattr(self.form, "parent_page", None)
            if parent is None and page.pk:
                parent = page.get_parent()
            parent_url = (public_page_url(parent) if parent is not None else None) or (
                base_url() + "/"
            )
            image = page.social_image or page.lead_image
            context.update(
                parent_url=parent_url,
                address=parent_url + (f"{page.slug}/" if page.slug else ""),
                domain=urlsplit(base_url()).hostname or "",
                site_name=settings.WAGTAIL_SITE_NAME,
                title=page.seo_title or page.title,
                description=clip(page.search_description or page.standfirst),
                description_length=DESCRIPTION_LENGTH,
                image=image,
            )
            return context


CONTENT_PANELS = [
    TitleFieldPanel(
        "title",
        heading="Headline",
        help_text="The headline readers see on the article and in listings.",
    ),
    FieldPanel(
        "standfirst",
        heading="Standfirst",
        help_text="One or two sentences under the headline that sum up the story, "
        f"at most {STANDFIRST_MAX_LENGTH} characters.",
    ),
    FieldPanel(
        "body",
        heading="Story",
        help_text="The article itself: paragraphs, headings, quotations, images and embeds.",
        # The live word count and reading time (article-editor.js) show here.
        attrs={"data-byline-word-count": "", "data-words-per-minute": str(WORDS_PER_MINUTE)},
    ),
    FieldPanel(
        "tags",
        heading="Tags",
        help_text="Topics this story is about. Related articles and tag pages use them.",
    ),
]

AUTHORS_AND_MEDIA_PANELS = [
    InlinePanel(
        "article_authors",
        label="Author",
        heading="Byline",
        help_text="Who wrote the story, in the order the byline names them. "
        "Publishing needs at least one author.",
    ),
    MultiFieldPanel(
        [
            FieldPanel("lead_image", heading="Image"),
            FieldPanel(
                "lead_image_alt",
                heading="Alt text",
                help_text="What the image shows, for readers who cannot see it. "
                "Leave blank to use the image's own alt text.",
            ),
            FieldPanel("lead_image_caption", heading="Caption"),
            FieldPanel("lead_image_credit", heading="Credit"),
        ],
        heading="Lead image",
        help_text="The picture at the top of the article and on its listing card.",
    ),
]

SEO_AND_SOCIAL_PANELS = [
    SearchAndSocialPreviewPanel(heading="Preview"),
    MultiFieldPanel(
        [
            FieldPanel(
                "slug",
                heading="Web address (slug)",
                help_text="The last part of the article's address: lowercase words "
                "joined by hyphens.",
            ),
            FieldPanel(
                "seo_title",
                heading="Search and social title",
                help_text="Shown as the link in search results and on social cards. "
                "Leave blank to use the headline.",
            ),
            FieldPanel(
                "search_description",
                heading="Search and social description",
                help_text="One or two sentences under the link in search results and "
                "on social cards. Leave blank to use the standfirst.",
            ),
        ],
        heading="For search engines",
    ),
    MultiFieldPanel(
        [FieldPanel("social_image", heading="Social image")],
        heading="For social media",
    ),
    MultiFieldPanel(
        [FieldPanel("canonical_url", heading="Original address (canonical URL)")],
        heading="Syndication",
    ),
]

SETTINGS_PANELS = [
    MultiFieldPanel(
        [FieldPanel("publication_date", heading="Publication date")],
        heading="Publication",
    ),
    MultiFieldPanel([FieldPanel("breaking", heading="Breaking news")], heading="Front page"),
    # Wagtail's own settings: go-live and expiry times (scheduling), then the
    # editors' comments panel that review workflows use.
    *Page.settings_panels,
]

CORRECTIONS_AND_RELATED_PANELS = [
    InlinePanel(
        "corrections",
        label="Correction or update",
        heading="Corrections and updates",
        help_text="Dated notes shown at the top of the article, newest first: a correction "
        "when the article got something wrong, an update when the story moved on.",
    ),
    InlinePanel(
        "related_links",
        label="Related article",
        heading="Related articles",
        help_text="Articles to show first under the story, in this order; articles "
        "sharing its tags and section fill the rest.",
    ),
]


def article_edit_handler():
    """The article editor's tabs: Content, Authors & media, SEO & social, Settings,
    then Corrections & related once panels are there."""
    tabs = [
        ObjectList(CONTENT_PANELS, heading="Content"),
        ObjectList(AUTHORS_AND_MEDIA_PANELS, heading="Authors & media"),
        ObjectList(SEO_AND_SOCIAL_PANELS, heading="SEO & social"),
        ObjectList(SETTINGS_PANELS, heading="Settings"),
    ]
    if CORRECTIONS_AND_RELATED_PANELS:
        tabs.append(ObjectList(CORRECTIONS_AND_RELATED_PANELS, heading="Corrections & related"))
    return TabbedInterface(tabs, base_form_class=ArticleAdminForm)
