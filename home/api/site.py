"""Site data for headless frontends: one builder, served by API v2 and v3 alike.

A frontend needs what the server-rendered site prints on every page: the
paper's name and logo, the newsroom's time zone and language, the public
address, the masthead menu, the front page's tagline and lead story, and the
feeds. ``site_data(request)`` builds it from the same code the HTML uses
(``news.navigation`` for the menu, ``HomePage.choose_lead`` for the lead
story, ``news.seo`` for the logo, ``news.feeds.links`` for the feeds), and
``SiteAPIValue`` describes it: API v2 returns the dict as it is, API v3 checks
it against the TypedDict, which also becomes its OpenAPI schema.

Everything in it is public: sections and articles readers may see now only
(``cms.visibility``). It costs a fixed number of queries, however many
sections the menu and bylines the lead story have.
"""

from datetime import datetime
from typing import Annotated

from django.conf import settings
from pydantic import Field
from typing_extensions import TypedDict
from wagtail.models import Site

from cms.api.fields import prefetch_api_fields
from cms.public_address import public_root_url, public_url
from cms.visibility import visible
from news.api.fields import (
    AuthorAPIValue,
    SectionAPIValue,
    article_authors,
    article_lead_image,
    article_section,
    article_url,
    section_value,
)
from news.api.seo import to_the_second
from news.feeds.formats import FEED_FORMATS
from news.feeds.links import alternate_links
from news.models.images import ResponsiveImage
from news.navigation import menu_sections
from news.seo import logo, site_name

# The article API fields the lead story shows, loaded by their own prefetches.
LEAD_STORY_FIELDS = ("url", "section", "authors", "lead_image")


class LogoAPIValue(TypedDict):
    """The paper's logo (the static file the site's social tags and JSON-LD use)."""

    url: Annotated[str, Field(description="Absolute URL of the logo image.")]
    width: int
    height: int
    alt: str


class FeedAPIValue(TypedDict):
    """One of the site-wide feeds the HTML pages advertise with <link rel="alternate">."""

    format: Annotated[str, Field(description="rss, atom or json.")]
    media_type: str
    title: str
    url: Annotated[str, Field(description="Absolute URL of the feed.")]


class LeadStoryAPIValue(TypedDict):
    """The front page's lead story, with what its card shows; the article's
    full record is at /api/v2/pages/<id>/ or /api/v3/pages/<id>/."""

    id: int
    title: str
    standfirst: str
    publication_date: Annotated[datetime, Field(description="To the second.")]
    url: Annotated[str | None, Field(description="The article's path on the site.")]
    html_url: Annotated[str | None, Field(description="The article's full address.")]
    section: SectionAPIValue | None
    authors: list[AuthorAPIValue]
    lead_image: ResponsiveImage | None


class BreakingNewsAPIValue(TypedDict):
    """One link of the front page's breaking-news banner."""

    id: int
    title: str
    publication_date: Annotated[datetime, Field(description="To the second.")]
    url: Annotated[str | None, Field(description="The article's path on the site.")]
    html_url: Annotated[str | None, Field(description="The article's full address.")]


class SiteAPIValue(TypedDict):
    """What every page of the site shows, for headless frontends."""

    name: Annotated[str, Field(description="The paper's name (WAGTAIL_SITE_NAME).")]
    base_url: Annotated[
        str,
        Field(
            description="The site's public address (BYLINE_BASE_URL for the default site), "
            "without a trailing slash: every absolute URL starts with it."
        ),
    ]
    language: Annotated[str, Field(description="Language of the content (LANGUAGE_CODE).")]
    time_zone: Annotated[
        str,
        Field(
            description="The newsroom's IANA time zone (TIME_ZONE): the site shows dates "
            "and archive periods in it."
        ),
    ]
    logo: LogoAPIValue
    tagline: Annotated[str, Field(description="The front page's tagline; may be empty.")]
    navigation: Annotated[
        list[SectionAPIValue],
        Field(
            description="The masthead menu: the sections readers may see now whose "
            "show_in_menus is true, in the page tree's order."
        ),
    ]
    lead_story: Annotated[
        LeadStoryAPIValue | None,
        Field(
            description="The front page's lead story: the editors' choice if readers may "
            "see it now, else the newest article; null when there is none."
        ),
    ]
    breaking_news: Annotated[
        list[BreakingNewsAPIValue],
        Field(
            description="The front page's breaking-news banner: the newest articles flagged "
            "as breaking and published within the last BYLINE_BREAKING_NEWS_HOURS hours "
            "(24 by default), newest first; empty when there is none."
        ),
    ]
    feeds: Annotated[list[FeedAPIValue], Field(description="The site-wide feeds.")]


def site_data(request) -> SiteAPIValue:
    """The site data for the site serving ``request``."""
    site = Site.find_for_request(request)
    home = _front_page(site)
    return {
        "name": site_name(),
        "base_url": public_root_url(site),
        "language": settings.LANGUAGE_CODE,
        "time_zone": settings.TIME_ZONE,
        "logo": _logo(request),
        "tagline": home.tagline if home is not None else "",
        "navigation": [section_value(section) for section in menu_sections()],
        "lead_story": _lead_story(home),
        "breaking_news": _breaking_news(home),
        "feeds": _feeds(site),
    }


def _front_page(site):
    from home.models import HomePage

    if site is None:
        return None
    return visible(HomePage.objects.filter(pk=site.root_page_id)).first()


def _logo(request) -> LogoAPIValue:
    image = logo(request)
    return {"url": image.url, "width": image.width, "height": image.height, "alt": image.alt}


def _lead_story(home) -> LeadStoryAPIValue | None:
    if home is None:
        return None
    # The front page's articles without its card prefetches: the API fields
    # load their own (portraits, biographies, renditions) in bulk.
    articles = home.front_page_articles().select_related(None).prefetch_related(None)
    lead = home.choose_lead(articles)
    if lead is None:
        return None
    prefetch_api_fields([lead], LEAD_STORY_FIELDS)
    return {
        "id": lead.pk,
        "title": lead.title,
        "standfirst": lead.standfirst,
        "publication_date": to_the_second(lead.publication_date),
        "url": article_url(lead),
        "html_url": lead.full_url,
        "section": article_section(lead),
        "authors": article_authors(lead),
        "lead_image": article_lead_image(lead),
    }


def _breaking_news(home) -> list[BreakingNewsAPIValue]:
    if home is None:
        return []
    return [
        {
            "id": article.pk,
            "title": article.title,
            "publication_date": to_the_second(article.publication_date),
            "url": article_url(article),
            "html_url": article.full_url,
        }
        for article in home.breaking_news()
    ]


def _feeds(site) -> list[FeedAPIValue]:
    # The links every HTML page carries in its head, in the same order.
    links = alternate_links()
    return [
        {
            "format": fmt.name,
            "media_type": link["type"],
            "title": link["title"],
            "url": public_url(link["href"], site),
        }
        for fmt, link in zip(FEED_FORMATS, links, strict=True)
    ]
