"""The plugin's Django settings, each with its default.

These are operational limits, set by whoever runs the site (settings module
or environment), not by editors: editors' switches are `MentionSettings`.
Values are read on every use, so `override_settings` works in tests.
"""

from django.conf import settings

from cms.outbound import ADDRESS_KINDS, Limits

DEFAULTS = {
    # Which kinds of address verification and sending may connect to:
    # "global" (the public internet) and/or "loopback" (this machine, for
    # tests and local development). Private, link-local, multicast, reserved
    # and unspecified addresses are always refused.
    "BYLINE_MENTIONS_ALLOWED_ADDRESSES": ("global",),
    # Limits of every outbound fetch (seconds, bytes, hops).
    "BYLINE_MENTIONS_CONNECT_TIMEOUT": 3.0,
    "BYLINE_MENTIONS_READ_TIMEOUT": 5.0,
    "BYLINE_MENTIONS_TOTAL_TIMEOUT": 10.0,
    "BYLINE_MENTIONS_MAX_BYTES": 1024 * 1024,
    "BYLINE_MENTIONS_MAX_REDIRECTS": 3,
    # Inbound requests allowed per client IP address and per source host:
    # (requests, window in seconds); None turns a limit off.
    "BYLINE_MENTIONS_RATE_LIMIT_PER_IP": (20, 3600),
    "BYLINE_MENTIONS_RATE_LIMIT_PER_SOURCE": (10, 3600),
    # Sending: attempts per target, and the first retry delay (seconds),
    # multiplied by four for each further retry (1, 4, 16 minutes).
    "BYLINE_MENTIONS_SEND_MAX_ATTEMPTS": 4,
    "BYLINE_MENTIONS_SEND_RETRY_DELAY": 60,
    "BYLINE_MENTIONS_MAX_TARGETS_PER_ARTICLE": 50,
    # At most this many webmentions may wait for verification (queued or being
    # verified) at once from one source host, and for one article; past either
    # the sender is answered 429, so a flood cannot grow the queue without end.
    # None turns a bound off.
    "BYLINE_MENTIONS_MAX_QUEUED_PER_SOURCE": 20,
    "BYLINE_MENTIONS_MAX_QUEUED_PER_TARGET": 100,
    # Finished received-mention log entries older than this many days are
    # deleted by the daily periodic job `mentions_prune_log`.
    "BYLINE_MENTIONS_LOG_DAYS": 90,
    "BYLINE_MENTIONS_USER_AGENT": "Byline-Mentions/1.0 (Pingback and Webmention)",
}

__all__ = ["ADDRESS_KINDS", "DEFAULTS", "fetch_limits", "get"]


def get(name):
    return getattr(settings, name, DEFAULTS[name])


def fetch_limits():
    """The limits of every fetch this plugin makes (cms.outbound), from the settings above."""
    return Limits.from_settings("BYLINE_MENTIONS", DEFAULTS)
