"""What each reader page tells search engines and social networks.

One `HeadMetadata` per page: the document title, meta description, canonical
URL, OpenGraph and Twitter card properties and JSON-LD. Builders here pick
editors' SEO fields first and fall back to the content (standfirst, lead
image, section introduction, the site logo), so templates only print
`components/head_metadata.html`.

Wagtail pages get theirs from `metadata_for_page`; Django views (authors,
tags, archives, search) build theirs with the matching function and pass it
to the template as `seo`.
"""

import logging
from dataclasses import dataclass, field, replace
from datetime import datetime

from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse
from django.utils.text import Truncator

from . import structured_data as sd
from .absolute_urls import absolute_url, site_root_url
from .dates import machine_datetime

logger = logging.getLogger("byline.seo")

# 16:9 first: it is the OpenGraph / Twitter image; all three go to JSON-LD,
# which asks for 16:9, 4:3 and 1:1 versions of at least 50,000 pixels.
SOCIAL_IMAGE_SPECS = (
    "fill-1200x675|format-jpeg",
    "fill-1200x900|format-jpeg",
    "fill-1200x1200|format-jpeg",
)
LOGO_STATIC_PATH = "img/logo.png"
LOGO_SIZE = (512, 512)
DESCRIPTION_LENGTH = 200
DEFAULT_DESCRIPTION = "Independent local and world news."
LOCALE = "en_GB"


@dataclass(frozen=True)
class SocialImage:
    url: str
    width: int
    height: int
    alt: str = ""
    # A photo earns the large Twitter card; the logo gets the small one.
    large: bool = True
    # Every aspect ratio's URL, for JSON-LD.
    variants: tuple = ()
    # Every aspect ratio as (url, width, height), for API clients.
    renditions: tuple = ()


@dataclass
class HeadMetadata:
    title: str
    social_title: str
    description: str
    canonical_url: str
    site_name: str
    og_type: str = "website"
    image: SocialImage | None = None
    published_time: datetime | None = None
    modified_time: datetime | None = None
    section: str = ""
    tags: tuple = ()
    author_urls: tuple = ()
    structured_data: list = field(default_factory=list)
    robots: str = ""

    @property
    def twitter_card(self):
        return "summary_large_image" if self.image and self.image.large else "summary"

    def og_properties(self):
        """`(property, content)` pairs in the order they appear in the head."""
        props = [
            ("og:type", self.og_type),
            ("og:site_name", self.site_name),
            ("og:title", self.social_title),
            ("og:description", self.description),
            ("og:url", self.canonical_url),
            ("og:locale", LOCALE),
        ]
        if self.image:
            props += [
                ("og:image", self.image.url),
                ("og:image:width", str(self.image.width)),
                ("og:image:height", str(self.image.height)),
            ]
            if self.image.alt:
                props.append(("og:image:alt", self.image.alt))
        if self.og_type == "article":
            if self.published_time:
                props.append(("article:published_time", machine_datetime(self.published_time)))
            if self.modified_time:
                props.append(("article:modified_time", machine_datetime(self.modified_time)))
            if self.section:
                props.append(("article:section", self.section))
            props += [("article:author", url) for url in self.author_urls]
            props += [("article:tag", tag) for tag in self.tags]
        return props

    def twitter_properties(self):
        """`(name, content)` pairs for the Twitter card."""
        props = [
            ("twitter:card", self.twitter_card),
            ("twitter:title", self.social_title),
            ("twitter:description", self.description),
        ]
        if self.image:
            props.append(("twitter:image", self.image.url))
            if self.image.alt:
                props.append(("twitter:image:alt", self.image.alt))
        return props


# Site-wide pieces ------------------------------------------------------------


def site_name():
    return settings.WAGTAIL_SITE_NAME


def listing_url(request, path, listing=None):
    """The canonical address of one page of a paginated listing."""
    url = absolute_url(request, path)
    number = getattr(listing, "number", 1)
    return f"{url}?page={number}" if number > 1 else url


def clip(text, length=DESCRIPTION_LENGTH):
    return Truncator(" ".join((text or "").split())).chars(length)


def full_title(title):
    name = site_name()
    return f"{title} | {name}" if title and title != name else name


def logo(request):
    return SocialImage(
        url=absolute_url(request, static(LOGO_STATIC_PATH)),
        width=LOGO_SIZE[0],
        height=LOGO_SIZE[1],
        alt=f"{site_name()} logo",
        large=False,
    )


