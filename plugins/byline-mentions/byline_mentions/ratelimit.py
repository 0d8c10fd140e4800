"""Per-IP and per-source limits on inbound pingbacks and webmentions, in the shared cache.

Fixed windows counted with cache.add + cache.incr, which are atomic in
Redis and in the local-memory cache, so several app processes share one
count when they share a cache.
"""

import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.core.cache import cache

from . import conf


@dataclass(frozen=True)
class Limited:
    what: str  # "IP address" or "source"
    limit: int
    window: int
    retry_after: int

    def __str__(self):
        return (
            f"too many requests from this {self.what}: at most {self.limit} "
            f"in {self.window} seconds; try again in {self.retry_after} seconds"
        )


def _hit(kind, key, setting):
    rule = conf.get(setting)
    if not rule or not key:
        return None
    limit, window = int(rule[0]), max(1, int(rule[1]))
    now = time.time()
    bucket = int(now // window)
    cache_key = f"byline_mentions:rate:{kind}:{window}:{bucket}:{key}"
    cache.add(cache_key, 0, timeout=window + 5)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add() and incr()
        cache.add(cache_key, 1, timeout=window + 5)
        count = 1
    if count > limit:
        return Limited(
            "IP address" if kind == "ip" else "source",
            limit,
            window,
            max(1, int((bucket + 1) * window - now)),
        )
    return None


def source_key(source_url):
    try:
        return (urlsplit(source_url).hostname or "").lower()
    except ValueError:
        return ""


def check_rate_limits(client_ip, source_url):
    """Count one inbound request; a Limited if it goes over a limit, else None."""
    return _hit("ip", client_ip, "BYLINE_MENTIONS_RATE_LIMIT_PER_IP") or _hit(
        "source", source_key(source_url), "BYLINE_MENTIONS_RATE_LIMIT_PER_SOURCE"
    )
