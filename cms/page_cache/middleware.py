"""Serve anonymous readers' GETs from the page cache; store what may be shared.

Never served from the cache nor stored in it (``X-Byline-Cache: bypass``):
anything but GET/HEAD (form posts and the pages they re-render), the admin,
health probes, requests with a session or messages cookie (signed-in editors,
readers who unlocked a password-protected page) or an ``Authorization``
header, and previews (a ``preview_token``, ``/api/*/preview/``).

Not stored (``miss`` every time): answers other than a 200, streamed ones,
answers that set a cookie, are ``private`` or ``no-store`` (cms.http_cache
marks the personal ones so), used the CSRF token, vary on a header the key
does not hold, or are very large.

Sits outside gzip (an entry is kept compressed or not, as asked) and outside
cms.http_cache, whose ETag and Last-Modified it stores with the answer: a hit
whose validators match the request's is answered 304 without rendering.
"""

import math
import re
import time

from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import cc_delim_re
from django.utils.http import parse_http_date_safe

from cms import http_cache

from . import keys, recording, store

HEADER = "X-Byline-Cache"
BYPASS_PREFIXES = ("/admin/", "/django-admin/", "/health/", "/static/", "/media/", "/documents/")
_PREVIEW_PATH = re.compile(r"^/api/v\d+/preview/")
_PREVIEW_PARAMETER = re.compile(r"(^|&)preview_token=")
# Headers an entry's key holds (Accept only under keys.ACCEPT_PREFIXES); an answer
# that varies on any other is not stored. Cookie: only anonymous requests come here.
_KEYED_VARY = {"accept-encoding", "cookie"}
_NOT_KEPT_HEADERS = {"set-cookie", HEADER.lower()}
MAX_BODY = 5 * 1024 * 1024
# django.contrib.messages keeps messages for the next page in this cookie.
_MESSAGES_COOKIE = "messages"


def bypasses(request):
    """Whether an answer to `request` may be personal: never from or into the cache."""
    return (
        request.path.startswith(BYPASS_PREFIXES)
        or http_cache._personal_request(request)
        or _MESSAGES_COOKIE in request.COOKIES
        or bool(_PREVIEW_PATH.match(request.path))
        or bool(_PREVIEW_PARAMETER.search(request.META.get("QUERY_STRING", "")))
    )


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not store.enabled() or bypasses(request):
            response = self.get_response(request)
            response.headers[HEADER] = "bypass"
            return response
        key = keys.entry_key(request)
        entry = store.get_entry(key)
        if entry is not None:
            return _answer_from(request, entry)
        started = time.time()
        token = recording.start()
        try:
            response = self.get_response(request)
        finally:
            record = recording.stop(token)
        if _storable(request, response):
            names = record.names | keys.url_keys(request, response)
            names.add(keys.request_site_key(request))
            versions = store.versions_since(sorted(names), started)
            if versions is not None:
                url = http_cache.public_request_url(request)
                entry = _entry(response, versions)
                store.put_entry(key, entry, _lifetime(names, record.soonest), url, names)
        response.headers[HEADER] = "miss"
        return response


def _storable(request, response):
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if request.META.get("CSRF_COOKIE_USED") or len(response.content) > MAX_BODY:
        return False
    cache_control = response.get("Cache-Control", "")
    if "private" in cache_control or "no-store" in cache_control:
        return False
    allowed = _KEYED_VARY | ({"accept"} if request.path.startswith(keys.ACCEPT_PREFIXES) else set())
    varies = {name.strip().lower() for name in cc_delim_re.split(response.get("Vary", ""))}
    return varies - {""} <= allowed


def _entry(response, versions):
    headers = [
        (name, value)
        for name, value in response.headers.items()
        if name.lower() not in _NOT_KEPT_HEADERS
    ]
    return {
        "status": response.status_code,
        "headers": headers,
        "content": response.content,
        "versions": versions,
    }


def _lifetime(names, soonest):
    """The staleness bound, or less when what is shown changes sooner with no event:
    a page it loaded goes live or expires, or for a listing, any article does."""
    upcoming = [soonest]
    if any(keys.is_listing(name) for name in names):
        upcoming.append(http_cache.next_visibility_change())
    lifetime = store.max_age()
    for moment in upcoming:
        if moment is not None:
            lifetime = min(lifetime, max(1, math.ceil(moment - time.time())))
    return lifetime


def _answer_from(request, entry):
    response = HttpResponse(entry["content"], status=entry["status"])
    for name, value in entry["headers"]:
        response.headers[name] = value
    last_modified = parse_http_date_safe(response.get("Last-Modified") or "")
    etag = response.get("ETag")
    if etag and last_modified is not None:
        not_modified = http_cache.not_modified_answer(
            request, response, etag, last_modified, timezone.now()
        )
        if not_modified is not None:
            response = not_modified
    response.headers[HEADER] = "hit"
    return response