def publisher(request):
    return sd.organization(
        name=site_name(),
        url=site_root_url(request) + "/",
        logo=(absolute_url(request, static(LOGO_STATIC_PATH)), *LOGO_SIZE),
    )


def social_image(request, image, alt=None):
    """The social renditions of `image`, or None if its file cannot be read."""
    from .models.images import prepared_filters
    from .rendition_batches import ensure_renditions

    ensure_renditions(image)  # with the other images of an API answer, in one query
    try:
        renditions = image.get_renditions(*prepared_filters(*SOCIAL_IMAGE_SPECS))
    except OSError:  # includes Wagtail's SourceImageIOError: the file is missing
        logger.warning("No social image renditions for image %s", image.pk, exc_info=True)
        return None
    main = renditions[SOCIAL_IMAGE_SPECS[0]]
    sizes = tuple(
        (absolute_url(request, rendition.url), rendition.width, rendition.height)
        for rendition in (renditions[spec] for spec in SOCIAL_IMAGE_SPECS)
    )
    return SocialImage(
        url=absolute_url(request, main.url),
        width=main.width,
        height=main.height,
        alt=image.default_alt_text if alt is None else alt,
        variants=tuple(url for url, _, _ in sizes),
        renditions=sizes,
    )


def _chosen_social_image(request, page):
    """The editor's social image for `page`, with its renditions, or None."""
    from .models import NewsImage

    if not page.social_image_id:
        return None
    if "social_image" in page._state.fields_cache:
        # API listings load every page's social image and renditions at once.
        image = page.social_image
    else:
        image = NewsImage.objects.prefetch_renditions().filter(pk=page.social_image_id).first()
    return social_image(request, image) if image else None


def author_person(request, author):
    return sd.person(
        name=author.name,
        url=absolute_url(request, author.url),
        same_as=[link.value.get("url") for link in author.profile_links if link.value.get("url")],
        job_title=author.role,
    )


# Page types --------------------------------------------------------------------


def page_url(page, request):
    """The page's absolute URL; a page previewed before its first save has none yet.

    Without a request (API values, news.api.seo) such a page's URL is empty.
    """
    url = page.get_full_url(request)
    if url or request is None:
        return url or ""
    return absolute_url(request, request.path)


def article_modified_time(page):
    """When the article last changed for readers: its publication date, or a later
    published change or correction note (article:modified_time, JSON-LD dateModified,
    the API's last_modified, the feeds' updated)."""
    note = page.latest_note
    dates = (page.last_published_at, page.publication_date, note.noted_at if note else None)
    return max(d for d in dates if d)


def article_metadata(page, request):
    own_url = page_url(page, request)
    canonical = page.canonical_url or own_url
    image = None
    if page.social_image_id and page.social_image_id != page.lead_image_id:
        image = _chosen_social_image(request, page)
    if image is None and page.lead_image_with_renditions is not None:
        image = social_image(
            request, page.lead_image_with_renditions, alt=page.lead_image_alt or None
        )
    description = clip(page.search_description or page.standfirst)
    section = page.section
    authors = page.authors
    tags = [tag.name for tag in page.tag_list]
    modified = article_modified_time(page)
    home_url = site_root_url(request) + "/"

    crumbs = [("Home", home_url)]
    if section is not None:
        crumbs.append((section.title, page_url(section, request)))
    crumbs.append((page.title, own_url))

    article = sd.news_article(
        url=canonical,
        headline=page.title,
        description=description,
        # ImageObjects with each file's real size: a "1:1" crop of a 16:9 photo is as
        # tall as the photo (900 x 900 from 1600 x 900), never stretched to 1200.
        images=[sd.image_object(*rendition) for rendition in image.renditions] if image else [],
        date_published=page.publication_date,
        date_modified=modified,
        authors=[author_person(request, author) for author in authors],
        publisher=publisher(request),
        section=section.title if section else "",
        keywords=tags,
        corrections=[
            sd.correction_comment(text=note.note, date_published=note.noted_at, kind=note.kind)
            for note in page.correction_notes
        ],
    )
    return HeadMetadata(
        title=full_title(page.seo_title or page.title),
        social_title=page.seo_title or page.title,
        description=description,
        canonical_url=canonical,
        site_name=site_name(),
        og_type="article",
        image=image or logo(request),
        published_time=page.publication_date,
        modified_time=modified,
        section=section.title if section else "",
        tags=tuple(tags),
        author_urls=tuple(absolute_url(request, author.url) for author in authors),
        structured_data=[article, sd.breadcrumb_list(crumbs)],
    )


