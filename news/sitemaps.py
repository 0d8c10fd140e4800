"""What search engines read: the sitemaps and robots.txt.

- `/sitemap.xml`: a sitemap index of `/sitemap-pages.xml` (every page visible
  now, as `cms.visibility` defines it: front page, sections, articles),
  `/sitemap-authors.xml` and `/sitemap-tags.xml`, each URL with its lastmod;
- `/news-sitemap.xml`: a Google News sitemap of the articles published in
  the last two days;
- `/robots.txt`: keeps crawlers out of the admin and points them to both.

What the sitemaps count and date (the newest article of each tag, author and
section, the number of pages) means reading every visible article; those
summaries are kept between requests (``cms.shared_lookups``) against the
``sitemaps`` key, which every article's publication purges (and a live article, tag or
byline saved without one: ``cms.shared_lookups``), the keys of the tags and authors they
list, and the next scheduled visibility change. A
sitemap then costs the same at 26 articles as at 100,000.
"""

import math
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap as DjangoSitemap
from django.contrib.sitemaps import views as sitemap_views
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.db.models import Count, F, Max, Q
from django.db.models.functions import Substr
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date
from wagtail.contrib.sitemaps import Sitemap as WagtailSitemap
from wagtail.models import Page, Site

from cms.http_cache import next_visibility_change
from cms.kept_fragments import keep
from cms.shared_lookups import remember
from cms.visibility import snippet_visible_q, visible

from .absolute_urls import absolute_url, site_root_url
from .models import ArticleAuthor, ArticlePage, ArticlePageTag

NEWS_SITEMAP_MAX_AGE = timedelta(days=2)
# Google News reads at most 1,000 URLs from one news sitemap.
NEWS_SITEMAP_LIMIT = 1000
# URLs per page of /sitemap-pages.xml (?p=2, ...): a page costs the same whatever the
# archive holds (one sitemap of 10,000 articles took 2.7 s of CPU). Loading a page as its
# own type costs about 0.15 ms a page, so 50 a page stay well within 20 ms of CPU (100
# took 16-19 ms in-process, more under load). Crawlers read up to 50,000 sitemaps from an
# index: 2.5 million pages.
PAGES_SITEMAP_LIMIT = 50


def _public_articles():
    return ArticlePage.objects.visible()


def _with_time(value):
    return value.replace(microsecond=0) if value else value


def _remembered(name, request, build):
    """`build()` (returning the value and the keys of what it lists) kept between
    requests until an article changes (``sitemaps``), one of those keys is purged or
    something scheduled becomes visible or expires."""
    site = Site.find_for_request(request) if request is not None else None

    def build_entry():
        value, names = build()
        return value, {"sitemaps", *names}, next_visibility_change()

    return remember(f"sitemap:{name}:{getattr(site, 'pk', None)}", build_entry, request)


