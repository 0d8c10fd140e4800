"""API v3 comment endpoints (django-ninja), in the style of Wagtail's v3 API.

- ``GET  /api/v3/comments/?article=<id>&limit=&offset=``: approved comments,
  threaded, paginated by thread: ``{"count", "comment_count", "items"}``
- ``GET  /api/v3/comments/form-token/?article=<id>``: a signed form token
- ``POST /api/v3/comments/``: a comment as JSON (see api.common)

The router joins the core's v3 API through ``register_api_v3_routers``, so
its operations are in the one OpenAPI document (``/api/v3/openapi.json``;
the plugin's own old document address redirects there) and share the core's
error handling: errors are ``application/problem+json`` (RFC 9457), and bad
query parameters are answered 400 naming them.
"""

import datetime
from typing import Literal

from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from ninja import Field, Query, Router, Schema

from cms.plugins import Problem

from ..forms import MAX_ID
from ..models import CommentKind
from . import common

router = Router(tags=["comments"])


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


class AuthorOut(Schema):
    name: str
    url: str | None


class SourceOut(Schema):
    url: str
    title: str


class CommentOut(Schema):
    id: int
    parent: int | None
    kind: Literal[tuple(CommentKind.values)]
    author: AuthorOut
    body: str
    body_html: str
    created_at: datetime.datetime
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
    status: Literal["pending", "approved"]
    message: str
    comment: CommentOut | None = Field(..., description="The comment, once it is published.")


def _json(body, status=200, headers=None):
    response = JsonResponse(body, status=status)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


# The article id is checked here (400 naming it); limit and offset by common.py, in
# the same words for v2 and v3, and the core's OpenAPI document gives their bounds.
ARTICLE = Query(..., ge=1, le=MAX_ID, description="The article's id.")


@router.get(
    "/",
    response=CommentListOut,
    summary="Approved comments of an article",
    operation_id="comments_list",
    url_name="comments_list",
)
def list_comments(
    request, article: int = ARTICLE, limit: int = common.DEFAULT_LIMIT, offset: int = 0
):
    try:
        items, threads, count, _article = common.list_comments(request)
    except common.ApiError as exc:
        return problem(exc.status, exc.message, exc.errors)
    return _json(
        {"count": threads, "comment_count": count, "items": items},
        headers={"Access-Control-Allow-Origin": "*"},
    )


@router.get(
    "/form-token/",
    response={200: FormTokenOut, 403: Problem},
    summary="A form token for posting a comment",
    operation_id="comments_form_token",
    url_name="comments_form_token",
    openapi_extra={"responses": {403: {"description": "The Origin may not post comments."}}},
)
def form_token(request, article: int = ARTICLE):
    try:
        body, origin = common.issue_token(request)
    except common.ApiError as exc:
        return problem(exc.status, exc.message, exc.errors, common.preflight_headers(request))
    headers = common.cors_headers(origin)
    headers["Cache-Control"] = "no-store"
    return _json(body, headers=headers)


@router.post(
    "/",
    response={201: PostedOut, 403: Problem, 429: Problem, 503: Problem},
    summary="Post a comment",
    operation_id="comments_create",
    url_name="comments_create",
    openapi_extra={
        "responses": {
            403: {"description": "The Origin may not post, or comments are closed on the article."},
            429: {
                "description": "Too many comments from this address: nothing was stored; "
                "Retry-After says when to send it again."
            },
            503: {
                "description": "Too many comments on this article await moderation: nothing "
                "was stored; Retry-After says when to try again."
            },
        },
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": CommentIn.model_json_schema()}},
        },
    },
)
def post_comment(request):
    # The body is read by common.read_json_object, not by ninja, so that
    # every kind of bad input gets the same clear 400 in v2 and v3.
    try:
        status, body, origin = common.post_comment(request)
    except common.ApiError as exc:
        headers = {**common.preflight_headers(request), **exc.headers}
        return problem(exc.status, exc.message, exc.errors, headers)
    return _json(body, status=status, headers=common.cors_headers(origin))


@router.api_operation(["OPTIONS"], "/", include_in_schema=False, url_name="comments_preflight")
def preflight(request):
    response = HttpResponse(status=204)
    for name, value in common.preflight_headers(request).items():
        response[name] = value
    return response


@router.api_operation(
    ["OPTIONS"], "/form-token/", include_in_schema=False, url_name="comments_token_preflight"
)
def preflight_token(request):
    return preflight(request)


@router.get("/openapi.json", include_in_schema=False, url_name="comments_openapi")
def old_openapi_document(request):
    """The plugin's own document is gone: its routes are in the core's."""
    return redirect(reverse("wagtailapi_v3:openapi-json"), permanent=True)
