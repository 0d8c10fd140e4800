"""API v3 comment endpoints (django-ninja), in the style of Wagtail's v3 API.

- ``GET  /api/v3/comments/?article=<id>&limit=&offset=``: approved comments,
  threaded, paginated by thread: ``{"count", "comment_count", "items"}``
- ``GET  /api/v3/comments/form-token/?article=<id>``: a signed form token
- ``POST /api/v3/comments/``: a comment as JSON (see api.common)
- ``GET  /api/v3/comments/openapi.json``: this API's OpenAPI document

Errors are ``application/problem+json`` (RFC 7807), as in Wagtail's v3 API.
The plugin serves its own NinjaAPI instance: the interface has no way yet to
add a router to the core's v3 API.
"""

from django.http import HttpResponse, JsonResponse
from ninja import NinjaAPI, Schema
from ninja.errors import ValidationError as NinjaValidationError

from . import common

api = NinjaAPI(
    title="Byline reader comments",
    version="3.0.0",
    description="Approved reader comments of an article, and posting a comment.",
    urls_namespace="byline_comments_v3",
    openapi_url="/openapi.json",
    docs_url=None,
)


def problem(status, detail, errors=None, headers=None):
    from wagtail.api.v3.errors import problem_response

    response = problem_response(
        status=status,
        detail=detail,
        errors=[
            {"loc": [name], "msg": message}
            for name, msgs in (errors or {}).items()
            for message in msgs
        ]
        or None,
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


@api.exception_handler(NinjaValidationError)
def validation_error(request, exc):
    errors = {}
    for error in exc.errors:
        name = ".".join(str(part) for part in error.get("loc", [])[1:]) or "request"
        errors.setdefault(name, []).append(str(error.get("msg", "invalid")))
    return problem(400, "invalid parameters: " + ", ".join(sorted(errors)), errors)


class AuthorOut(Schema):
    name: str
    url: str | None


class SourceOut(Schema):
    url: str
    title: str


class CommentOut(Schema):
    id: int
    parent: int | None
    kind: str
    author: AuthorOut
    body: str
    body_html: str
    created_at: str
    by_editor: bool
    source: SourceOut | None
    replies: list["CommentOut"]


CommentOut.model_rebuild()


class CommentListOut(Schema):
    count: int
    comment_count: int
    items: list[CommentOut]


class FormTokenOut(Schema):
    article: int
    form_token: str
    expires_in: int
    comments_open: bool
    min_fill_seconds: int
    max_depth: int


class CommentIn(Schema):
    article: int
    parent: int | None = None
    author_name: str
    author_email: str
    author_url: str | None = None
    body: str
    form_token: str
    homepage_url: str | None = None


class PostedOut(Schema):
    status: str
    message: str
    comment: CommentOut | None


def _json(body, status=200, headers=None):
    response = JsonResponse(body, status=status)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


@api.get("/", response=CommentListOut, summary="Approved comments of an article")
def list_comments(request, article: int, limit: int = common.DEFAULT_LIMIT, offset: int = 0):
    try:
        items, threads, count, _article = common.list_comments(request)
    except common.ApiError as exc:
        return problem(exc.status, exc.message, exc.errors)
    return _json(
        {"count": threads, "comment_count": count, "items": items},
        headers={"Access-Control-Allow-Origin": "*"},
    )


@api.get("/form-token/", response=FormTokenOut, summary="A form token for posting a comment")
def form_token(request, article: int):
    try:
        body, origin = common.issue_token(request)
    except common.ApiError as exc:
        return problem(exc.status, exc.message, exc.errors, common.preflight_headers(request))
    headers = common.cors_headers(origin)
    headers["Cache-Control"] = "no-store"
    return _json(body, headers=headers)


@api.post(
    "/",
    response={201: PostedOut},
    summary="Post a comment",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": CommentIn.model_json_schema()}},
        }
    },
)
def post_comment(request):
    # The body is read by common.read_json_object, not by ninja, so that
    # every kind of bad input gets the same clear 400 in v2 and v3.
    try:
        status, body, origin = common.post_comment(request)
    except common.ApiError as exc:
        return problem(exc.status, exc.message, exc.errors, common.preflight_headers(request))
    return _json(body, status=status, headers=common.cors_headers(origin))


@api.api_operation(["OPTIONS"], "/", include_in_schema=False)
def preflight(request):
    response = HttpResponse(status=204)
    for name, value in common.preflight_headers(request).items():
        response[name] = value
    return response


@api.api_operation(["OPTIONS"], "/form-token/", include_in_schema=False)
def preflight_token(request):
    return preflight(request)
