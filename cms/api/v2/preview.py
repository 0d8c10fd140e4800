"""A draft at ``/api/v2/preview/?token=…``, shaped as ``/api/v2/pages/<id>/``."""

import json

from django.http import HttpResponse
from django.urls import path
from rest_framework.response import Response
from wagtail.api.v3.errors import PROBLEM_JSON, build_problem_detail

from cms.api.params import MAX_INTEGER, InvalidParameter
from cms.api.preview import PREVIEW_PARAMETERS, WWW_AUTHENTICATE, no_store, previewed_page
from cms.headless.tokens import PreviewTokenError
from news.api.v2 import ArticlePagesAPIViewSet


def preview_refusal(error: PreviewTokenError) -> HttpResponse:
    """A refusal as ``application/problem+json``, with v2's ``message`` member too."""
    problem = build_problem_detail(status=error.status, detail=error.detail)
    body = {**problem.model_dump(exclude_none=True), "message": error.detail}
    response = HttpResponse(json.dumps(body), status=error.status, content_type=PROBLEM_JSON)
    if error.status == 401:
        response["WWW-Authenticate"] = WWW_AUTHENTICATE
    return response


class PagePreviewAPIViewSet(ArticlePagesAPIViewSet):
    """The page detail of ``/api/v2/pages/<id>/``, serialised from the token's revision."""

    name = "preview"
    known_query_parameters = frozenset({*PREVIEW_PARAMETERS, "fields", "rich_text_format"})

    @classmethod
    def get_urlpatterns(cls):
        return [path("", cls.as_view({"get": "preview_view"}), name="preview")]

    def preview_view(self, request):
        for name in request.GET:
            if name not in self.known_query_parameters:
                raise InvalidParameter(name, "unknown parameter")
        token = request.GET.get("token", "")
        if not token.strip():
            raise InvalidParameter("token", "required: the token the frontend was opened with")
        page = previewed_page(
            token,
            page_id=_optional_id(request, "id"),
            revision_id=_optional_id(request, "revision"),
        )
        # Wagtail's serializer class and fields follow the object's type, as in a detail view.
        self._cached_object = page
        serializer = self.get_serializer(page)
        with self.serialization_context([page]):
            data = serializer.data
        return Response(data)

    def handle_exception(self, exc):
        if isinstance(exc, PreviewTokenError):
            return preview_refusal(exc)
        return super().handle_exception(exc)

    def finalize_response(self, request, response, *args, **kwargs):
        return no_store(super().finalize_response(request, response, *args, **kwargs))


def _optional_id(request, name):
    if name not in request.GET:
        return None
    value = request.GET[name]
    if not value.isascii() or not value.isdigit() or not 1 <= int(value) <= MAX_INTEGER:
        raise InvalidParameter(name, f"{value!r} is not a valid id")
    return int(value)
