"""What search engines read: the sitemaps and robots.txt.

- `/sitemap.xml`: a sitemap index of `/sitemap-pages.xml` (every page visible
  now, as `cms.visibility` defines it: front page, sections, articles),
  `/sitemap-authors.xml` and `/sitemap-tags.xml`, each URL with its lastmod;
- `/news-sitemap.xml`: a Google News sitemap of the articles published in
  the last two days;
- `/robots.txt`: keeps crawlers out of the admin and points them to both.
"""

import math
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap as DjangoSitemap
from django.contrib.sitemaps import views as sitemap_views
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.db.models import Count, Exists, F, Max, OuterRef, Q
from django.db.models.functions import Substr
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date
from taggit.models import Tag
from wagtail.contrib.sitemaps import Sitemap as WagtailSitemap
from wagtail.models import Page, Site

from authors.models import Author
from cms.visibility import snippet_visible_q, visible

from .absolute_urls import absolute_url, site_root_url
from .models import ArticleAuthor, ArticlePage, ArticlePageTag

NEWS_SITEMAP_MAX_AGE = timedelta(days=2)
# Google News reads at most 1,000 URLs from one news sitemap.
NEWS_SITEMAP_LIMIT = 1000
# URLs per page of /sitemap-pages.xml (?p=2, ...): a page costs the same whatever the
# archive holds (one sitemap of 10,000 articles took 2.7 s of CPU), and a small page
# stays within 20 ms. Crawlers read up to 50,000 sitemaps from an index.
PAGES_SITEMAP_LIMIT = 100


def _public_articles():
    return ArticlePage.objects.visible()


def _with_time(value):
    return value.replace(microsecond=0) if value else value


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
        return latest_article_dates()

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

    def lastmod(self, item):
        return _with_time(item["lastmod"])

    def get_latest_lastmod(self):
        return _with_time(self.items().aggregate(latest=Max("lastmod"))["latest"])


class AuthorsSitemap(SiteRootSitemap):
    """Author pages of everyone with a live, public article; lastmod is their newest."""

    def items(self):
        return (
            ArticleAuthor.objects.filter(page__in=_public_articles())
            .filter(snippet_visible_q("author__"))
            .values("author__slug")
            .annotate(lastmod=Max("page__last_published_at"))
            .order_by("author__slug")
        )

    def location(self, item):
        return reverse("author_detail", kwargs={"slug": item["author__slug"]})


class TagsSitemap(SiteRootSitemap):
    """Tag pages of every tag on a live, public article; lastmod is its newest article."""

    def items(self):
        return (
            ArticlePageTag.objects.filter(content_object__in=_public_articles())
            .values("tag__slug")
            .annotate(lastmod=Max("content_object__last_published_at"))
            .order_by("tag__slug")
        )

    def location(self, item):
        return reverse("tag_detail", kwargs={"slug": item["tag__slug"]})


SITEMAPS = {"pages": PagesSitemap, "authors": AuthorsSitemap, "tags": TagsSitemap}


def _sitemaps(request):
    return {name: sitemap_class(request) for name, sitemap_class in SITEMAPS.items()}


def _index_summary(request):
    """What the index needs of every sitemap, from one pass over the visible pages:
    how many pages there are and the newest publication of each sitemap's content
    (the newest article with a tag, with an author)."""
    root = PagesSitemap(request).get_wagtail_site().root_page
    pages = visible(root.get_descendants(inclusive=True))
    tagged = Exists(ArticlePageTag.objects.filter(content_object_id=OuterRef("pk")))
    bylined = Exists(
        ArticleAuthor.objects.filter(page_id=OuterRef("pk")).filter(snippet_visible_q("author__"))
    )
    return pages.aggregate(
        pages_count=Count("pk"),
        pages=Max("last_published_at"),
        tags=Max("last_published_at", filter=Q(tagged)),
        authors=Max("last_published_at", filter=Q(bylined)),
    )


def _page_count(sitemap, name, summary):
    if name == "pages":
        return max(1, math.ceil(summary["pages_count"] / sitemap.limit))
    # Authors and tags are few: with no more of them than fit one sitemap page (the
    # usual case by far) there is one page, and nothing to count.
    table = Author if name == "authors" else Tag
    if table.objects.count() <= sitemap.limit:
        return 1
    return sitemap.paginator.num_pages


@sitemap_views.x_robots_tag
def sitemap_index(request):
    """Django's sitemap index, with the sitemaps' URLs on the public address like
    every other URL here (Django's own view uses the request's host), counted and
    dated from one aggregate query (``_index_summary``)."""
    root_url = site_root_url(request)
    summary = _index_summary(request)
    entries = []
    for name, sitemap in _sitemaps(request).items():
        location = absolute_url(
            request, reverse("sitemap_section", kwargs={"section": name}), root_url=root_url
        )
        lastmod = _with_time(summary[name])
        entries.append(sitemap_views.SitemapIndexItem(location, lastmod))
        entries += [
            sitemap_views.SitemapIndexItem(f"{location}?p={page}", lastmod)
            for page in range(2, _page_count(sitemap, name, summary) + 1)
        ]
    response = render(
        request, "sitemap_index.xml", {"sitemaps": entries}, content_type="application/xml"
    )
    dates = [entry.last_mod for entry in entries]
    if dates and None not in dates:
        response.headers["Last-Modified"] = http_date(max(dates).timestamp())
    return response


def sitemap_section(request, section):
    # Full times in lastmod (Django's own template writes dates only).
    return sitemap_views.sitemap(
        request, _sitemaps(request), section=section, template_name="news/sitemaps/sitemap.xml"
    )


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
