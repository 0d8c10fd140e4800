"""API v2 comment endpoints, in the style of Wagtail's v2 API.

- ``GET  /api/v2/comments/?article=<id>&limit=&offset=``: approved comments,
  threaded, paginated by thread: ``{"meta": {"total_count", "comment_count"},
  "items": [comment with "replies": [...]]}``
- ``GET  /api/v2/comments/form-token/?article=<id>``: a signed form token
- ``POST /api/v2/comments/``: a comment as JSON (see api.common)

Errors are ``{"message": ..., "errors": {...}}`` with a 4xx status.
"""

from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from . import common


def _error(request, exc):
    body = {"message": exc.message}
    if exc.errors:
        body["errors"] = exc.errors
    headers = {**common.preflight_headers(request), **exc.headers}
    return Response(body, status=exc.status, headers=headers)


class CommentsApiView(APIView):
    """Comments of an article (GET) and a new comment (POST)."""

    # No session authentication: nothing here depends on who is logged in,
    # and the POST is protected by the origin-bound form token instead.
    authentication_classes = []
    permission_classes = [AllowAny]
    renderer_classes = [JSONRenderer]

    def get(self, request):
        try:
            items, threads, count, _article = common.list_comments(request)
        except common.ApiError as exc:
            return _error(request, exc)
        return Response(
            {"meta": {"total_count": threads, "comment_count": count}, "items": items},
            headers={"Access-Control-Allow-Origin": "*"},
        )

    def post(self, request):
        try:
            status, body, origin = common.post_comment(request._request)
        except common.ApiError as exc:
            return _error(request, exc)
        return Response(body, status=status, headers=common.cors_headers(origin))

    def options(self, request, *args, **kwargs):
        return Response(status=204, headers=common.preflight_headers(request))


class FormTokenApiView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]
    renderer_classes = [JSONRenderer]

    def get(self, request):
        try:
            body, origin = common.issue_token(request)
        except common.ApiError as exc:
            return _error(request, exc)
        headers = common.cors_headers(origin)
        headers["Cache-Control"] = "no-store"
        return Response(body, headers=headers)

    def options(self, request, *args, **kwargs):
        return Response(status=204, headers=common.preflight_headers(request))