def latest_article_dates(parent_paths=None):
    """{parent page path: latest last_published_at of its visible articles}, in one query.

    ``parent_paths`` limits it to the articles of those pages (the API's sections).
    """
    articles = _public_articles().annotate(
        parent_path=Substr("path", 1, (F("depth") - 1) * Page.steplen)
    )
    if parent_paths is not None:
        # By path prefix, which the tree's path index serves.
        below = Q(pk__in=[])
        for path in parent_paths:
            below |= Q(path__startswith=path, depth=len(path) // Page.steplen + 1)
        articles = articles.filter(below)
    rows = articles.values("parent_path").annotate(latest=Max("last_published_at")).order_by()
    return {row["parent_path"]: row["latest"] for row in rows}


class PagesSitemap(WagtailSitemap):
    """Every live, public page of the request's site (Wagtail's sitemap), where a
    page that lists articles (the front page, a section) was last modified
    when the newest article below it was published."""

    def items(self):
        # Wagtail's items() are live, public pages: visible() also leaves out
        # what has expired or is not due yet (cms.visibility).
        return visible(super().items())

    def _latest_article_dates(self):
        return _remembered("latest-by-parent", self.request, lambda: (latest_article_dates(), ()))

    limit = PAGES_SITEMAP_LIMIT

    def _page_items(self, page):
        """One page of items by slicing: no COUNT over every page of the site."""
        try:
            number = int(page)
        except (TypeError, ValueError):
            raise PageNotAnInteger("That page number is not an integer") from None
        if number < 1:
            raise EmptyPage("That page number is less than 1")
        items = list(self.items()[(number - 1) * self.limit : number * self.limit])
        if not items and number > 1:
            raise EmptyPage("That page contains no results")
        return items

    def _urls(self, page, protocol, domain):
        items = self._page_items(page)
        # Only pages with children (the front page, sections) take their lastmod from
        # their articles: the pages of the sitemap that list articles alone skip that.
        listing = any(item.numchild for item in items)
        latest_by_parent = self._latest_article_dates() if listing else {}
        urls = []
        for item in items:
            below = [
                latest
                for path, latest in latest_by_parent.items()
                if path.startswith(item.path) and latest is not None
            ]
            for url_info in item.get_sitemap_urls(self.request):
                dates = [date for date in (url_info.get("lastmod"), *below) if date is not None]
                urls.append({**url_info, "lastmod": _with_time(max(dates, default=None))})
        last_mods = [url.get("lastmod") for url in urls]
        if last_mods and None not in last_mods:
            self.latest_lastmod = max(last_mods)
        return urls

    def get_latest_lastmod(self):
        # Django's default reads every page; the index needs only the newest date.
        root = self.get_wagtail_site().root_page
        pages = visible(root.get_descendants(inclusive=True))
        return _with_time(pages.aggregate(latest=Max("last_published_at"))["latest"])


class SiteRootSitemap(DjangoSitemap):
    """A Django sitemap whose URLs start with the public address, as page URLs do."""

    def __init__(self, request):
        self.request = request

    def get_urls(self, page=1, site=None, protocol=None):
        root = urlsplit(site_root_url(self.request))
        return self._urls(page, root.scheme, root.netloc)

    # The key of what each item names (an author, a tag), and the shared lookup's name.
    key_prefix = ""
    # Keys whose purge means an item may have joined.
    listing_keys = ()

    def items(self):
        """[{"object_id", "slug", "lastmod"}] by slug: the remembered ``rows()``. A list, so the
        paginator counts it without a query."""

        def build():
            found = list(self.rows())
            items = {f"{self.key_prefix}:{row['object_id']}" for row in found}
            return found, {*items, *self.listing_keys}

        return _remembered(self.key_prefix, self.request, build)

    def rows(self):
        raise NotImplementedError

    def lastmod(self, item):
        return _with_time(item["lastmod"])

    def get_latest_lastmod(self):
        dates = [item["lastmod"] for item in self.items() if item["lastmod"] is not None]
        return _with_time(max(dates, default=None))


class AuthorsSitemap(SiteRootSitemap):
    """Author pages of everyone with a live, public article; lastmod is their newest."""

    key_prefix = "author"
    listing_keys = ("listing:authors",)  # an author published or unpublished

    def rows(self):
        return (
            ArticleAuthor.objects.filter(page__in=_public_articles())
            .filter(snippet_visible_q("author__"))
            .values(object_id=F("author_id"), slug=F("author__slug"))
            .annotate(lastmod=Max("page__last_published_at"))
            .order_by("slug")
        )

    def location(self, item):
        return reverse("author_detail", kwargs={"slug": item["slug"]})


class TagsSitemap(SiteRootSitemap):
    """Tag pages of every tag on a live, public article; lastmod is its newest article."""

    key_prefix = "tag"

    def rows(self):
        return (
            ArticlePageTag.objects.filter(content_object__in=_public_articles())
            .values(object_id=F("tag_id"), slug=F("tag__slug"))
            .annotate(lastmod=Max("content_object__last_published_at"))
            .order_by("slug")
        )

    def location(self, item):
        return reverse("tag_detail", kwargs={"slug": item["slug"]})


SITEMAPS = {"pages": PagesSitemap, "authors": AuthorsSitemap, "tags": TagsSitemap}


def _sitemaps(request):
    return {name: sitemap_class(request) for name, sitemap_class in SITEMAPS.items()}


def _pages_summary(request):
    """How many pages the pages sitemap lists and the newest publication among them."""
    root = PagesSitemap(request).get_wagtail_site().root_page

    def build():
        pages = visible(root.get_descendants(inclusive=True))
        return pages.aggregate(count=Count("pk"), latest=Max("last_published_at")), ()

    return _remembered("pages-summary", request, build)


def _index_entry(sitemap, name, request):
    """(newest lastmod, number of sitemap pages) of one sitemap."""
    if name == "pages":
        summary = _pages_summary(request)
        return summary["latest"], max(1, math.ceil(summary["count"] / sitemap.limit))
    return sitemap.get_latest_lastmod(), sitemap.paginator.num_pages


@sitemap_views.x_robots_tag
def sitemap_index(request):
    """Django's sitemap index, with the sitemaps' URLs on the public address like
    every other URL here (Django's own view uses the request's host), counted and
    dated from the summaries the sitemaps keep (``_index_entry``). Its XML is kept
    against the same keys as those summaries (``cms.kept_fragments``): at 10,000
    articles it lists some 200 sitemap pages, which rendering made grow with the site."""
    root_url = site_root_url(request)
    xml, last_modified = keep(
        request, "sitemap-index", lambda: _index_xml(request, root_url), depends_on=(root_url,)
    )
    response = HttpResponse(xml, content_type="application/xml")
    if last_modified is not None:
        response.headers["Last-Modified"] = http_date(last_modified)
    return response


def _index_xml(request, root_url):
    """The index's XML and the Unix time of its newest entry (None if one has no date)."""
    entries = []
    for name, sitemap in _sitemaps(request).items():
        location = absolute_url(
            request, reverse("sitemap_section", kwargs={"section": name}), root_url=root_url
        )
        lastmod, pages = _index_entry(sitemap, name, request)
        lastmod = _with_time(lastmod)
        entries.append(sitemap_views.SitemapIndexItem(location, lastmod))
        entries += [
            sitemap_views.SitemapIndexItem(f"{location}?p={page}", lastmod)
            for page in range(2, pages + 1)
        ]
    xml = render_to_string("sitemap_index.xml", {"sitemaps": entries}, request=request)
    dates = [entry.last_mod for entry in entries]
    return xml, (max(dates).timestamp() if dates and None not in dates else None)


# Full times in lastmod (Django's own template writes dates only).
SECTION_TEMPLATE = "news/sitemaps/sitemap.xml"


@sitemap_views.x_robots_tag
def sitemap_section(request, section):
    """One page of a sitemap: Django's view with full times in lastmod (its own template
    writes dates only), its XML kept (``cms.kept_fragments``) against the keys of the
    pages and summaries it lists, ``sitemaps`` (which every publication purges) and the
    next scheduled visibility change. Made afresh, 50 pages as their own types cost
    about 25 ms of CPU; a reader or crawler asking again pays a store read."""
    page = request.GET.get("p", "1")

    def build():  # Django's view answers 404 for an unknown section or page: nothing kept
        response = sitemap_views.sitemap(
            request, _sitemaps(request), section=section, template_name=SECTION_TEMPLATE
        )
        return response.render().content, response.headers.get("Last-Modified")

    xml, last_modified = keep(
        request,
        f"sitemap:{section}",
        build,
        keys=("sitemaps",),
        # "02" and "2" are the same page; anything else Django's view refuses (404).
        depends_on=(str(int(page)) if page.isdigit() else page, site_root_url(request)),
        until=next_visibility_change(),
    )
    response = HttpResponse(xml, content_type="application/xml")
    if last_modified is not None:
        response.headers["Last-Modified"] = last_modified
    return response


# Google News -----------------------------------------------------------------


def news_language():
    """The ISO 639 code Google News expects: 'en' for en-gb; zh-cn and zh-tw stay whole."""
    code = settings.LANGUAGE_CODE.lower()
    return code if code in {"zh-cn", "zh-tw"} else code.split("-")[0]


@sitemap_views.x_robots_tag
def news_sitemap(request):
    """Articles published in the last two days, newest first, in Google News' format."""
    now = timezone.now()
    articles = _public_articles().filter(
        publication_date__gte=now - NEWS_SITEMAP_MAX_AGE, publication_date__lte=now
    )
    site = Site.find_for_request(request)
    if site is not None:
        articles = articles.descendant_of(site.root_page)
    articles = articles.defer_streamfields().order_by("-publication_date", "-pk")
    articles = list(articles[:NEWS_SITEMAP_LIMIT])
    response = render(
        request,
        "news/sitemaps/news_sitemap.xml",
        {
            "publication_name": settings.WAGTAIL_SITE_NAME,
            "language": news_language(),
            "entries": [
                {
                    "location": article.get_full_url(request),
                    "publication_date": _with_time(article.publication_date),
                    "title": article.title,
                }
                for article in articles
            ],
        },
        content_type="application/xml",
    )
    latest = max((a.last_published_at for a in articles if a.last_published_at), default=None)
    if latest is not None:
        response.headers["Last-Modified"] = http_date(latest.timestamp())
    return response


# robots.txt ------------------------------------------------------------------


def robots_txt(request):
    root_url = site_root_url(request)
    return render(
        request,
        "news/robots.txt",
        {
            "disallow": [reverse("wagtailadmin_home"), reverse("admin:index")],
            "sitemaps": [
                absolute_url(request, reverse(name), root_url=root_url)
                for name in ("sitemap", "news_sitemap")
            ],
        },
        content_type="text/plain; charset=utf-8",
    )
