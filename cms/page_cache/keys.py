"""What a cached answer is filed under, and the surrogate keys it depends on.

**Entry keys** name one answer: method (GET and HEAD share one), host, path,
the query string with its pairs sorted, the content encoding asked for
(gzip or identity) and, under /api/, the Accept header (the APIs negotiate
their format). Nothing else a request carries changes an anonymous answer.

**Surrogate keys** name what an answer shows. The vocabulary:

- ``page:<id>``: a page (article, section, home) the answer loaded;
- ``image:<id>``, ``document:<id>``, ``tag:<id>``: an image (or one of its
  renditions), a document, a tag;
- ``<snippet model>:<id>``, e.g. ``author:3``: a snippet;
- ``setting:<app.model>``: a site or generic setting;
- ``site:<id>``: the Wagtail Site that served the answer (every answer has one);
- ``served:<id>``: the answer serving page <id> itself (an article's own page, not
  the listings that show it);
- ``nav``: the masthead's section menu (every HTML page);
- listings, which a *new* member changes although the answer never loaded it:
  ``home``, ``listing:section:<id>``, ``listing:tag:<slug>``,
  ``listing:author:<slug>``, ``listing:authors``, ``listing:archive:<year>``,
  ``feeds``, ``sitemaps``, ``search``, ``api-listing`` (every API listing),
  ``api-pages`` (the API listings of pages of every type);
- ``articles``: any article published, unpublished, moved, deleted or saved live (the
  listings' kept ids and counts, ``news.models.pages.listed``).

Objects are recorded as they are loaded (``recording.py``); pages only when
loaded as their own type (an ``ArticlePage``, not a plain ``Page``: plain pages
are what routing, site lookup and visibility checks load). Listing keys come
from the URL the answer was made for, or the type of page served.
"""

import hashlib
import re
from urllib.parse import parse_qsl, urlencode

from cms.plugins.state import discovered_plugins

# Answers under these prefixes negotiate their format with Accept.
ACCEPT_PREFIXES = ("/api/",)
# An API path naming one object (a detail) rather than a listing.
_API_DETAIL = re.compile(r"/\d+/$|/find/$")
# The listings of pages of every type (sections and the home page too).
_API_PAGES = re.compile(r"^/api/v\d+/pages/")
# The endpoint of an API path: /api/v2/authors/ and /api/v3/authors/ are "authors".
_API_ENDPOINT = re.compile(r"^/api/v\d+/(?P<name>[a-z_-]+)/")

_LISTING_URL_NAMES = {
    "search": ("search",),
    "sitemap": ("sitemaps",),
    "sitemap_section": ("sitemaps",),
    "news_sitemap": ("sitemaps",),
    "author_list": ("listing:authors",),
}


# Keys of listings: a page joining them at its go-live time changes them with no event.
# The menu ("nav") is left out: sections are scheduled through Wagtail's publishing
# (an event), and a listed section's own expiry is noted when it is loaded.
_LISTINGS = {"home", "feeds", "sitemaps", "search", "api-listing", "api-pages"}


def api_listing_key(endpoint):
    """The key of the API listings of one endpoint ("authors", "images", ...)."""
    return f"api-listing:{endpoint}"


def served_key(page_id):
    """The key of the answer that served page `page_id` itself (not the listings or
    other pages that show it): what changes when only its own page does."""
    return f"served:{page_id}"


def loaded_with(instance):
    """Keys of the objects loaded along with `instance` (``select_related``)."""
    found = []
    for related in getattr(getattr(instance, "_state", None), "fields_cache", {}).values():
        name = object_key(related) if related is not None else None
        if name:
            found.append(name)
    return found


def site_key(site_id):
    """The key of every answer served by one Site (None: requests no Site matched)."""
    return f"site:{site_id if site_id is not None else 'none'}"


def request_site_key(request):
    """``site_key`` of the Site serving `request` (Wagtail keeps it on the request)."""
    from wagtail.models import Site

    site = getattr(request, "_wagtail_site", None)
    if site is None:
        site = Site.find_for_request(request)
    return site_key(getattr(site, "pk", None))


def is_listing(name):
    return name in _LISTINGS or name.startswith("listing:")


def entry_key(request):
    """The cache key of the answer to `request` (anonymous GET or HEAD)."""
    query = urlencode(sorted(parse_qsl(request.META.get("QUERY_STRING", ""), True)))
    accept = ""
    if request.path.startswith(ACCEPT_PREFIXES):
        accept = ",".join(
            part.strip() for part in request.headers.get("Accept", "").lower().split(",")
        )
    encoding = "gzip" if "gzip" in request.headers.get("Accept-Encoding", "").lower() else ""
    raw = "\n".join(
        [request.get_host().lower(), request.path, query, accept, encoding, plugins_on()]
    )
    return "entry:" + hashlib.blake2b(raw.encode(), digest_size=20).hexdigest()


def plugins_on():
    """The enabled plugins and their versions: switching one on or off (a restart with
    other settings) changes what pages show, so answers made before are not reused."""
    return ",".join(
        sorted(
            f"{plugin.name}={plugin.version}" for plugin in discovered_plugins() if plugin.enabled
        )
    )


