"""ArticlePage's API fields, one definition each for API v2 and v3.

``article_api_fields(model)`` is what ``ArticlePage.api_fields`` holds: the
core fields below, then whatever enabled plugins add through
``cms.plugins.api_fields.plugin_api_fields``. ``section_api_fields(model)`` is
``NewsIndexPage.api_fields``.
"""

import logging
from datetime import datetime
from typing import Literal

from django.db.models import Prefetch, prefetch_related_objects
from typing_extensions import TypedDict

from authors.api.fields import AuthorAPIValue, author_summary, prefetch_bios
from cms.api.fields import APIFieldSpec, ComputedField
from cms.visibility import is_on_schedule

from ..models.images import ResponsiveImage
from ..models.related import RELATED_COUNT
from ..rendition_batches import batch_for
from ..seo import article_modified_time
from .bodies import prefetch_bodies
from .seo import SEOAPIValue, prefetch_social_images, seo_value, to_the_second
from .tags import tag_html_url

logger = logging.getLogger("byline.api")


class SectionAPIValue(TypedDict):
    """The section (NewsIndexPage) an article belongs to."""

    id: int
    title: str
    slug: str
    url: str | None
    html_url: str | None


class TagAPIValue(TypedDict):
    """A tag: its name, slug (for ?tag= filters) and the site's tag page."""

    name: str
    slug: str
    html_url: str


class CorrectionAPIValue(TypedDict):
    """One note of an article's corrections log, newest first."""

    kind: Literal["correction", "update"]
    label: str
    noted_at: datetime
    note: str


class RelatedArticleLinkAPIValue(TypedDict):
    """An article to read next: an editor's pick, or one sharing tags or the section."""

    id: int
    title: str
    url: str | None
    html_url: str | None
    publication_date: datetime
    breaking: bool


# Resolvers -------------------------------------------------------------------


def article_url(article):
    return article.url


def section_value(section) -> SectionAPIValue:
    """A section as articles and the site navigation (``home.api.site``) name it."""
    return {
        "id": section.pk,
        "title": section.title,
        "slug": section.slug,
        "url": section.url,
        "html_url": section.full_url,
    }


def article_section(article) -> SectionAPIValue | None:
    section = article.section
    # The article is public, so no view restriction covers its section; a
    # section that is unpublished, expired or not yet due is still kept out of sight.
    if not is_on_schedule(section):
        return None
    return section_value(section)


def article_authors(article) -> list[AuthorAPIValue]:
    return [author_summary(author) for author in article.authors]


def article_lead_image(article) -> ResponsiveImage | None:
    return article.lead_picture


def article_tags(article) -> list[TagAPIValue]:
    # .all() reads the listing's prefetched tags; sorting here keeps that.
    tags = sorted(article.tags.all(), key=lambda tag: tag.name.lower())
    return [{"name": tag.name, "slug": tag.slug, "html_url": tag_html_url(tag)} for tag in tags]


def article_reading_time(article) -> int:
    return article.reading_time


def article_corrections(article) -> list[CorrectionAPIValue]:
    return [
        {
            "kind": note.kind,
            "label": note.label,
            "noted_at": to_the_second(note.noted_at),
            "note": note.note,
        }
        for note in article.correction_notes
    ]


def article_related(article) -> list[RelatedArticleLinkAPIValue]:
    return [
        {
            "id": related.pk,
            "title": related.title,
            "url": related.url,
            "html_url": related.full_url,
            "publication_date": to_the_second(related.publication_date),
            "breaking": related.breaking,
        }
        for related in article.related_articles
    ]


def last_published_at(page) -> datetime | None:
    return to_the_second(page.last_published_at)


def article_last_modified(article) -> datetime:
    # The head's article:modified_time and JSON-LD dateModified.
    return to_the_second(article_modified_time(article))


def section_last_modified(section) -> datetime | None:
    if not hasattr(section, "_api_latest_article"):
        prefetch_latest_articles([section])
    dates = [d for d in (section.last_published_at, section._api_latest_article) if d]
    return to_the_second(max(dates, default=None))


# Listing prefetches ----------------------------------------------------------


def prefetch_sections(articles):
    from ..models.pages import attach_sections

    for article in attach_sections(articles):
        if article.section is not None:
            # The section is the article's parent: fill treebeard's own
            # get_parent() cache so Wagtail's meta.parent costs no query.
            article._cached_parent_obj = article.section


def prefetch_bylines(articles):
    from ..models.pages import ArticleAuthor

    bylines = ArticleAuthor.objects.select_related("author__portrait").order_by("sort_order")
    prefetch_related_objects(articles, Prefetch("article_authors", queryset=bylines))
    # Every instance: an author in several bylines is several objects.
    authors = [author for article in articles for author in article.authors]
    prefetch_bios(authors)
    # Their renditions come with the answer's other images (news.rendition_batches).
    batch_for(articles).add(author.portrait for author in authors)


def prefetch_lead_images(articles):
    from ..models.images import NewsImage

    prefetch_related_objects(articles, Prefetch("lead_image", queryset=NewsImage.objects.all()))
    batch_for(articles).add(article.lead_image for article in articles)


