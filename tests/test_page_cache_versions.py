"""How the page cache checks an entry's surrogate-key versions (cms/page_cache/store.py):
a hit reads the entry and the generation only, whatever the number of objects it shows,
and still sees every purge made anywhere."""

import secrets
import time

import pytest
from django.core.cache import caches

from cms.page_cache import store

NAMES = [f"page:{n}" for n in range(90)]  # about what a listing of 20 articles records


@pytest.fixture
def cache():
    cache = caches[store.CACHE_ALIAS]
    cache.clear()
    yield cache
    cache.clear()


def stored(name_list, key="entry:test"):
    versions = store.versions_since(name_list, time.time())
    store.put_entry(key, {"body": b"x", "versions": versions}, 60, "https://x/", name_list)
    return key


def counting_reads(cache, monkeypatch):
    reads = []
    get, get_many = cache.get, cache.get_many
    monkeypatch.setattr(cache, "get", lambda key, *a, **k: reads.append(key) or get(key, *a, **k))
    monkeypatch.setattr(
        cache, "get_many", lambda keys, *a, **k: reads.extend(keys) or get_many(keys, *a, **k)
    )
    return reads


def test_a_hit_reads_two_keys_whatever_the_entry_shows(cache, monkeypatch):
    key = stored(NAMES)
    assert store.get_entry(key) is not None  # the first read learns the versions
    reads = counting_reads(cache, monkeypatch)
    assert store.get_entry(key) is not None
    assert reads == [key, store.GENERATION_KEY]


def test_a_purge_from_another_process_is_seen_by_the_next_read(cache):
    key = stored(NAMES)
    assert store.get_entry(key) is not None
    # What another process's purge writes: a new version, then a new generation.
    cache.set("v:page:7", (secrets.token_hex(8), time.time()), 600)
    cache.set(store.GENERATION_KEY, secrets.token_hex(8), None)
    assert store.get_entry(key) is None
    assert store.get_entry(stored(["page:200"], key="entry:other")) is not None


def test_a_version_made_again_after_expiring_is_read_again(cache):
    key = stored(NAMES)
    assert store.get_entry(key) is not None
    cache.delete("v:page:3")  # expired or evicted: no purge, no new generation
    again = stored(NAMES, key="entry:again")  # made with a new version of page:3
    assert store.get_entry(again) is not None
    assert store.get_entry(key) is None  # made with the old one


def test_without_a_generation_every_version_is_read(cache):
    key = stored(NAMES)
    assert store.get_entry(key) is not None
    cache.delete(store.GENERATION_KEY)
    cache.set("v:page:1", (secrets.token_hex(8), time.time()), 600)
    assert store.get_entry(key) is None
