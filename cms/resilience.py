"""Clear answers when a resource runs out, instead of a bare 500.

- A full disk or exceeded quota (``OSError`` with ``ENOSPC`` or ``EDQUOT``),
  typically while an image upload is written, answers **507 Insufficient
  Storage**. The storage removes what it had written (``cms.storage``), and
  the row is never inserted, because a file field writes its file before the
  row's INSERT.
- A database that is locked by another writer (SQLite's "database is locked"
  after the busy timeout) or unreachable (``InterfaceError``, or an
  ``OperationalError`` that is not about the statement itself) answers
  **503 Service Unavailable** with ``Retry-After``: the request was fine and
  will work again, so clients and load balancers should retry, not give up.

Each comes in the format the client reads: ``application/problem+json`` on
API v3, JSON on the other API paths and for the admin's JavaScript (the
multi-uploader reads JSON), the admin's own design for admin pages, and a
self-contained page for readers (no database, template context or static
files: those may be what failed).

A request Django refuses before any view (``handler400``: a Host header the site does
not serve) gets its 400 in the API's format on API paths too.

Wired in as ``handler500`` (``cms/urls.py``): Django calls it for every
unhandled exception, whether raised by a view or a middleware (a middleware's
error never reaches another middleware's ``process_exception``), with the
exception still in ``sys.exc_info()``. Anything else gets the usual 500 page.
Django still logs the error with its traceback and Sentry still sees it: an
outage is something to be told about.
"""

import errno
import re
import sys

from django.db import InterfaceError, OperationalError
from django.db.utils import Error as DatabaseDriverError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils.cache import add_never_cache_headers
from django.views.defaults import bad_request, server_error

FULL_DISK_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT})
# Seconds a client should wait: a lock is held for the length of a write, an
# outage (restart, failover) lasts longer.
RETRY_AFTER_LOCKED = 5
RETRY_AFTER_UNAVAILABLE = 30

LOCKED = re.compile(r"database (table )?is locked", re.IGNORECASE)
# OperationalErrors about the statement, not the server: SQLite reports bad SQL
# and unparseable full-text searches as OperationalError too. These stay errors
# of the request (a 400 for search words, a 500 for a bug), never a 503.
STATEMENT_FAULT = re.compile(
    r"syntax error|fts5|unterminated string|malformed match|unrecognized token|"
    r"no such (table|column|function)|too many sql variables|tsquery",
    re.IGNORECASE,
)


class Failure:
    def __init__(self, status, code, title, message, retry_after=None):
        self.status = status
        self.code = code
        self.title = title
        self.message = message
        self.retry_after = retry_after


STORAGE_FULL = Failure(
    507,
    "storage_full",
    "Insufficient Storage",
    "The file could not be stored: the server's storage is full. "
    "Nothing was saved; please tell the site's administrators and try again later.",
)
DATABASE_BUSY = Failure(
    503,
    "database_busy",
    "Service Unavailable",
    "The site is busy saving other changes. Nothing was saved; please try again in a moment.",
    RETRY_AFTER_LOCKED,
)
DATABASE_UNAVAILABLE = Failure(
    503,
    "database_unavailable",
    "Service Unavailable",
    "The site's database cannot be reached just now. Please try again in a little while.",
    RETRY_AFTER_UNAVAILABLE,
)


def _chain(exc):
    """The exception and those it was raised from or during (libraries wrap errors)."""
    seen = set()
    while exc is not None and id(exc) not in seen and len(seen) < 10:
        seen.add(id(exc))
        yield exc
        exc = exc.__cause__ or exc.__context__


def database_failure(exc):
    """The Failure for a database that is locked or unreachable, else None."""
    for error in _chain(exc):
        # Error, not DatabaseError: InterfaceError (a closed connection) is not one.
        if not isinstance(error, DatabaseDriverError):
            continue
        text = str(error)
        if isinstance(error, OperationalError) and LOCKED.search(text):
            return DATABASE_BUSY
        if isinstance(error, InterfaceError):
            return DATABASE_UNAVAILABLE
        if isinstance(error, OperationalError) and not STATEMENT_FAULT.search(text):
            return DATABASE_UNAVAILABLE
    return None


def classify(exc):
    """The Failure ``exc`` stands for, or None for an ordinary error (a 500)."""
    for error in _chain(exc):
        if isinstance(error, OSError) and error.errno in FULL_DISK_ERRNOS:
            return STORAGE_FULL
    return database_failure(exc)


def _admin_prefix():
    try:
        return reverse("wagtailadmin_home")
    except NoReverseMatch:
        return "/admin/"


def _wants_json(request):
    return (
        request.headers.get("X-Requested-With") == "XMLHttpRequest"
        or "/multiple/" in request.path
        or request.headers.get("Accept", "").startswith("application/json")
    )


def failure_response(request, failure):
    path = request.path
    if path.startswith("/api/v3/"):
        from wagtail.api.v3.errors import problem_response

        response = problem_response(
            status=failure.status,
            title=failure.title,
            detail=failure.message,
            errors=[{"type": failure.code, "msg": failure.message}],
        )
    elif path.startswith("/api/") or (path.startswith(_admin_prefix()) and _wants_json(request)):
        # API v2's error shape ({"message"}) and Wagtail's uploader's
        # ({"success", "error_message"}) in one body.
        response = JsonResponse(
            {
                "message": failure.message,
                "error": failure.code,
                "success": False,
                "error_message": failure.message,
            },
            status=failure.status,
        )
    else:
        response = HttpResponse(_page(request, failure), status=failure.status)
    if failure.retry_after is not None:
        response.headers["Retry-After"] = str(failure.retry_after)
    add_never_cache_headers(response)
    return response


def _page(request, failure):
    context = {"failure": failure}
    if request.path.startswith(_admin_prefix()) and failure is not DATABASE_UNAVAILABLE:
        # The admin's own design needs its template tags, which read the
        # database: fine on a full disk or a write lock (reads go on under
        # WAL), not worth a connection attempt when the database is gone.
        try:
            return render_to_string("resilience/admin_failure.html", context, request=request)
        except Exception:  # fall back to the page that needs nothing
            pass
    return render_to_string("resilience/failure.html", context)


def server_error_handler(request, *args, **kwargs):
    """``handler500``: 507 or 503 for exhausted resources, Django's 500 otherwise."""
    failure = classify(sys.exc_info()[1])
    if failure is None:
        return server_error(request, *args, **kwargs)
    return failure_response(request, failure)


BAD_REQUEST = Failure(
    400,
    "bad_request",
    "Bad Request",
    "The request was refused before it reached the API: its Host header is not one this "
    "site serves, or the request is malformed.",
)


def bad_request_handler(request, exception=None, *args, **kwargs):
    """``handler400``: what Django refuses before any view (a Host header the site does
    not serve, a malformed request) answers 400 in the API's error format on API paths
    (``application/problem+json`` on v3), Django's 400 page elsewhere."""
    if request.path.startswith("/api/"):
        return failure_response(request, BAD_REQUEST)
    return bad_request(request, exception, *args, **kwargs)
