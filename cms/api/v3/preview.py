"""A draft at ``/api/v3/preview/?token=…``, shaped as ``/api/v3/pages/<id>/``."""

from functools import wraps

from ninja import Field, Query, Router, Schema
from wagtail.api.rich_text import RichTextOutputFormat
from wagtail.api.v3.errors import problem_response

from cms.api.params import MAX_INTEGER
from cms.api.preview import PREVIEW_PARAMETERS, WWW_AUTHENTICATE, no_store, previewed_page
from cms.api.problems import Problem
from cms.headless.tokens import PreviewTokenError

from .pages import PageDetailSchema
from .schemas import json_response, reject_unknown_parameters

router = Router(tags=["preview"])


def never_cached(view):
    """Every answer of the router, bad parameters included, is ``private, no-store``."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        return no_store(view(request, *args, **kwargs))

    return wrapper


# "view" mode wraps the whole view, so refusals of bad parameters are covered too.
router.add_decorator(never_cached, mode="view")


class PreviewQuery(Schema):
    token: str = Field(..., min_length=1, description=PREVIEW_PARAMETERS["token"])
    id: int | None = Field(None, ge=1, le=MAX_INTEGER, description=PREVIEW_PARAMETERS["id"])
    revision: int | None = Field(
        None, ge=1, le=MAX_INTEGER, description=PREVIEW_PARAMETERS["revision"]
    )
    rich_text_format: RichTextOutputFormat | None = None


@router.get(
    "/",
    response={200: PageDetailSchema, 401: Problem, 403: Problem, 404: Problem},
    url_name="preview_page",
    summary="Preview a draft",
    description="A saved draft of a page, as the page detail shows the live page, for a "
    "headless frontend opened by a preview in the admin. Refusals: 401 when the preview token "
    "has expired (after `BYLINE_PREVIEW_TOKEN_MAX_AGE` seconds, ten minutes by default), was "
    "altered or is not a preview token; 403 when it is for another page or revision than "
    "`id` or `revision` name; 404 when its revision was deleted. Never cached.",
    operation_id="pages_preview",
)
def preview_page(request, query: PreviewQuery = Query(...)):
    reject_unknown_parameters(request, PreviewQuery)
    try:
        page = previewed_page(query.token, page_id=query.id, revision_id=query.revision)
    except PreviewTokenError as error:
        response = problem_response(status=error.status, detail=error.detail)
        if error.status == 401:
            response["WWW-Authenticate"] = WWW_AUTHENTICATE
        return response
    return json_response(request, PageDetailSchema, [page])
