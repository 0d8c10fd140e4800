"""A page cache for anonymous readers, with exact invalidation (README "Page cache").

Whole answers (HTML pages, API v2 and v3 GETs, feeds, sitemaps, search) are
kept in Django's "pages" cache, keyed by method, host, path, the normalised
query string, the content encoding and, for the API, the Accept header. While
an answer renders, the objects it shows are recorded as *surrogate keys*
(``page:12``, ``author:3``, ``image:7``, ``listing:section:4``, ``home``, ...;
see ``keys.py``); every key has a version in the cache, and an entry is served
only while the versions it was stored with are current. A change bumps the
versions of exactly the keys that show it (``invalidation.py``), on every
process sharing the cache, and queues a purge of the same URLs on a CDN.

Public interface for other apps:

- ``record(request, *keys)``: this answer also shows what `keys` name;
- ``purge(*keys)``: everything that recorded any of `keys` is stale now;
- ``enabled()``: whether the cache is switched on (BYLINE_PAGE_CACHE).
"""

from .recording import record
from .store import enabled, purge

__all__ = ["enabled", "purge", "record"]
