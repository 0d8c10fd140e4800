"""Absolute URLs for machines: feeds, sitemaps and robots.txt.

Feed readers and crawlers need absolute addresses. They are built from the
Wagtail Site that serves the request (Settings > Sites in the admin), as
Wagtail's own `Page.get_full_url()` does, so a feed, a sitemap and a page's
canonical address always agree on the host.
"""

from urllib.parse import urljoin

from wagtail.models import Site


def site_root_url(request):
    """'https://news.example' for the request's Wagtail Site, without a trailing slash."""
    site = Site.find_for_request(request)
    if site is None:
        return request.build_absolute_uri("/").rstrip("/")
    return site.root_url


def absolute_url(request, url, *, root_url=None):
    """`url` (a path, or already absolute) made absolute against the site root."""
    root_url = root_url or site_root_url(request)
    return urljoin(root_url + "/", url)
