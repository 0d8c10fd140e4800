"""The cache's contents: entries, the versions of surrogate keys, and who recorded them.

- ``entry:<hash>`` holds one answer (status, headers, body), the versions of
  the keys it recorded when it was made, and its public URL.
- ``v:<key>`` holds a key's version, a random token with the time it was set.
  ``purge`` gives each key a new one, which makes every entry stored with the
  old one stale: one write per key, whatever the number of entries, and every
  process sharing the cache sees it. A missing version (never set, evicted or
  expired) counts as changed, so losing one costs a miss, never a stale answer.
- ``m:<key>`` lists the public URLs of entries that recorded the key, for
  purging the same URLs on a CDN.

Entries live at most BYLINE_PAGE_CACHE_MAX_AGE seconds (the staleness bound),
less when what they show is scheduled to change sooner.

Checking an entry's versions would read one cache key per object it shows (a listing
of 20 articles records about 90: one file each in the file cache). Every purge also
sets ``generation`` to a new random token, after the versions it changes; each process
remembers the versions it has read while the generation stays the same
(``current_versions``), so a hit reads two keys, the entry and the generation (read once
per reader request: ``one_generation_per_request``), and a purge in any process is seen by
the next request in every other. A version that reads
differently from the one remembered (one that expired and was made again) is read again
before an entry is called stale.
"""

import contextlib
import contextvars
import secrets
import time

from django.conf import settings
from django.core.cache import caches
from django.db import transaction

CACHE_ALIAS = "pages"
# A URL list per key is for purging a CDN; past this many URLs the oldest go.
MAX_MEMBERS = 500
# How long a key's URL list is kept: a CDN may hold an answer this long.
MEMBERS_FOR = 24 * 3600


def enabled():
    return settings.BYLINE_PAGE_CACHE


def max_age():
    return settings.BYLINE_PAGE_CACHE_MAX_AGE


def _cache():
    return caches[CACHE_ALIAS]


def _version_timeout():
    # Longer than any entry lives, so a version only expires after its entries.
    return 2 * max_age() + 60


def get_entry(key):
    """The stored entry for `key` if every key it recorded still has its version."""
    entry = _cache().get(key)
    if entry is None:
        return None
    return entry if still_current(entry["versions"]) else None


GENERATION_KEY = "generation"
# Versions a process remembers before it starts afresh (a few MB at most).
_MEMO_LIMIT = 100_000
# (generation, {name: version}): replaced whole, so a thread never mixes two generations.
_memo = (None, {})


def still_current(versions):
    """Whether every surrogate key in `versions` ({name: version}) still has that version."""
    return still_current_many([versions])[0]


def still_current_many(versions_list):
    """``still_current`` for several entries' versions, reading the cache once for all."""
    names = {name for versions in versions_list for name in versions}
    if not names:
        return [True] * len(versions_list)
    current = current_versions(names)
    stale = {
        name
        for versions in versions_list
        for name, version in versions.items()
        if current.get(name) != version
    }
    if stale:
        # Remembered values may be older than the cache's (a version that expired and was
        # made again): read those again before calling an entry stale.
        current.update(current_versions(stale, fresh=True))
    return [
        all(current.get(name) == version for name, version in versions.items())
        for versions in versions_list
    ]


def current_versions(names, *, fresh=False):
    """{name: version} of the surrogate keys `names` that have one, reading from the cache
    only what this process has not read since the last purge anywhere (or all, `fresh`)."""
    global _memo
    cache = _cache()
    generation = _generation(cache)
    remembered_at, known = _memo
    if generation is None or generation != remembered_at or len(known) > _MEMO_LIMIT:
        known = {}
        # Without a generation (a cache that keeps nothing) nothing is remembered.
        _memo = (generation, known) if generation is not None else (None, {})
    wanted = list(names) if fresh else [name for name in names if name not in known]
    if wanted:
        found = cache.get_many([f"v:{name}" for name in wanted])
        for name in wanted:
            version = found.get(f"v:{name}")
            if version is None:
                known.pop(name, None)
            else:
                known[name] = version
    return {name: known[name] for name in names if name in known}


# Inside one reader request (``one_generation_per_request``) the generation is read once:
# a page of 25 kept cards checks their versions 25 times. A purge in this process forgets
# it at once; one in another process is seen from the next request on, as the request had
# begun before it.
_request_generation = contextvars.ContextVar("byline_request_generation", default=None)


@contextlib.contextmanager
def one_generation_per_request():
    token = _request_generation.set({})
    try:
        yield
    finally:
        _request_generation.reset(token)


def _generation(cache):
    scope = _request_generation.get()
    generation = scope.get("generation") if scope is not None else None
    if generation is None:
        generation = cache.get(GENERATION_KEY)
        if generation is None:
            cache.add(GENERATION_KEY, secrets.token_hex(8), None)
            generation = cache.get(GENERATION_KEY)
        if scope is not None and generation is not None:
            scope["generation"] = generation
    return generation


def versions_since(names, started):
    """The current versions of `names` (made where missing), or None if any of them
    changed after `started`: the answer may show data from before that change."""
    cache = _cache()
    version_keys = [f"v:{name}" for name in names]
    current = cache.get_many(version_keys)
    for version_key in version_keys:
        if version_key not in current:
            cache.add(version_key, (secrets.token_hex(8), 0.0), _version_timeout())
    missing = [key for key in version_keys if key not in current]
    if missing:
        current.update(cache.get_many(missing))
    if len(current) < len(version_keys):
        return None  # the cache would not keep them: nothing to store against
    if any(version[1] > started for version in current.values()):
        return None
    return {key[2:]: value for key, value in current.items()}


def put_entry(key, entry, timeout, url, names):
    cache = _cache()
    cache.set(key, entry, timeout)
    member_keys = [f"m:{name}" for name in names]
    members = cache.get_many(member_keys)
    changed = {}
    for member_key in member_keys:
        urls = members.get(member_key) or []
        if url not in urls:
            changed[member_key] = [*urls, url][-MAX_MEMBERS:]
    if changed:
        cache.set_many(changed, MEMBERS_FOR)


def _changed_version():
    # Dated: an answer whose rendering began before the change is not stored against it.
    return (secrets.token_hex(8), time.time())


def purge(*names):
    """Make every entry that recorded any of `names` stale, now and again when the
    current transaction commits (an answer made in between may show the old data).
    Returns the public URLs of those entries (for the CDN)."""
    names = {name for name in names if name}
    if not names:
        return []
    cache = _cache()
    member_keys = [f"m:{name}" for name in names]
    members = cache.get_many(member_keys)
    cache.delete_many(member_keys)
    _bump(names)
    transaction.on_commit(lambda: _bump(names))
    return sorted({url for urls in members.values() for url in urls})


def _bump(names):
    scope = _request_generation.get()
    if scope is not None:
        scope.clear()
    cache = _cache()
    cache.set_many({f"v:{name}": _changed_version() for name in names}, _version_timeout())
    # After the versions: a process that reads the new generation reads the new versions.
    cache.set(GENERATION_KEY, secrets.token_hex(8), None)


def clear():
    _cache().clear()
