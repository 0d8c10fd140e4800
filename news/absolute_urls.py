"""Absolute URLs for machines: feeds, sitemaps and robots.txt.

Feed readers and crawlers need absolute addresses. They start with the
public address (`cms.public_address`, the BYLINE_BASE_URL setting), like page
URLs do, so a feed, a sitemap and a page's canonical address always agree on
scheme, host and port.
"""

from urllib.parse import urljoin

from cms.public_address import request_root_url


def site_root_url(request):
    """'https://news.example' for the site serving the request, without a trailing slash."""
    return request_root_url(request)


def absolute_url(request, url, *, root_url=None):
    """`url` (a path, or already absolute) made absolute against the site root."""
    root_url = root_url or site_root_url(request)
    return urljoin(root_url + "/", url)
