"""The site's public address: where every absolute URL Byline emits starts.

Feeds, sitemaps, robots.txt, canonical and social tags, JSON-LD, API URLs,
moderators' e-mails and the demo admin link all need scheme, host and port.
They take them from here, and here from the BYLINE_BASE_URL setting, never
from the Wagtail Site record: that record's hostname and port route requests,
and a copy of the address kept there went stale whenever the server moved
(`make run PORT=8123` still linked to :8000).

Multi-site installs keep their other sites' own addresses: only the default
Site (and requests no Site matches) use BYLINE_BASE_URL.
"""

from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.core import checks
from django.core.cache import cache
from django.core.signals import setting_changed
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Site

EXAMPLE = "https://news.example.com"
DEFAULT_SITE_CACHE_KEY = "byline_default_site_id"
# As long as Wagtail keeps its site root paths; saving or deleting a Site clears it.
DEFAULT_SITE_CACHE_SECONDS = 3600


def base_url():
    """BYLINE_BASE_URL without a trailing slash: 'https://news.example.com'."""
    return settings.BYLINE_BASE_URL.rstrip("/")


def public_root_url(site=None):
    """The root URL (no trailing slash) of `site`'s public pages.

    BYLINE_BASE_URL for the default site and for None (a request no Site
    matches is served by the default site); a multi-site install's other
    sites keep the address in their Site record.
    """
    if site is None or site.is_default_site:
        return base_url()
    return site.root_url


def public_url(path, site=None):
    """`path` (site-relative, or already absolute, e.g. media on a CDN) made absolute."""
    return urljoin(public_root_url(site) + "/", path)


def public_origin():
    """(host name, port) of the public address, as Site records hold them."""
    parts = urlsplit(base_url())
    return (parts.hostname or "").lower(), parts.port or (443 if parts.scheme == "https" else 80)


def request_root_url(request):
    """The public root URL for the site serving `request`."""
    return public_root_url(Site.find_for_request(request))


def default_site_id(cache_object=None):
    """The default Site's id (0 if there is none), cached like Wagtail's site root paths.

    Page URLs are built from Wagtail's cached (site id, root URL) pairs, which
    do not say which site is the default; asking the database for every URL
    would add a query per link, so the answer is kept in the cache and on
    `cache_object` (the request, or the page) for repeated links.
    """
    try:
        return cache_object._byline_default_site_id
    except AttributeError:
        pass
    site_id = cache.get(DEFAULT_SITE_CACHE_KEY)
    if site_id is None:
        site_id = (
            Site.objects.filter(is_default_site=True).values_list("pk", flat=True).first() or 0
        )
        cache.set(DEFAULT_SITE_CACHE_KEY, site_id, DEFAULT_SITE_CACHE_SECONDS)
    if cache_object is not None:
        cache_object._byline_default_site_id = site_id
    return site_id


@receiver(post_save, sender=Site)
@receiver(post_delete, sender=Site)
def _forget_default_site(**kwargs):
    cache.delete(DEFAULT_SITE_CACHE_KEY)


def _on_public_address(url_parts, cache_object):
    """Wagtail's `(site_id, root_url, page_path)` with the default site's root swapped."""
    if url_parts is None or url_parts[1] is None:
        return url_parts
    site_id, root_url, page_path = url_parts
    if site_id == default_site_id(cache_object):
        root_url = base_url()
    return site_id, root_url, page_path


class PublicAddressPageMixin:
    """Page URLs (`full_url`, `get_full_url`, `url` across sites, sitemaps) on the public address.

    Wagtail builds them from the Site record's hostname and port; this swaps
    in BYLINE_BASE_URL for the default site, keeping Wagtail's routing (site
    id and path) as it is. Generic `Page` instances (e.g. `get_parent()`) do
    not have it: see `public_page_url` and `own_type`.
    """

    def get_url_parts(self, request=None):
        parts = super().get_url_parts(request=request)
        return _on_public_address(parts, request if request is not None else self)


