"""The plugin's Django settings, each with its default.

Operational limits, set by whoever runs the site (settings module), not by
editors: editors manage endpoints in the admin. Values are read on every
use, so `override_settings` works in tests.
"""

from django.conf import settings

from cms.outbound import Limits

DEFAULTS = {
    # Which kinds of address deliveries may connect to: "global" (the public
    # internet) and/or "loopback" (this machine: tests, local development).
    # Private, link-local, multicast, reserved and unspecified addresses are
    # always refused, when an endpoint is saved and again at every delivery.
    "BYLINE_WEBHOOKS_ALLOWED_ADDRESSES": ("global",),
    # Limits of each delivery attempt (seconds): a receiver that is slow to
    # answer counts as a network error and is retried.
    "BYLINE_WEBHOOKS_CONNECT_TIMEOUT": 3.0,
    "BYLINE_WEBHOOKS_READ_TIMEOUT": 5.0,
    "BYLINE_WEBHOOKS_TOTAL_TIMEOUT": 10.0,
    # How much of a receiver's answer is read and kept for the delivery log.
    "BYLINE_WEBHOOKS_MAX_BYTES": 4096,
    "BYLINE_WEBHOOKS_USER_AGENT": "Byline-Webhooks/1.0 (Standard Webhooks)",
    # Seconds to wait before each retry: a delivery is attempted once, then
    # once more after each delay (5 attempts in all with the default
    # 1, 5, 25 and 120 minutes), then it has failed.
    "BYLINE_WEBHOOKS_RETRY_DELAYS": (60, 300, 1500, 7200),
    # Finished deliveries (delivered or failed) older than this many days are
    # deleted by the daily periodic job `webhooks_prune_log`.
    "BYLINE_WEBHOOKS_LOG_DAYS": 30,
    # After a secret is rotated, deliveries are signed with the old secret too
    # for this many seconds, so receivers can switch without losing a delivery.
    "BYLINE_WEBHOOKS_ROTATION_OVERLAP": 24 * 3600,
}


def get(name):
    return getattr(settings, name, DEFAULTS[name])


def fetch_limits():
    """The limits of every delivery (cms.outbound), from the settings above."""
    # Deliveries never follow redirects (see delivery.py); the body limit is what is kept.
    return Limits.from_settings("BYLINE_WEBHOOKS", {**DEFAULTS, "BYLINE_WEBHOOKS_MAX_REDIRECTS": 0})


def retry_delays():
    return tuple(get("BYLINE_WEBHOOKS_RETRY_DELAYS"))


def max_attempts():
    """The first attempt and one per retry delay."""
    return len(retry_delays()) + 1
