"""Per-IP and per-source limits on inbound pingbacks and webmentions, in the shared cache.

Counted by core's fixed-window counter (cms.abuse.count_hit): atomic in Redis and
in the local-memory cache, so several app processes share one count when they
share a cache. The address is core's client_ip, which honours BYLINE_PROXY_COUNT.
"""

from dataclasses import dataclass
from urllib.parse import urlsplit

from cms.abuse import count_hit

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
    count, retry_after = count_hit(f"mentions:{kind}:{key}", window)
    if count > limit:
        return Limited("IP address" if kind == "ip" else "source", limit, window, retry_after)
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