def url_keys(request, response):
    """The listing keys an answer depends on, from the URL it was made for."""
    keys = set()
    match = request.resolver_match
    if request.path.startswith("/api/"):
        if not _API_DETAIL.search(request.path):
            keys.add("api-listing")
            if _API_PAGES.match(request.path):
                keys.add("api-pages")
            endpoint = _API_ENDPOINT.match(request.path)
            if endpoint:
                keys.add(api_listing_key(endpoint["name"]))
        return keys
    if response.get("Content-Type", "").startswith("text/html"):
        keys.add("nav")
    if match is None:
        return keys
    if "feeds" in match.namespaces:
        keys.add("feeds")
    keys.update(_LISTING_URL_NAMES.get(match.url_name, ()))
    if match.url_name == "tag_detail":
        keys.add(f"listing:tag:{match.kwargs.get('slug', '')}")
    elif match.url_name == "author_detail":
        keys.add(f"listing:author:{match.kwargs.get('slug', '')}")
    elif match.url_name in ("archive_year", "archive_month"):
        keys.add(f"listing:archive:{match.kwargs.get('year', '')}")
    return keys


def page_keys(page):
    """Listing keys of a served Wagtail page: what new members would change on it."""
    from home.models import HomePage
    from news.models import NewsIndexPage

    if isinstance(page, HomePage):
        return {"home"}
    if isinstance(page, NewsIndexPage):
        return {f"listing:section:{page.pk}"}
    return set()


def article_listing_keys(article, parent=None):
    """Every listing a published article belongs to (what its arrival changes)."""
    parent_id = parent.pk if parent is not None else _parent_id(article)
    date = getattr(article, "publication_date", None) or article.first_published_at
    return listing_keys(
        parent_id,
        years=[date.year] if date is not None else [],
        tag_slugs=[tag.slug for tag in _tags(article)],
        author_slugs=_author_slugs(article),
    )


def listing_keys(parent_id, *, years=(), tag_slugs=(), author_slugs=()):
    """The listings articles of section `parent_id` with those publication years, tags and
    authors belong to (one article's, or a batch's inserted together)."""
    keys = {"home", "feeds", "sitemaps", "search", "api-listing", "listing:authors", "articles"}
    if parent_id:
        keys.update({f"listing:section:{parent_id}", f"related:section:{parent_id}"})
    keys.update(f"listing:archive:{year}" for year in years)
    for slug in tag_slugs:
        # "related:": the article pages whose related articles it may join. Not listings:
        # their lifetime is not cut at every article's scheduled change (max-age bounds it).
        keys.update({f"listing:tag:{slug}", f"related:tag:{slug}"})
    keys.update(f"listing:author:{slug}" for slug in author_slugs)
    return keys


def _parent_id(page):
    parent = page.get_parent() if page.depth and page.depth > 1 else None
    return parent.pk if parent is not None else None


def _tags(article):
    tags = getattr(article, "tags", None)
    if tags is None:
        return []
    try:
        return list(tags.all())
    except ValueError:  # an unsaved page
        return []


def _author_slugs(article):
    bylines = getattr(article, "article_authors", None)
    if bylines is None:
        return []
    return [byline.author.slug for byline in bylines.all() if byline.author_id]


# Object keys ----------------------------------------------------------------------

_prefixes = {}


class Key(str):
    """A surrogate key given as is, where the object it names was not loaded (its id is
    known): ``Key.of(Author, 3)`` is ``author:3``."""

    @classmethod
    def of(cls, model, pk):
        prefix = _prefixes.get(model)
        if prefix is None:
            prefix = _prefixes[model] = _prefix_for(model)
        return cls(f"{prefix}:{pk}") if prefix and ":" not in prefix else None


def object_key(instance):
    """The surrogate key of a loaded model instance (or of a lazy object standing for one,
    as a site setting read for a request may be), or None for what no answer shows."""
    cls = instance.__class__
    prefix = _prefixes.get(cls)
    if prefix is None:
        prefix = _prefixes[cls] = _prefix_for(cls)
    if not prefix:
        return None
    if prefix == "image-of":
        return f"image:{instance.image_id}"
    if prefix.startswith("setting:"):
        return prefix
    return f"{prefix}:{instance.pk}"


def _prefix_for(cls):
    from taggit.models import TagBase
    from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting
    from wagtail.documents.models import AbstractDocument
    from wagtail.images.models import AbstractImage, AbstractRendition
    from wagtail.models import Page
    from wagtail.snippets.models import get_snippet_models

    if cls is Page:
        # Plain pages are loaded to route, find the site, check view restrictions
        # and visibility; what readers see is loaded as its own type (specific).
        return ""
    if issubclass(cls, Page):
        return "page"
    if issubclass(cls, AbstractRendition):
        return "image-of"
    if issubclass(cls, AbstractImage):
        return "image"
    if issubclass(cls, AbstractDocument):
        return "document"
    if issubclass(cls, TagBase):
        return "tag"
    if issubclass(cls, BaseSiteSetting | BaseGenericSetting):
        return f"setting:{cls._meta.label_lower}"
    if cls in get_snippet_models():
        return cls._meta.model_name
    return ""
