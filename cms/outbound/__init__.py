"""Requests to other servers, made safely: the address guard and the fetch with hard limits.

Every feature that talks to other hosts (pingbacks and webmentions,
webhooks) uses `fetch` with its own `Limits`, so none of them can be turned
against this server's own network and none can hang a worker:

    from cms.outbound import FetchError, AddressRefused, Limits, fetch

    limits = Limits.from_settings("BYLINE_MYFEATURE")  # BYLINE_MYFEATURE_ALLOWED_ADDRESSES, ...
    result = fetch("https://example.com/", limits=limits)

See `fetching.py` for what a fetch guarantees and `guard.py` for which
addresses are refused.
"""

from .fetching import (
    AddressRefused,
    FetchError,
    FetchResult,
    check_destination,
    check_url,
    fetch,
    media_type,
)
from .guard import address_kind
from .limits import ADDRESS_KINDS, Limits

__all__ = [
    "ADDRESS_KINDS",
    "AddressRefused",
    "FetchError",
    "FetchResult",
    "Limits",
    "address_kind",
    "check_destination",
    "check_url",
    "fetch",
    "media_type",
]
