"""Fields shared by page types: what search engines and social networks see."""

from django.db import models
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList, TabbedInterface
from wagtail.images import get_image_model_string
from wagtail.models import Page


class SocialImageMixin(models.Model):
    """An image for link previews, chosen in the SEO tab.

    Wagtail's Page already has `seo_title` and `search_description`. The
    fallbacks (an article's lead image, then the site logo) live in
    `news.seo`, so editors only fill this in to override them.
    """

    social_image = models.ForeignKey(
        get_image_model_string(),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Shown when the page is shared on social media. Leave blank to use "
        "an article's lead image, or the site logo on other pages.",
    )

    # Wagtail's own "For search engines" group (slug, title tag, meta
    # description), then the social media group.
    promote_panels = Page.promote_panels[:1] + [
        MultiFieldPanel([FieldPanel("social_image")], heading="For social media"),
    ]

    class Meta:
        abstract = True


def seo_edit_handler(content_panels, promote_panels):
    """Content, SEO and Settings tabs: Wagtail's Promote tab, named for what it holds."""
    return TabbedInterface(
        [
            ObjectList(content_panels, heading="Content"),
            ObjectList(promote_panels, heading="SEO"),
            ObjectList(Page.settings_panels, heading="Settings"),
        ]
    )
