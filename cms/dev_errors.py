"""The site's own 404 and 500 pages under `make run` (DEBUG on), as in production.

With DEBUG on, Django answers a missing page with its debug page, which lists
every URL pattern, and an error with a traceback page. `make run` is where
people first see the site, so the development settings add this middleware:
readers' 404 and 500 pages look as they will in production, and the debug
pages are there when asked for, with `?debug` on the address or
`BYLINE_DEBUG_PAGES=1` in the environment. Errors are still logged with
their traceback on the console.
"""

import logging
import os

from django.conf import settings
from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.http import Http404
from django.http.multipartparser import MultiPartParserError
from django.views.defaults import page_not_found

from .resilience import server_error_handler

logger = logging.getLogger("django.request")

# Exceptions Django answers with a 4xx of its own, never a 500.
CLIENT_ERRORS = (Http404, PermissionDenied, BadRequest, SuspiciousOperation, MultiPartParserError)


def debug_pages_wanted(request):
    if os.environ.get("BYLINE_DEBUG_PAGES", "").strip().lower() in ("1", "true", "yes", "on"):
        return True
    return "debug" in request.GET


class DesignedErrorPagesMiddleware:
    """Serve 404.html and the 500 page while DEBUG is on, unless debug pages are wanted."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # No URL pattern matched: Django made its debug 404 before any view ran.
        if (
            settings.DEBUG
            and response.status_code == 404
            and getattr(request, "resolver_match", None) is None
            and not debug_pages_wanted(request)
        ):
            return page_not_found(request, Http404())
        return response

    def process_exception(self, request, exception):
        if not settings.DEBUG or debug_pages_wanted(request):
            return None
        if isinstance(exception, Http404):
            return page_not_found(request, exception)
        if isinstance(exception, CLIENT_ERRORS):
            return None
        logger.error(
            "Internal Server Error: %s (the debug page: add ?debug to the address)",
            request.path,
            exc_info=exception,
        )
        return server_error_handler(request)
