"""This plugin's outbound requests: Byline's guarded fetch (`cms.outbound`) with its own limits.

Verifying a source, discovering a target's endpoints and notifying an
endpoint all go through `fetch` here, which is `cms.outbound.fetch` with
the limits of the BYLINE_MENTIONS_* settings (allowed addresses, timeouts,
size, redirects, User-Agent), read on every call so `override_settings`
works. `cms/outbound/` documents what a fetch guarantees.
"""

from cms.outbound import AddressRefused, FetchError, FetchResult, media_type
from cms.outbound import fetch as guarded_fetch

from . import conf

__all__ = ["AddressRefused", "FetchError", "FetchResult", "fetch", "media_type"]


def fetch(url, **options):
    """`cms.outbound.fetch(url, **options)` within the BYLINE_MENTIONS_* limits."""
    return guarded_fetch(url, limits=conf.fetch_limits(), **options)
