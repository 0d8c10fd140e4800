"""Observability: request ids, log lines that say which request they came from, Sentry.

Every log line written while a request is handled carries that request's id, path,
method and, only when someone is signed in, their numeric user id. The same id goes
back to the client in the X-Request-ID header (and into the access log and Sentry),
so one reference from a reader or an editor finds every line about their request.

Deliberately never logged or sent: user names, e-mail addresses, IP addresses,
cookies, query strings and request bodies. The path is logged, the query string is
not, because search terms and links from newsletters put personal data there.
"""

import logging
import re
import sys
import uuid
from contextvars import ContextVar
from dataclasses import dataclass

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import got_request_exception
from django.db import DatabaseError
from django.http import HttpRequest
from django.utils.functional import LazyObject, empty
from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter as _JsonFormatter

REQUEST_ID_HEADER = "X-Request-ID"
# An id handed in by a proxy or client is kept only if it is this kind of token: long
# ids, spaces, quotes or line breaks could bloat or forge log lines.
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,200}")


@dataclass(frozen=True)
class RequestContext:
    request_id: str
    request: HttpRequest


# A context variable rather than a thread-local: it follows the request into
# sync_to_async threads and stays separate between concurrent async requests.
_current_request: ContextVar[RequestContext | None] = ContextVar(
    "byline_current_request", default=None
)


def current_request_id():
    """The id of the request being handled, or None outside a request."""
    context = _current_request.get()
    return context.request_id if context else None


def request_id_for(request):
    incoming = request.headers.get(REQUEST_ID_HEADER, "")
    if SANE_REQUEST_ID.fullmatch(incoming):
        return incoming
    return uuid.uuid4().hex


class RequestIdMiddleware:
    """Give each request an id, visible to logging while it runs and to the client after.

    Keeps a sane X-Request-ID from the proxy in front (so its logs and ours agree),
    otherwise makes one up. Goes early in MIDDLEWARE so that errors raised in later
    middleware are logged with the id too.
    """

    sync_capable = True
    async_capable = True

    def __init__(self, get_response):
        self.get_response = get_response
        self.is_async = iscoroutinefunction(get_response)
        if self.is_async:
            markcoroutinefunction(self)

    def __call__(self, request):
        if self.is_async:
            return self.__acall__(request)
        token = self._begin(request)
        try:
            response = self.get_response(request)
        finally:
            # Reset, not just overwrite: a sync worker thread serves many requests,
            # and a log line between two requests must not claim the previous one.
            _current_request.reset(token)
        response[REQUEST_ID_HEADER] = request.request_id
        return response

    async def __acall__(self, request):
        token = self._begin(request)
        try:
            response = await self.get_response(request)
        finally:
            _current_request.reset(token)
        response[REQUEST_ID_HEADER] = request.request_id
        return response

    def _begin(self, request):
        request.request_id = request_id_for(request)
        return _current_request.set(RequestContext(request.request_id, request))


# Re-entrancy guard: finding the user may itself log (a corrupt session is logged by
# django.security), and that record would come back here looking for the user.
_finding_user: ContextVar[bool] = ContextVar("byline_finding_user", default=False)


def _user_id(request, record):
    """The signed-in user's numeric id; None for visitors or when it cannot be found."""
    user = getattr(request, "user", None)
    if user is None:
        return None
    if isinstance(user, LazyObject) and user._wrapped is empty:
        # Not looked up yet in this request (the view failed before it needed the user).
        # Looking up costs a query or two, only for a request that logs something, and
        # is skipped when the database is what failed: it would only wait and fail again.
        if _finding_user.get() or _is_database_error(record.exc_info):
            return None
        token = _finding_user.set(True)
        try:
            is_authenticated = user.is_authenticated
        except Exception:  # e.g. the database is what failed; the log line matters more
            return None
        finally:
            _finding_user.reset(token)
    else:
        is_authenticated = getattr(user, "is_authenticated", False)
    return user.pk if is_authenticated else None


def _is_database_error(exc_info):
    return isinstance(exc_info, tuple) and isinstance(exc_info[1], DatabaseError)


def _remember_exception(sender, request=None, **kwargs):
    # Django logs a failing 404/403/400 handler's 500 without the exception that
    # caused it, and only after the middleware has returned; the signal is the one
    # place that still has it, so keep it on the request for the filter below.
    if isinstance(request, HttpRequest):
        request._byline_exc_info = sys.exc_info()


got_request_exception.connect(_remember_exception, dispatch_uid="byline-observability")


