"""Abuse limits that are not about content (README "Hardening").

- the client's address behind proxies (``BYLINE_PROXY_COUNT``), for django-axes
  and for the API token throttle;
- the answer django-axes gives a locked-out admin sign-in;
- a per-address throttle of failed bearer tokens on ``/api/v3/``, so nobody can
  try token after token: counted in the Django cache, which is per process with
  local memory and shared by every process through ``REDIS_URL``.
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


def _failure_key(address):
    # Fixed windows: one counter per address and window, created by add() and
    # counted by incr(), both atomic in Redis and in the local-memory cache.
    bucket = int(time.time() // _window())
    return f"byline:api-token-failures:{address}:{_window()}:{bucket}"


def _retry_after():
    return max(1, math.ceil(_window() - time.time() % _window()))


def _token_failed(request, response):
    """Whether the request's bearer token was refused.

    Ninja sets ``request.auth`` to the APIToken when the token is good; an
    endpoint that also allows anonymous reads sets it to the anonymous user,
    and one that requires a token answers 401. Endpoints without auth (the
    OpenAPI document) set nothing and count nothing.
    """
    from wagtail.models import APIToken

    if response.status_code == 401:
        return True
    if not hasattr(request, "auth"):
        return False
    return not isinstance(request.auth, APIToken)


class ApiTokenThrottleMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.BYLINE_API_TOKEN_FAILURE_LIMIT
        if not limit or not request.path_info.startswith(API_PREFIX) or not _bearer_token(request):
            return self.get_response(request)
        address = client_ip(request)
        if address is None:
            return self.get_response(request)
        key = _failure_key(address)
        if (cache.get(key) or 0) >= limit:
            response = problem_response(
                status=429,
                detail="Too many requests with an invalid API token from this address; "
                f"try again in {_retry_after()} seconds.",
            )
            response["Retry-After"] = str(_retry_after())
            return response
        response = self.get_response(request)
        if _token_failed(request, response):
            cache.add(key, 0, timeout=_window() + 5)
            try:
                cache.incr(key)
            except ValueError:  # expired between add() and incr()
                cache.add(key, 1, timeout=_window() + 5)
        return response