def public_page_url(page, request=None):
    """The full URL of any page, a generic `Page` too, on the public address (None if
    the page is not routable)."""
    parts = page.get_url_parts(request=request)
    parts = _on_public_address(parts, request if request is not None else page)
    if parts is None or parts[2] is None:
        return None
    return parts[1] + parts[2]


def own_type(page):
    """`page` as an instance of its own page type, so its URLs follow the public address.

    For a single generic `Page` handed to Wagtail code that asks it for URLs
    (the APIs' `parent` fields). Costs no query: the instance is made from the
    fields already loaded; a page type's own fields, and related objects a
    queryset selected, load again if read.
    """
    return page.specific_deferred if page is not None else None


@receiver(setting_changed)
def _follow_base_url(*, setting, value, enter, **kwargs):
    """Keep Wagtail's two copies of the address in step when a test overrides it.

    Wagtail reads WAGTAILADMIN_BASE_URL (admin links in its e-mails) and
    WAGTAILAPI_BASE_URL (the APIs' detail_url and `find` redirects); the
    settings derive both from BYLINE_BASE_URL when they load, and override_settings
    (the only sender of this signal) would otherwise change BYLINE_BASE_URL alone.
    The values land in the override's own layer, so leaving it restores them.
    """
    if setting == "BYLINE_BASE_URL" and enter and value is not None:
        settings.WAGTAILADMIN_BASE_URL = value
        settings.WAGTAILAPI_BASE_URL = value


# System checks ---------------------------------------------------------------------


def address_problem(value):
    """Why `value` cannot be the public address, or "" if it can."""
    if not isinstance(value, str) or not value.strip():
        return "is empty"
    try:
        parts = urlsplit(value.strip())
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError as error:
        return f"is not a URL ({error})"
    if parts.scheme not in ("http", "https"):
        return "must start with http:// or https://"
    if not parts.hostname:
        return "has no host name"
    if parts.username is not None or parts.password is not None:
        return "must not contain a user name or password"
    if parts.path.strip("/") or parts.query or parts.fragment:
        # Byline is served from the root of its host; Wagtail's API drops any path.
        return "must be only scheme, host and port (no path, query or fragment)"
    return ""


@checks.register()
def check_public_address(app_configs, **kwargs):
    """byline.E001: BYLINE_BASE_URL is malformed; byline.E002: not https in production;
    byline.W001: a Wagtail copy of the address was set to something else."""
    value = getattr(settings, "BYLINE_BASE_URL", None)
    problem = address_problem(value)
    if problem:
        return [
            checks.Error(
                f"BYLINE_BASE_URL {problem}: {value!r}.",
                hint="Set the BYLINE_BASE_URL environment variable to the address readers "
                f"use, scheme and host (and port) only, e.g. BYLINE_BASE_URL={EXAMPLE}.",
                id="byline.E001",
            )
        ]
    errors = []
    production = getattr(settings, "BYLINE_REQUIRE_HTTPS_BASE_URL", False) and not settings.DEBUG
    if production and urlsplit(value.strip()).scheme != "https":
        errors.append(
            checks.Error(
                f"BYLINE_BASE_URL is {value!r}; in production every feed, sitemap, canonical "
                "link and API URL must point at the site's https address.",
                hint="Set the BYLINE_BASE_URL environment variable to the public https "
                f"address, e.g. BYLINE_BASE_URL={EXAMPLE}.",
                id="byline.E002",
            )
        )
    for name in ("WAGTAILADMIN_BASE_URL", "WAGTAILAPI_BASE_URL"):
        other = getattr(settings, name, None)
        if other is not None and str(other).rstrip("/") != value.strip().rstrip("/"):
            errors.append(
                checks.Warning(
                    f"{name} is {other!r} but BYLINE_BASE_URL is {value!r}: Wagtail's "
                    "admin e-mails or API URLs would point somewhere else than the site's.",
                    hint=f"Remove {name} from your settings; it follows BYLINE_BASE_URL.",
                    id="byline.W001",
                )
            )
    return errors