def prefetch_tags(articles):
    # Read by the tags field and by ArticlePage.tag_list (the head's article:tag).
    prefetch_related_objects(articles, "tags")


def prefetch_corrections(articles):
    prefetch_related_objects(articles, "corrections")


def prefetch_related_articles(articles):
    """Every article's related articles in one query (``news.models.related``)."""
    from ..models.related import related_articles

    prefetch_tags(articles)  # the ranking reads each article's tags
    for article, related in zip(articles, related_articles(articles), strict=True):
        article.__dict__["related_articles"] = related


def prefetch_latest_articles(sections):
    """When each section's newest visible article was last published: one query.

    A section's listing changes whenever one of its articles does, so its
    last_modified is the sitemap's lastmod (news.sitemaps).
    """
    from ..sitemaps import latest_article_dates

    dates = latest_article_dates([section.path for section in sections])
    for section in sections:
        section._api_latest_article = dates.get(section.path)


# The fields ------------------------------------------------------------------

ARTICLE_API_FIELDS = [
    APIFieldSpec("standfirst", writable=True),
    APIFieldSpec("publication_date", writable=True),
    ComputedField(
        "url",
        article_url,
        str | None,
        description="The article's path on the site, e.g. /world/bridge-reopens/.",
    ),
    ComputedField("section", article_section, SectionAPIValue | None, prefetch=prefetch_sections),
    ComputedField("authors", article_authors, list[AuthorAPIValue], prefetch=prefetch_bylines),
    ComputedField(
        "lead_image", article_lead_image, ResponsiveImage | None, prefetch=prefetch_lead_images
    ),
    APIFieldSpec("body", writable=True, prefetch=prefetch_bodies),
    ComputedField("tags", article_tags, list[TagAPIValue], prefetch=prefetch_tags),
    ComputedField("reading_time", article_reading_time, int, prefetch=prefetch_bodies),
    APIFieldSpec("breaking", writable=True),
    ComputedField(
        "corrections",
        article_corrections,
        list[CorrectionAPIValue],
        prefetch=prefetch_corrections,
        description="The article's corrections and updates, newest first (its JSON-LD "
        "`correction`); the newest one dates `last_modified`.",
    ),
    ComputedField(
        "related",
        article_related,
        list[RelatedArticleLinkAPIValue],
        prefetch=prefetch_related_articles,
        description=f"Up to {RELATED_COUNT} articles to read next: the editors' picks first, "
        "then those sharing the most tags, the same section, the newest.",
    ),
    ComputedField(
        "last_published_at",
        last_published_at,
        datetime | None,
        description="When an editor last published a change, to the second.",
    ),
    ComputedField(
        "last_modified",
        article_last_modified,
        datetime,
        prefetch=prefetch_corrections,
        description="The latest of the publication date, the last published change and the "
        "newest correction or update, to the second: the page's article:modified_time, "
        "JSON-LD dateModified and feed <updated>.",
    ),
    ComputedField(
        "seo",
        seo_value,
        SEOAPIValue,
        # What the head shows: section, byline, tags, lead and social images.
        prefetch=(
            prefetch_sections,
            prefetch_bylines,
            prefetch_tags,
            prefetch_lead_images,
            prefetch_social_images,
            prefetch_corrections,
        ),
        description="The head metadata of the article's page (news/seo.py): title tag, meta "
        "description, canonical URL, social image, OpenGraph and Twitter tags, JSON-LD.",
    ),
]

SECTION_API_FIELDS = [
    "introduction",
    ComputedField(
        "last_published_at",
        last_published_at,
        datetime | None,
        description="When an editor last published a change to the section, to the second.",
    ),
    ComputedField(
        "last_modified",
        section_last_modified,
        datetime | None,
        prefetch=prefetch_latest_articles,
        description="The later of the section's last publication and that of its newest "
        "article, to the second: the sitemap's lastmod.",
    ),
    ComputedField(
        "seo",
        seo_value,
        SEOAPIValue,
        prefetch=prefetch_social_images,
        description="The head metadata of the section's page (news/seo.py).",
    ),
]


def section_api_fields(model):
    return SECTION_API_FIELDS


def article_api_fields(model):
    """ArticlePage's API fields: the core ones, then those plugins contribute.

    A plugin field that reuses a core name, or is not an API field at all, is
    left out and logged: a broken plugin must not take the API down.
    """
    from wagtail.api import APIField

    from cms.plugins.api_fields import plugin_api_fields

    fields = list(ARTICLE_API_FIELDS)
    names = {field.name for field in fields}
    for field in plugin_api_fields(model):
        name = getattr(field, "name", None)
        if not isinstance(field, APIField):
            logger.error("Plugin API field %r for %s is not an APIField; skipped", field, model)
        elif name in names:
            logger.error(
                "Plugin API field %r clashes with a core field of %s; skipped", name, model
            )
        else:
            fields.append(field)
            names.add(name)
    return fields
