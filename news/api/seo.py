"""What the HTML head tells search engines, as API values for headless frontends.

A frontend that renders an article or a section needs the same ``<title>``,
meta description, canonical URL, OpenGraph and Twitter tags and JSON-LD as
the server-rendered page. They come from the very builder the HTML head uses
(``news.seo.metadata_for_page``), so the API cannot drift from the site.

API values do not depend on the request (both API versions and every listing
give the same answer), so the metadata is built without one: absolute URLs
start with the public address (``cms.public_address``), as the HTML head's do.
"""

from datetime import datetime
from typing import Annotated, Any

from django.db.models import Prefetch, prefetch_related_objects
from pydantic import Field
from typing_extensions import TypedDict

from ..models.images import RenditionAPIValue
from ..seo import HeadMetadata, metadata_for_page


class SocialImageAPIValue(TypedDict):
    """The link-preview image (og:image): the editor's social image, else an
    article's lead image, else the site logo.

    ``url``, ``width`` and ``height`` are the 16:9 rendition the OpenGraph
    tags name; ``renditions`` the 16:9, 4:3 and 1:1 JPEGs JSON-LD lists (empty
    for the logo, a static file).
    """

    url: str
    width: int
    height: int
    alt: str
    renditions: list[RenditionAPIValue]


class MetaPropertyAPIValue(TypedDict):
    """``<meta property="…" content="…">`` (OpenGraph)."""

    property: str
    content: str


class MetaNameAPIValue(TypedDict):
    """``<meta name="…" content="…">`` (Twitter card)."""

    name: str
    content: str


class SEOAPIValue(TypedDict):
    """The page's head metadata, exactly as the server-rendered page writes it."""

    title: Annotated[str, Field(description="The <title>: the title tag, then the site's name.")]
    social_title: Annotated[str, Field(description="og:title and twitter:title.")]
    description: Annotated[str, Field(description="The meta description.")]
    canonical_url: Annotated[
        str,
        Field(
            description="<link rel=canonical>: the page's address, or a syndicated "
            "article's original."
        ),
    ]
    robots: Annotated[str, Field(description="<meta name=robots>, empty when there is none.")]
    social_image: SocialImageAPIValue | None
    open_graph: Annotated[
        list[MetaPropertyAPIValue], Field(description="The OpenGraph <meta> tags, in order.")
    ]
    twitter: Annotated[
        list[MetaNameAPIValue], Field(description="The Twitter card <meta> tags, in order.")
    ]
    structured_data: Annotated[
        list[dict[str, Any]],
        Field(description="JSON-LD objects (news/structured_data.py), one <script> each."),
    ]


def head_metadata(page) -> HeadMetadata:
    """``news.seo``'s metadata for ``page``, built once per instance (seo and last_modified)."""
    if "_api_head" not in page.__dict__:
        page.__dict__["_api_head"] = metadata_for_page(page, None)
    return page.__dict__["_api_head"]


def seo_value(page) -> SEOAPIValue:
    head = head_metadata(page)
    image = head.image
    return {
        "title": head.title,
        "social_title": head.social_title,
        "description": head.description,
        "canonical_url": head.canonical_url,
        "robots": head.robots,
        "social_image": None
        if image is None
        else {
            "url": image.url,
            "width": image.width,
            "height": image.height,
            "alt": image.alt,
            "renditions": [
                {"url": url, "width": width, "height": height}
                for url, width, height in image.renditions
            ],
        },
        "open_graph": [
            {"property": name, "content": content} for name, content in head.og_properties()
        ],
        "twitter": [
            {"name": name, "content": content} for name, content in head.twitter_properties()
        ],
        "structured_data": head.structured_data,
    }


def to_the_second(value: datetime | None) -> datetime | None:
    """As the HTML head, feeds and sitemaps write times, and alike in both API
    versions (DRF writes microseconds, django-ninja milliseconds)."""
    return value.replace(microsecond=0) if value is not None else None


def prefetch_social_images(pages):
    """Every page's chosen social image with its renditions, in two queries."""
    from ..models import NewsImage

    images = NewsImage.objects.prefetch_renditions()
    prefetch_related_objects(pages, Prefetch("social_image", queryset=images))