def section_metadata(page, request, listing=None):
    name = site_name()
    description = clip(
        page.search_description or page.introduction or f"The latest {page.title} news from {name}."
    )
    own_url = page_url(page, request)
    crumbs = [("Home", site_root_url(request) + "/"), (page.title, own_url)]
    return HeadMetadata(
        title=full_title(page.seo_title or page.title),
        social_title=page.seo_title or page.title,
        description=description,
        canonical_url=listing_url(request, own_url, listing),
        site_name=name,
        image=_chosen_social_image(request, page) or logo(request),
        structured_data=[sd.breadcrumb_list(crumbs)],
    )


def home_metadata(page, request):
    name = site_name()
    home_url = site_root_url(request) + "/"
    description = clip(page.search_description or page.tagline or DEFAULT_DESCRIPTION)
    search_template = absolute_url(request, reverse("search")) + "?q={search_term_string}"
    org = publisher(request)
    return HeadMetadata(
        title=full_title(page.seo_title or name),
        social_title=page.seo_title or name,
        description=description,
        canonical_url=page_url(page, request),
        site_name=name,
        image=logo(request),
        structured_data=[
            sd.website(name=name, url=home_url, search_url_template=search_template, publisher=org),
            {"@context": sd.SCHEMA_CONTEXT, **org},
        ],
    )


def generic_page_metadata(page, request):
    """Any other Wagtail page: its SEO fields, else its title."""
    description = clip(page.search_description or DEFAULT_DESCRIPTION)
    return HeadMetadata(
        title=full_title(page.seo_title or page.title),
        social_title=page.seo_title or page.title,
        description=description,
        canonical_url=page_url(page, request),
        site_name=site_name(),
        image=logo(request),
    )


def metadata_for_page(page, request, listing=None):
    """Head metadata for a Wagtail page; `listing` is the page of articles it shows."""
    from home.models import HomePage

    from .models import ArticlePage, NewsIndexPage

    if isinstance(page, ArticlePage):
        return article_metadata(page, request)
    if isinstance(page, NewsIndexPage):
        return section_metadata(page, request, listing)
    if isinstance(page, HomePage):
        return home_metadata(page, request)
    return generic_page_metadata(page, request)


# Django views --------------------------------------------------------------------


def author_metadata(author, request, listing=None):
    image = None
    if author.portrait_id:
        image = social_image(request, author.portrait, alt=author.name)
    if image is not None:
        image = replace(image, large=False)
    description = clip(author.short_bio or f"Articles by {author.name} for {site_name()}.")
    url = listing_url(request, author.url, listing)
    person = author_person(request, author)
    return HeadMetadata(
        title=full_title(author.name),
        social_title=author.name,
        description=description,
        canonical_url=url,
        site_name=site_name(),
        og_type="profile",
        image=image or logo(request),
        structured_data=[
            sd.profile_page(url=absolute_url(request, author.url), person_data=person)
        ],
    )


def tag_metadata(tag, request, listing=None):
    title = f"Articles tagged “{tag.name}”"
    return HeadMetadata(
        title=full_title(title),
        social_title=title,
        description=clip(f"Articles about {tag.name} from {site_name()}."),
        canonical_url=listing_url(request, reverse("tag_detail", args=[tag.slug]), listing),
        site_name=site_name(),
        image=logo(request),
    )


def listing_metadata(request, title, description, path, listing=None, robots=""):
    """Any other listing view: archives, search results."""
    return HeadMetadata(
        title=full_title(title),
        social_title=title,
        description=clip(description),
        canonical_url=listing_url(request, path, listing),
        site_name=site_name(),
        image=logo(request),
        robots=robots,
    )


def generic_metadata(request, title=""):
    """Pages that only know their title (author list, error pages, plugin views)."""
    return HeadMetadata(
        title=full_title(title),
        social_title=title or site_name(),
        description=DEFAULT_DESCRIPTION,
        canonical_url=absolute_url(request, request.path),
        site_name=site_name(),
        image=logo(request),
    )
