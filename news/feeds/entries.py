"""Articles as feed entries: one format-neutral description for RSS, Atom and JSON Feed.

Everything a feed item shows is loaded for all entries at once: bylines, tags,
sections, lead images with their renditions, and (for full-content feeds) the
bodies with their images, related articles, embeds and rich text links, so a
feed costs the same number of queries whatever its articles contain.
"""

from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import prefetch_related_objects
from wagtail.blocks import StreamValue

from ..absolute_urls import absolute_url
from ..embeds import preload_embeds
from ..models.images import rendition_specs
from ..models.pages import attach_sections
from ..rich_text import preloaded_links
from ..seo import article_modified_time
from .html import absolutize_urls, collapse_whitespace
from .identity import article_feed_id

# The largest JPEG of the responsive set: already made for the article page,
# and the format every feed reader can show.
ENCLOSURE_SPEC = rendition_specs()["jpeg"][-1][1]
ENCLOSURE_MIME_TYPE = "image/jpeg"
FILE_SIZE_CACHE_SECONDS = 30 * 24 * 3600


@dataclass(frozen=True)
class FeedAuthor:
    name: str
    url: str


@dataclass(frozen=True)
class FeedImage:
    url: str
    mime_type: str
    length: int
    width: int
    height: int
    alt: str = ""
    caption: str = ""
    credit: str = ""


@dataclass
class FeedEntry:
    id: str  # a tag: URI that survives slug changes, moves and new hosts (.identity)
    url: str
    title: str
    summary: str
    published: object
    updated: object
    authors: list = field(default_factory=list)
    categories: list = field(default_factory=list)
    image: FeedImage | None = None
    content_html: str | None = None


def feed_entries(articles, request, *, root_url, full_content):
    """`FeedEntry` objects for `articles`, which come from `ArticlePage.objects.for_listing()`
    with their tags prefetched."""
    articles = attach_sections(articles)
    # An entry's updated date counts its newest correction note (seo.article_modified_time).
    prefetch_related_objects(articles, "corrections")
    urls = {article.pk: article.get_full_url(request) for article in articles}
    bodies = render_bodies(articles, request, urls) if full_content else {}
    default_locale_id = _default_locale_id()
    return [
        FeedEntry(
            id=article_feed_id(article, default_locale_id),
            url=urls[article.pk],
            title=article.title,
            summary=article.standfirst,
            published=_whole_seconds(article.publication_date),
            updated=_whole_seconds(_updated(article)),
            authors=[
                FeedAuthor(
                    name=author.name, url=absolute_url(request, author.url, root_url=root_url)
                )
                for author in article.authors
            ],
            categories=_categories(article),
            image=_lead_image(article, request, root_url),
            content_html=bodies.get(article.pk),
        )
        for article in articles
    ]


def _default_locale_id():
    """Only asked (one query) when translations are on; see .identity."""
    from django.conf import settings
    from wagtail.models import Locale

    if not getattr(settings, "WAGTAIL_I18N_ENABLED", False):
        return None
    return Locale.get_default().pk


def _updated(article):
    """The article page's article:modified_time, or its newest live update if later.

    Live updates are read from the body when the feed loaded it (full content);
    feed readers then show a developing story as changed with each update.
    """
    from django.utils import timezone

    from ..blocks import latest_live_update

    modified = article_modified_time(article)
    if "body" in article.get_deferred_fields():
        return modified
    latest = latest_live_update(article.body.raw_data, article.body.stream_block)
    if latest is None:
        return modified
    # An update typed with a time still to come does not date the entry in the future.
    return max(modified, min(latest, timezone.now()))


def _whole_seconds(value):
    return value.replace(microsecond=0) if value else value


def _categories(article):
    categories = [article.section.title] if article.section else []
    # Tags come prefetched; sorting here keeps it that way.
    tags = sorted(article.tags.all(), key=lambda tag: tag.name.lower())
    return categories + [tag.name for tag in tags if tag.name not in categories]


def _lead_image(article, request, root_url):
    image = article.lead_image_with_renditions
    if image is None:
        return None
    rendition = image.get_rendition(ENCLOSURE_SPEC)
    return FeedImage(
        url=absolute_url(request, rendition.url, root_url=root_url),
        mime_type=ENCLOSURE_MIME_TYPE,
        length=_file_size(rendition),
        width=rendition.width,
        height=rendition.height,
        alt=article.lead_image_alt or image.default_alt_text,
        caption=article.lead_image_caption or image.default_caption,
        credit=article.lead_image_credit or image.credit,
    )


def _file_size(rendition):
    """The rendition's size in bytes (RSS enclosures need it), remembered in the cache.

    On object storage this is a request per file, so it is asked once; 0 is
    what RSS expects when the size cannot be known.
    """
    key = f"byline:feeds:file-size:{rendition.pk}:{rendition.file.name}"
    size = cache.get(key)
    if size is None:
        try:
            size = rendition.file.size
        except (OSError, ValueError):
            return 0
        cache.set(key, size, FILE_SIZE_CACHE_SECONDS)
    return size


# Bodies ----------------------------------------------------------------------


def render_bodies(articles, request, urls):
    """Body HTML of each article by pk, with absolute URLs, in a fixed number of queries.

    The bodies are read as one stream so each block type converts its values
    for all articles at once (one query for every image, one for every related
    article), then rendered with each block's own template, as on the page.
    """
    if not articles:
        return {}
    stream_block = articles[0].body.stream_block
    raw_data, spans = [], []
    for article in articles:
        start = len(raw_data)
        raw_data.extend(article.body.raw_data)
        spans.append((article, start, len(raw_data)))
    combined = StreamValue(stream_block, raw_data, is_lazy=True)
    children = list(combined)
    preload_embeds([child.value for child in children])
    bodies = {}
    with preloaded_links(stream_block.extract_references(combined)):
        for article, start, end in spans:
            context = {"page": article, "self": article, "request": request}
            html = "\n".join(str(child.render(context=context)) for child in children[start:end])
            bodies[article.pk] = collapse_whitespace(absolutize_urls(html, urls[article.pk]))
    return bodies


__all__ = ["FeedAuthor", "FeedEntry", "FeedImage", "feed_entries", "render_bodies"]
