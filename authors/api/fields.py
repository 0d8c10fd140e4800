"""The Author snippet's API fields, shared by the authors endpoints and article bylines.

An author appears in the API in two places: ``/api/v*/authors/`` and embedded
in each article's ``authors``. Both are built from the field definitions below
(``author_summary`` is the embedded form), so they never disagree. The
author's private ``email`` is in neither.
"""

from django.db.models import Count, Prefetch, prefetch_related_objects
from typing_extensions import TypedDict
from wagtail.rich_text import expand_db_html

from cms.api.fields import APIFieldSpec, ComputedField
from cms.api.streams import block_api_schema
from cms.public_address import public_url
from news.models.images import ResponsiveImage, responsive_image

from ..blocks import ProfileLinkBlock

ProfileLinkAPIValue = block_api_schema(ProfileLinkBlock())


class AuthorAPIValue(TypedDict):
    """An author as an article's byline shows them."""

    id: int
    name: str
    slug: str
    role: str
    short_bio: str
    bio: str
    portrait: ResponsiveImage | None
    links: list[ProfileLinkAPIValue]
    url: str
    html_url: str


def author_bio(author) -> str:
    """The long biography as finished HTML (links resolved)."""
    if "_api_bio" not in author.__dict__:
        author.__dict__["_api_bio"] = expand_db_html(author.long_bio or "")
    return author.__dict__["_api_bio"]


def prefetch_bios(authors):
    """Resolve the links of every biography with one query per link type."""
    from cms.api.richtext import links_loaded

    with links_loaded(authors):
        for author in authors:
            author_bio(author)


def author_portrait(author) -> ResponsiveImage | None:
    return responsive_image(author.portrait) if author.portrait_id else None


def author_links(author) -> list:
    return [link.block.get_api_representation(link.value) for link in author.profile_links]


def author_url(author) -> str:
    return author.get_absolute_url()


def author_html_url(author) -> str:
    return public_url(author.get_absolute_url())


def author_article_count(author) -> int:
    if not hasattr(author, "public_article_count"):
        prefetch_article_counts([author])
    return author.public_article_count


def prefetch_portraits(authors):
    from news.models import NewsImage

    images = NewsImage.objects.prefetch_renditions()
    prefetch_related_objects(authors, Prefetch("portrait", queryset=images))


def prefetch_article_counts(authors):
    """Count each author's public articles with one query for all of them."""
    from cms.api.visibility import public_pages
    from news.models import ArticleAuthor, ArticlePage

    counts = dict(
        ArticleAuthor.objects.filter(
            author__in=[author.pk for author in authors],
            page__in=public_pages(model=ArticlePage).values("pk"),
        )
        .values("author")
        .annotate(articles=Count("page", distinct=True))
        .values_list("author", "articles")
    )
    for author in authors:
        author.public_article_count = counts.get(author.pk, 0)


_SUMMARY_FIELDS = [
    ComputedField(
        "bio", author_bio, str, prefetch=prefetch_bios, description="The long biography as HTML."
    ),
    ComputedField("portrait", author_portrait, ResponsiveImage | None, prefetch=prefetch_portraits),
    ComputedField("links", author_links, list[ProfileLinkAPIValue]),
    ComputedField("url", author_url, str, description="The author's page on the site."),
    ComputedField("html_url", author_html_url, str),
]

AUTHOR_API_FIELDS = [
    APIFieldSpec("name"),
    APIFieldSpec("slug"),
    APIFieldSpec("role"),
    APIFieldSpec("short_bio"),
    *_SUMMARY_FIELDS,
    ComputedField(
        "article_count",
        author_article_count,
        int,
        prefetch=prefetch_article_counts,
        description="How many public articles carry this author's byline.",
    ),
]


def author_api_fields(model):
    return AUTHOR_API_FIELDS


def author_summary(author) -> AuthorAPIValue:
    """An author as embedded in an article: the same fields the authors endpoint gives."""
    summary = {
        "id": author.pk,
        "name": author.name,
        "slug": author.slug,
        "role": author.role,
        "short_bio": author.short_bio,
    }
    summary.update((field.name, field.resolve(author)) for field in _SUMMARY_FIELDS)
    return summary
