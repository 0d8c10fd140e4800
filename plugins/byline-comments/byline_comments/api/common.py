"""What API v2 and v3 share: reading requests, checking origins, shaping comments.

Both versions answer from these functions; they differ only in envelopes
(v2: ``{"meta": ..., "items": ...}`` and ``{"message": ...}`` errors; v3:
``{"count": ..., "items": ...}`` and ``application/problem+json`` errors).

Posting from a browser needs no CSRF cookie: a frontend first GETs a form
token, signed and bound to the article and to the page's origin, then POSTs
the comment as JSON with that token. The POST must carry an ``Origin``
header that is the site's own origin or one listed in the site's comment
settings, and equal to the origin the token was issued to. A page on
another origin can neither get a token for its origin accepted nor read
one issued to an allowed origin (the browser withholds the response
without a matching ``Access-Control-Allow-Origin``).
"""

import json

from django.conf import settings as django_settings
from django.core.exceptions import RequestDataTooBig

from news.models import ArticlePage

from ..forms import MAX_ID, CommentForm
from ..models import CommentStatus
from ..services import CommentRefused, comments_open, submit_comment
from ..submission import settings_for
from ..text import body_html
from ..threads import approved_threads
from ..tokens import API_FORM_MAX_AGE, issue_form_token

MAX_REQUEST_BYTES = 16 * 1024
DEFAULT_LIMIT = 20
# JSON fields a client may send, with the JSON types each accepts.
POST_FIELDS = {
    "article": (int,),
    "parent": (int, type(None)),
    "author_name": (str,),
    "author_email": (str,),
    "author_url": (str, type(None)),
    "body": (str,),
    "form_token": (str,),
    "homepage_url": (str, type(None)),
}
JSON_TYPE_NAMES = {int: "an integer", str: "a string", type(None): "null"}
POSTED_MESSAGES = {
    "approved": "Thank you: your comment is published.",
    "pending": "Thank you: your comment is awaiting moderation.",
}