class RequestContextFilter(logging.Filter):
    """Add request_id, path, method, status_code and user_id to every record; drop `request`.

    The request comes from the record (Django puts it there for django.request and
    django.security) or from the request being handled. The raw request object is
    removed because its text form includes the query string, and a formatter that
    serialises every extra attribute would write it out. (Handlers after this one see
    the record without it; Django's mail_admins copes, and is not configured here.)
    """

    def filter(self, record):
        context = _current_request.get()
        request = record.__dict__.pop("request", None)
        if not isinstance(request, HttpRequest):
            # django.server puts its socket handler here, not an HttpRequest.
            request = context.request if context else None
        if context:
            record.request_id = context.request_id
        else:
            record.request_id = getattr(request, "request_id", None)
        record.path = request.path if request is not None else None
        record.method = request.method if request is not None else None
        record.user_id = _user_id(request, record) if request is not None else None
        record.__dict__.setdefault("status_code", None)
        if (
            record.name == "django.request"
            and (record.status_code or 0) >= 500
            and record.exc_info is None
            and request is not None
        ):
            exc_info = request.__dict__.pop("_byline_exc_info", None)
            if exc_info and exc_info[0] is not None:
                record.exc_info = exc_info
        return True


class JsonFormatter(_JsonFormatter):
    """One JSON object per line: timestamp, level, logger, message, exception, request fields."""

    def __init__(self, **kwargs):
        kwargs.setdefault("fmt", "%(levelname)s %(name)s %(message)s")
        kwargs.setdefault("timestamp", True)
        kwargs.setdefault(
            "rename_fields",
            {
                "levelname": "level",
                "name": "logger",
                "exc_info": "exception",
                "stack_info": "stack",
            },
        )
        # Also never serialise `request`, should a handler be set up without the filter.
        kwargs.setdefault("reserved_attrs", [*RESERVED_ATTRS, "request", "taskName"])
        super().__init__(**kwargs)

    def process_log_record(self, log_data):
        # Timestamp first, so the lines still read well to a person tailing them.
        return {"timestamp": log_data.pop("timestamp", None), **log_data}


class TextFormatter(logging.Formatter):
    """Lines for a person at a terminal, with the request id when there is one."""

    def __init__(self, **kwargs):
        kwargs.setdefault("fmt", "%(asctime)s %(levelname)s %(name)s %(message)s")
        super().__init__(**kwargs)

    def formatMessage(self, record):
        line = super().formatMessage(record)
        request_id = getattr(record, "request_id", None)
        return f"{line} [request {request_id}]" if request_id else line


LOG_FORMATS = {"json": JsonFormatter, "text": TextFormatter}


def console_formatter(log_format="text"):
    """The formatter named by BYLINE_LOG_FORMAT, refusing an unknown name."""
    name = (log_format or "").strip().lower()
    if name not in LOG_FORMATS:
        raise ImproperlyConfigured(
            f"BYLINE_LOG_FORMAT must be 'json' or 'text', not {log_format!r}."
        )
    return LOG_FORMATS[name]()


# Sentry ------------------------------------------------------------------------

# Request headers sent to Sentry; all others (Cookie, Authorization, Referer with its
# query string, X-Forwarded-For with the reader's address, ...) are left out.
SENTRY_HEADERS = {
    "accept",
    "accept-language",
    "content-length",
    "content-type",
    "host",
    "user-agent",
    "x-forwarded-proto",
    "x-request-id",
}


def scrub_sentry_event(event, hint=None):
    """before_send: keep Sentry events free of personal data, tag them with the request id.

    send_default_pii=False already leaves out cookies, the user and the IP address, but
    the query string, some headers and bodies are still sent; this removes them too.
    """
    request = event.get("request")
    if isinstance(request, dict):
        for key in ("query_string", "cookies", "data", "env"):
            request.pop(key, None)
        if isinstance(request.get("url"), str):
            request["url"] = request["url"].split("?", 1)[0]
        headers = request.get("headers")
        if isinstance(headers, dict):
            request["headers"] = {
                name: value for name, value in headers.items() if name.lower() in SENTRY_HEADERS
            }
    event.pop("user", None)
    if isinstance(event.get("extra"), dict):
        event["extra"].pop("request", None)
    breadcrumbs = event.get("breadcrumbs")
    crumbs = breadcrumbs.get("values", []) if isinstance(breadcrumbs, dict) else []
    for crumb in crumbs:
        data = crumb.get("data")
        if isinstance(data, dict):
            for key in ("request", "http.query", "http.fragment"):
                data.pop(key, None)
    request_id = current_request_id()
    if request_id:
        event.setdefault("tags", {})["request_id"] = request_id
    return event


def init_sentry(dsn, *, environment, release=None, traces_sample_rate=0.0):
    """Report unhandled errors to Sentry. Imported only when a DSN is configured."""
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        integrations=[DjangoIntegration()],
        environment=environment,
        release=release or None,
        traces_sample_rate=traces_sample_rate,
        send_default_pii=False,
        # Frame variables would include the request (with its query string), form
        # data and model instances with names and e-mail addresses.
        include_local_variables=False,
        # Comment bodies and sign-in forms are personal data.
        max_request_body_size="never",
        before_send=scrub_sentry_event,
        before_send_transaction=scrub_sentry_event,
    )
