"""Abuse limits that are not about content (README "Hardening").

- ``client_ip``: the client's address behind proxies (``BYLINE_PROXY_COUNT``),
  the one address django-axes, the API token throttle and the comments' rate
  limit count by;
- ``count_hit``: fixed-window counters in the Django cache, which is per
  process with local memory and shared by every process through ``REDIS_URL``;
- the answer django-axes gives a locked-out admin sign-in;
- a per-address throttle of failed bearer tokens on every ``/api/v3/`` route,
  so nobody can try token after token.
"""

import ipaddress
import math
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.html import escape
from wagtail.api.v3.errors import problem_response

API_PREFIX = "/api/v3/"


def client_ip(request):
    """The client's address: REMOTE_ADDR, or the one the outermost trusted proxy saw.

    With N proxies (BYLINE_PROXY_COUNT) each appending the address it saw to
    X-Forwarded-For, the N-th entry from the right is the client's; anything
    further left was written by the client and proves nothing.
    """
    address = (request.META.get("REMOTE_ADDR") or "").strip()
    count = getattr(settings, "BYLINE_PROXY_COUNT", 0)
    if count > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= count:
            address = forwarded[-count]
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def _bucket(window, now):
    return int(now // window)


def _window_key(name, window, now):
    # One counter per name and window: created by add(), counted by incr(), both
    # atomic in Redis and in the local-memory cache, so no two hits read one count.
    return f"byline:hits:{name}:{window}:{_bucket(window, now)}"


def seconds_left(window, now=None):
    """Seconds until the current fixed window of ``window`` seconds ends (at least 1)."""
    now = time.time() if now is None else now
    return max(1, math.ceil((_bucket(window, now) + 1) * window - now))


def count_hit(name, window):
    """Count one more hit on ``name`` in the current ``window``-second window.

    Returns ``(hits so far, seconds until the window ends)``.
    """
    window = max(1, int(window))
    now = time.time()
    key = _window_key(name, window, now)
    cache.add(key, 0, timeout=window + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.add(key, 1, timeout=window + 5)
        count = 1
    return count, seconds_left(window, now)


def hits(name, window):
    """How many hits ``name`` has in the current window (without counting one)."""
    window = max(1, int(window))
    return cache.get(_window_key(name, window, time.time())) or 0


def axes_client_ip(request):
    """AXES_CLIENT_IP_CALLABLE: axes counts failures per (username, this address)."""
    return client_ip(request)


LOCKOUT_MESSAGE = (
    "Too many failed sign-in attempts for this account from your network. "
    "Signing in is locked for {minutes} minutes; please try again later "
    "or ask an administrator to unlock it."
)


def login_locked_out(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: a 429 page saying why and for how long, never cached."""
    minutes = max(1, math.ceil(settings.AXES_COOLOFF_TIME.total_seconds() / 60))
    message = LOCKOUT_MESSAGE.format(minutes=minutes)
    response = HttpResponse(
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        "<title>Sign-in locked</title></head><body><main><h1>Sign-in locked</h1>"
        f'<p role="alert">{escape(message)}</p></main></body></html>',
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
    response["Retry-After"] = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    response["Cache-Control"] = "private, no-store"
    return response


def _bearer_token(request):
    scheme, _, token = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def _window():
    return max(1, settings.BYLINE_API_TOKEN_FAILURE_WINDOW)


def _token_failed(request, response, token):
    """Whether the request's bearer token was refused.

    Ninja sets ``request.auth`` to the APIToken when the token is good; an
    endpoint that also allows anonymous reads sets it to the anonymous user,
    and one that requires a token answers 401. Endpoints that do not
    authenticate (the OpenAPI document, site data, comments) set nothing: the
    token is looked up here, so every route counts a bad one alike.
    """
    from wagtail.models import APIToken

    if response.status_code == 401:
        return True
    if hasattr(request, "auth"):
        return not isinstance(request.auth, APIToken)
    return not APIToken.objects.filter(
        key_hash__in=APIToken.candidate_key_hashes(token),
        revoked_at__isnull=True,
        user__is_active=True,
    ).exists()


class ApiTokenThrottleMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.BYLINE_API_TOKEN_FAILURE_LIMIT
        token = _bearer_token(request)
        if not limit or not request.path_info.startswith(API_PREFIX) or not token:
            return self.get_response(request)
        address = client_ip(request)
        if address is None:
            return self.get_response(request)
        name = f"api-token-failures:{address}"
        if hits(name, _window()) >= limit:
            retry_after = seconds_left(_window())
            response = problem_response(
                status=429,
                detail="Too many requests with an invalid API token from this address; "
                f"try again in {retry_after} seconds.",
            )
            response["Retry-After"] = str(retry_after)
            return response
        response = self.get_response(request)
        if _token_failed(request, response, token):
            count_hit(name, _window())
        return response
