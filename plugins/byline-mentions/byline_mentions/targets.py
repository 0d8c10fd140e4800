"""Which of our articles a mention's target URL means, and whether it may be mentioned.

Targets are resolved from the database alone (no request to ourselves): the
URL's host must be one of our sites' host names, the public address
(BYLINE_BASE_URL, where article URLs point) or a host this server answers for
(ALLOWED_HOSTS), the last two served by the default site; its path must be a
live, public article's path on that site, or an old path that Wagtail's
redirects (wagtail.contrib.redirects) send to such an article. Changing an
article's slug or section leaves such a redirect behind, and pages that linked
to the old address keep linking there: their mentions still reach the article.
"""

from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.http.request import validate_host
from django.utils.encoding import uri_to_iri
from wagtail.models import Site

from cms.public_address import public_origin

from .checks import comments_available
from .models import MentionSettings


def site_for_host(hostname, port):
    """The Site serving `hostname:port`, or None if the host is not ours."""
    hostname = (hostname or "").lower().rstrip(".")
    sites = [
        site
        for site in Site.objects.select_related("root_page")
        if site.hostname.lower() == hostname
    ]
    for site in sites:
        if site.port == port:
            return site
    if len(sites) == 1:
        return sites[0]
    if sites:
        return next((site for site in sites if site.is_default_site), sites[0])
    if (hostname, port) == public_origin() or validate_host(hostname, settings.ALLOWED_HOSTS):
        return Site.objects.filter(is_default_site=True).select_related("root_page").first()
    return None


def resolve_article(url, *, follow_redirects=True):
    """The ArticlePage that `url` addresses if readers may see it now, or None.

    An address the site redirects (an article's old slug or section) means
    the article it redirects to, one redirect deep, as a reader following it
    would see it.
    """
    from news.models import ArticlePage

    try:
        parts = urlsplit(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    site = site_for_host(parts.hostname, port)
    if site is None:
        return None
    path = unquote(parts.path or "/").lstrip("/")
    if path and not path.endswith("/"):
        path += "/"
    url_path = site.root_page.url_path + path
    article = ArticlePage.objects.visible().filter(url_path=url_path).first()
    if article is None and follow_redirects:
        article = _redirected_article(url, parts, site)
    return article


def _redirected_article(url, parts, site):
    """The article a Wagtail redirect of this URL's path leads to, as the redirects
    middleware would find it (with the query string, then without; a
    site-specific redirect before one for every site), or None."""
    from wagtail.contrib.redirects.models import Redirect

    from news.models import ArticlePage

    full_path = parts.path + (f"?{parts.query}" if parts.query else "")
    candidates = []
    for path in (full_path, parts.path or "/"):
        normalised = Redirect.normalise_path(path, decode_unicode=False)
        candidates += [uri_to_iri(normalised), normalised]
    candidates = [path for path in dict.fromkeys(candidates) if "\0" not in path]
    redirects = Redirect.get_for_site(site).filter(old_path__in=candidates)
    found = sorted(redirects, key=lambda r: (candidates.index(r.old_path), r.site_id is None))
    if not found:
        return None
    redirect = found[0]
    if redirect.redirect_page_id:
        return ArticlePage.objects.visible().filter(pk=redirect.redirect_page_id).first()
    if redirect.redirect_link:
        # A redirect an editor typed as an address: resolved like the target
        # itself (our hosts only, no fetch), but not followed any further.
        return resolve_article(urljoin(url, redirect.redirect_link), follow_redirects=False)
    return None


def refusal(article, protocol):
    """Why `article` cannot take a mention by `protocol` now, or "" if it can."""
    if not comments_available():
        return "this site does not store mentions (its comments plugin is off)"
    site = article.get_site()
    if site is not None and not MentionSettings.for_site(site).receives(protocol):
        return f"this site does not accept {protocol}s"
    from byline_comments.services import comments_open
    from byline_comments.submission import settings_for

    openness = comments_open(article, settings_for(article))
    if not openness.open:
        return "comments on this article are closed"
    return ""