class ApiError(Exception):
    """An answer other than success: an HTTP status, a message and field errors."""

    def __init__(self, status, message, errors=None, headers=None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.errors = errors or {}
        self.headers = headers or {}


# Reading requests -----------------------------------------------------------


def _positive_int(value, name):
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ApiError(400, f"{name} must be a positive integer, not {value!r}") from None
    if not 1 <= number <= MAX_ID:
        raise ApiError(400, f"{name} must be between 1 and {MAX_ID}")
    return number


def _article(article_id):
    article = ArticlePage.objects.visible().filter(pk=article_id).first()
    if article is None:
        raise ApiError(400, f"there is no published article with id {article_id}")
    return article


def article_from_query(request):
    if "article" not in request.GET:
        raise ApiError(400, "the article parameter is required, e.g. ?article=12")
    return _article(_positive_int(request.GET["article"], "article"))


def pagination_from_query(request):
    limit_max = getattr(django_settings, "WAGTAILAPI_LIMIT_MAX", 20) or 10**6
    try:
        limit = int(request.GET.get("limit", DEFAULT_LIMIT))
        offset = int(request.GET.get("offset", 0))
    except ValueError:
        raise ApiError(400, "limit and offset must be integers") from None
    if limit < 1 or offset < 0:
        raise ApiError(400, "limit must be at least 1 and offset at least 0")
    if limit > limit_max:
        raise ApiError(400, f"limit cannot be higher than {limit_max}")
    return limit, offset


def read_json_object(request):
    """The request's JSON object, or ApiError(400) saying exactly what is wrong."""
    content_type = (request.content_type or "").lower()
    if content_type != "application/json":
        raise ApiError(400, "send the comment as JSON, with Content-Type: application/json")
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > MAX_REQUEST_BYTES:
        raise ApiError(400, f"the request body is larger than {MAX_REQUEST_BYTES} bytes")
    try:
        raw = request.body
    except RequestDataTooBig:
        raise ApiError(400, f"the request body is larger than {MAX_REQUEST_BYTES} bytes") from None
    if len(raw) > MAX_REQUEST_BYTES:
        raise ApiError(400, f"the request body is larger than {MAX_REQUEST_BYTES} bytes")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ApiError(400, "the request body is not valid UTF-8") from None
    try:
        payload = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ApiError(
            400, f"malformed JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
        ) from None
    except ValueError:
        # Python refuses to convert integers of more than 4,300 digits (a
        # plain ValueError, not a JSONDecodeError): that was a 500.
        raise ApiError(400, "a number in the request body is too long") from None
    if not isinstance(payload, dict):
        raise ApiError(400, "the request body must be a JSON object")
    return payload


def _check_types(payload):
    errors = {}
    unknown = sorted(set(payload) - set(POST_FIELDS))
    if unknown:
        errors["__all__"] = [f"unknown field(s): {', '.join(unknown)}"]
    for name, types in POST_FIELDS.items():
        if name not in payload:
            continue
        value = payload[name]
        if isinstance(value, bool) or not isinstance(value, types):
            expected = " or ".join(JSON_TYPE_NAMES[t] for t in types)
            errors[name] = [f"must be {expected}"]
    if errors:
        raise ApiError(400, "some fields have the wrong type", errors)


# Origins and CORS -----------------------------------------------------------


def own_origin(request):
    return f"{request.scheme}://{request.get_host()}".lower()


def request_origin(request):
    origin = request.headers.get("Origin", "").strip().rstrip("/").lower()
    return "" if origin == "null" else origin


def allowed_origin(request, settings, *, required):
    """The request's origin if it may post; ApiError(403) otherwise.

    A GET from the same origin carries no Origin header in some browsers:
    then the site's own origin is meant (`required=False`).
    """
    origin = request_origin(request)
    if not origin:
        if required:
            raise ApiError(403, "an Origin header is required to post a comment")
        return own_origin(request)
    if origin == own_origin(request) or origin in settings.allowed_origin_list:
        return origin
    raise ApiError(403, f"the origin {origin} may not post comments on this site")


def cors_headers(origin, *, methods="GET, POST, OPTIONS"):
    if not origin:
        return {}
    return {
        "Access-Control-Allow-Origin": origin,
        "Access-Control-Allow-Methods": methods,
        "Access-Control-Allow-Headers": "Content-Type",
        "Access-Control-Max-Age": "600",
        "Vary": "Origin",
    }


def preflight_headers(request):
    """CORS preflight answer: only allowed origins get the permission headers."""
    origin = request_origin(request)
    if not origin:
        return {}
    settings = settings_for(None, request)
    if origin == own_origin(request) or origin in settings.allowed_origin_list:
        return cors_headers(origin)
    return {"Vary": "Origin"}


# Shaping comments ------------------------------------------------------------


def comment_data(comment):
    """A comment as the API shows it: never its email, IP address or status."""
    data = {
        "id": comment.pk,
        "parent": comment.parent_id,
        "kind": comment.kind,
        "author": {"name": comment.author_name, "url": comment.author_url or None},
        "body": comment.body,
        "body_html": str(body_html(comment.body)),
        "created_at": comment.created_at.isoformat(),
        "by_editor": comment.user_id is not None,
        "source": (
            {"url": comment.source_url, "title": comment.source_title}
            if comment.is_mention
            else None
        ),
    }
    data["replies"] = [comment_data(reply) for reply in getattr(comment, "thread_replies", [])]
    return data


def list_comments(request):
    """(page of threads, number of threads, number of approved comments, article)."""
    article = article_from_query(request)
    limit, offset = pagination_from_query(request)
    threads, count = approved_threads(article.pk)
    page = threads[offset : offset + limit]
    return [comment_data(comment) for comment in page], len(threads), count, article


def issue_token(request):
    article = article_from_query(request)
    settings = settings_for(article, request)
    origin = allowed_origin(request, settings, required=False)
    openness = comments_open(article, settings)
    return {
        "article": article.pk,
        "form_token": issue_form_token(article.pk, origin),
        "expires_in": API_FORM_MAX_AGE,
        "comments_open": openness.open,
        "min_fill_seconds": settings.min_fill_seconds,
        "max_depth": settings.max_depth,
    }, origin


def post_comment(request):
    """Validate and store a comment sent as JSON: (HTTP status, body, origin)."""
    payload = read_json_object(request)
    _check_types(payload)
    if "article" not in payload:
        raise ApiError(400, "the article field is required", {"article": ["required"]})
    article = _article(_positive_int(payload["article"], "article"))
    settings = settings_for(article, request)
    origin = allowed_origin(request, settings, required=True)
    if not comments_open(article, settings).open:
        raise ApiError(403, "comments are closed on this article")
    data = {
        name: "" if payload.get(name) is None else str(payload[name])
        for name in POST_FIELDS
        if name != "article"
    }
    form = CommentForm(
        data, article=article, settings=settings, origin=origin, token_max_age=API_FORM_MAX_AGE
    )
    if not form.is_valid():
        errors = {
            name: [str(message) for message in messages] for name, messages in form.errors.items()
        }
        raise ApiError(400, "the comment was not accepted: see errors", errors)
    try:
        comment = submit_comment(
            article,
            {**form.cleaned_data, "parent_comment": form.parent_comment},
            request,
            settings=settings,
            channel="api",
            form_issued_at=form.form_issued_at,
        )
    except CommentRefused as refused:
        raise ApiError(
            refused.status, refused.message, headers={"Retry-After": str(refused.retry_after)}
        ) from None
    # Spam is answered like a held comment: no hint for whoever sends it.
    shown = "approved" if comment.status == CommentStatus.APPROVED else "pending"
    body = {"status": shown, "message": POSTED_MESSAGES[shown], "comment": None}
    if shown == "approved":
        comment.thread_replies = []
        body["comment"] = comment_data(comment)
    return 201, body, origin
