"""The project's image model: alt text, a default caption and a credit line."""

import functools

from django.db import models
from typing_extensions import TypedDict
from wagtail.images.models import AbstractImage, AbstractRendition, Filter, Image

from cms.api.fields import ModelAPIFields


class NewsImage(AbstractImage):
    # Wagtail's `description` field is the image's alt text: relabelled here
    # (no change in the database) so editors know what it is for.
    description = models.CharField(
        "Alt text (describe the image for people who cannot see it)",
        blank=True,
        max_length=255,
        default="",
        help_text="What the image shows, in a sentence, for screen readers and when the "
        'image does not load, e.g. "The ferry leaving the harbour at dusk". Not the caption.',
    )
    default_caption = models.CharField(
        "caption",
        max_length=500,
        blank=True,
        help_text="Shown under the image unless an article gives its own.",
    )
    credit = models.CharField(
        max_length=255, blank=True, help_text='Shown as "Image: <credit>", e.g. "Jane Roe/Byline".'
    )

    admin_form_fields = Image.admin_form_fields + ("default_caption", "credit")

    # Alt text, caption, credit and renditions; see news/api/images.py.
    api_fields = ModelAPIFields("news.api.images.image_api_fields")

    @property
    def alt_text(self):
        return self.default_alt_text

    @property
    def credit_line(self):
        return f"Image: {self.credit}" if self.credit else ""


class NewsRendition(AbstractRendition):
    image = models.ForeignKey(NewsImage, on_delete=models.CASCADE, related_name="renditions")

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)


# Widths offered to browsers in srcset, and to API clients as renditions. One
# list serves both so the site and headless frontends get the same files.
RESPONSIVE_WIDTHS = (480, 800, 1200)
IMAGE_FORMATS = ("webp", "jpeg")


def rendition_specs():
    """Filter specs of every responsive rendition, as `{format: [(width, spec)]}`."""
    return {
        fmt: [(width, f"width-{width}|format-{fmt}") for width in RESPONSIVE_WIDTHS]
        for fmt in IMAGE_FORMATS
    }


def responsive_specs():
    """Every filter spec `responsive_image` asks for, flat."""
    return [spec for pairs in rendition_specs().values() for _, spec in pairs]


def responsive_renditions():
    """A queryset of the renditions `responsive_image` shows, to prefetch for a listing's
    images: not their social-card crops and other sizes, which a card never shows."""
    return NewsRendition.objects.filter(filter_spec__in=responsive_specs())


@functools.cache
def prepared_filters(*specs):
    """Wagtail's Filters for `specs`, made once per process. ``get_renditions`` given a spec
    string makes a Filter for every image, which parses its operations again (about 0.1 ms
    a spec, a dozen specs a card); a Filter keeps its parsed operations."""
    return tuple(Filter(spec=spec) for spec in specs)


def _responsive_sources(image):
    from ..rendition_batches import ensure_renditions

    ensure_renditions(image)  # with the other images of an API answer, in one query
    specs = rendition_specs()
    renditions = image.get_renditions(*prepared_filters(*responsive_specs()))
    sources = {}
    for fmt, pairs in specs.items():
        seen = set()
        sources[fmt] = []
        for _, spec in pairs:
            rendition = renditions[spec]
            # Images narrower than a requested width come back at their own
            # width; list each real size once.
            if rendition.width in seen:
                continue
            seen.add(rendition.width)
            sources[fmt].append(rendition)
    return sources


class RenditionAPIValue(TypedDict):
    """One rendition file of an image."""

    url: str
    width: int
    height: int


class ImageRenditions(TypedDict):
    """Renditions of an image by format, narrowest first."""

    webp: list[RenditionAPIValue]
    jpeg: list[RenditionAPIValue]


class ResponsiveImage(TypedDict):
    """An image as templates and API clients get it.

    ``src``, ``width`` and ``height`` are the largest JPEG rendition's; URLs
    are as the media storage gives them (site-relative with local media).
    """

    id: int
    alt: str
    caption: str
    credit: str
    width: int
    height: int
    src: str
    renditions: ImageRenditions


def responsive_image(image, *, alt=None, caption=None, credit=None) -> ResponsiveImage:
    """Everything a template or API client needs to show one image.

    Used by the picture component and by every API representation of an
    image, so HTML and JSON never disagree.
    """
    sources = _responsive_sources(image)
    largest = sources["jpeg"][-1]
    return {
        "id": image.pk,
        "alt": image.default_alt_text if alt is None else alt,
        "caption": image.default_caption if caption is None else caption,
        "credit": image.credit if credit is None else credit,
        "width": largest.width,
        "height": largest.height,
        "src": largest.url,
        "renditions": {
            fmt: [{"url": r.url, "width": r.width, "height": r.height} for r in renditions]
            for fmt, renditions in sources.items()
        },
    }
