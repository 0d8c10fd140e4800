"""``/api/v3/pages/``: Wagtail's pages router with public reads that hide expired pages.

The reads (list, find, detail) are Wagtail's, over ``cms.api.visibility``'s
public pages for anonymous requests (Wagtail's queryset keeps a page whose
expiry time has passed until the scheduled-publishing command runs) and with
each field's prefetch for details. The writes, revisions and actions are
Wagtail's own view functions, mounted here unchanged: they need a bearer
token and check the token owner's permissions.
"""

import json
from functools import wraps
from typing import Literal, cast

from django.db.models import Model
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import NoReverseMatch, reverse
from ninja import Path, Query, Router
from ninja.pagination import paginate
from wagtail.api.rich_text import RichTextOutputFormat
from wagtail.api.v3.auth import AllowAnonymous, BearerTokenAuth
from wagtail.api.v3.errors import problem_response
from wagtail.api.v3.querysets import get_pages_queryset
from wagtail.api.v3.routers import pages as wagtail_pages
from wagtail.api.v3.schemas import pages as wagtail_page_schemas
from wagtail.api.v3.schemas.pages import BASE_PAGE_READ_FIELDS
from wagtail.api.v3.schemas.params import APIFieldFilterSchema, OrderingSchema, SearchSchema
from wagtail.api.v3.schemas.revisions import RevisionSchema
from wagtail.api.validators import SiteFilterValidator
from wagtail.models import Page, Site

from cms.api.fields import prefetch_api_fields
from cms.api.kept_details import answer_keys, detail_named
from cms.api.params import MAX_INTEGER, InvalidParameter
from cms.api.problems import Problem
from cms.api.specific import specific_for_api, with_api_relations
from cms.api.visibility import public_pages, searchable_public_pages
from cms.http_cache import next_visibility_change
from cms.kept_counts import KeptCountPagination
from cms.kept_fragments import keep
from cms.public_address import own_type, public_page_url
from news.api.search import search_pages
from news.search import searches_in_sql

from .schemas import json_response

router = Router(tags=["pages"])
PUBLIC_READ = [BearerTokenAuth(), AllowAnonymous()]
PageDetailSchema = wagtail_pages.PageDetailSchema
VERSION = (
    "`draft`: the latest revision, for requests with a token. Without a token the live "
    "version is served (Wagtail's rule), never a draft."
)


def readable_pages(request, model=Page, *, searchable=False):
    """Public pages for anonymous requests; a token holder's pages (Wagtail's rule) otherwise.

    `searchable`: filtered by id, as Wagtail's search backend needs (it filters on indexed
    fields only); otherwise in place, which the database answers without listing every
    public page first (a listing of 20 read all 10,000 articles on SQLite)."""
    if request.user.is_authenticated:
        return get_pages_queryset(request, model)
    try:
        if searchable:
            queryset = searchable_public_pages(request, model)
        else:
            queryset = public_pages(request, model)
    except ValueError as error:  # an ambiguous ?site=
        raise InvalidParameter("site", str(error)) from error
    return with_api_relations(queryset.select_related("content_type", "locale")).order_by("pk")


# Wagtail's listing schemas under their own names (the OpenAPI document keeps
# them), with html_url on the public address: a listing of every page type holds
# generic Pages, which build it from the Site record (cms.public_address).
class BasePageMetaSchema(wagtail_page_schemas.BasePageMetaSchema):
    @staticmethod
    def resolve_html_url(obj, context):
        try:
            return public_page_url(obj, context["request"])
        except NoReverseMatch:
            return None


class BasePageSchema(wagtail_page_schemas.BasePageSchema):
    meta: BasePageMetaSchema


@router.get(
    "/",
    response=list[BasePageSchema],
    url_name="list_pages",
    summary="List pages",
    operation_id="pages_list",
    auth=PUBLIC_READ,
)
@paginate(KeptCountPagination, pass_parameter="pagination_info")  # noqa: S106
def list_pages(
    request,
    filters: wagtail_pages.PageFilterSchema = Query(...),
    ordering: OrderingSchema = Query(...),
    search: SearchSchema = Query(...),
    **kwargs,
):
    pagination_info = kwargs.get("pagination_info")
    models = cast(list[type[Model]], filters.type)
    model = models[0] if len(models) == 1 else Page
    field_filter = APIFieldFilterSchema.with_exclude_schemas(
        raw_params=request.GET,
        schemas=(wagtail_pages.PageFilterSchema, OrderingSchema, SearchSchema),
        base_fields=BASE_PAGE_READ_FIELDS,
    )
    if (
        "root" in (filters.child_of, filters.descendant_of)
        and Site.find_for_request(request) is None
    ):
        # Wagtail reads the root from the host's Site and failed (a 500) with none.
        raise Http404("No site serves this host, so it has no root page.")
    backend_search = search.search is not None and (
        request.user.is_authenticated or search.search_operator == "or" or not searches_in_sql()
    )
    queryset = readable_pages(request, model, searchable=backend_search)
    queryset = filters.filter(queryset, request)
    queryset = field_filter.filter_queryset(queryset)
    queryset = ordering.order_queryset(queryset, pagination_info, base_fields=BASE_PAGE_READ_FIELDS)
    if search.search is None or request.user.is_authenticated or search.search_operator == "or":
        # Token holders (drafts included) and any-word searches: Wagtail's own search.
        return search.search_queryset(request, queryset)
    # The public search: the search page's search_articles() for articles.
    return search_pages(search.search, queryset, ordered="order" in request.GET)


@router.get(
    "/find/",
    # Always a redirect to the page's detail, or a 404 (the document gives Location).
    response={302: None, 404: Problem},
    url_name="find_page",
    summary="Find page",
    operation_id="pages_find",
    auth=PUBLIC_READ,
)
def find_page(
    request,
    id: int | None = Query(None, ge=1, le=MAX_INTEGER),  # noqa: A002 - Wagtail's name
    html_path: str | None = None,
    site: str | None = None,
    version: Literal["live", "draft"] | None = Query("live", description=VERSION),
):
    page = None
    if html_path:
        components = [component for component in html_path.split("/") if component]
        try:
            site_obj = SiteFilterValidator(site=site, request=request).site_obj
            if site_obj is None:
                raise Http404
            page, _, _ = site_obj.root_page.specific.route(request, components)
        except Http404:
            page = None
        else:
            if not readable_pages(request).filter(pk=page.pk).exists():
                page = None
    if page is None and id:
        page = get_object_or_404(readable_pages(request), pk=id)
    if page is None:
        raise Http404("No page matches the given query.")
    url = reverse("wagtailapi_v3:detail_page", kwargs={"page_id": page.pk})
    query = request.GET.copy()
    query.pop("id", None)
    query.pop("html_path", None)
    return redirect(f"{url}?{query.urlencode()}")


@router.get(
    "/{page_id}/",
    response=PageDetailSchema,
    url_name="detail_page",
    summary="Page detail",
    operation_id="pages_detail",
    auth=PUBLIC_READ,
)
def get_page(
    request,
    page_id: int = Path(..., ge=1, le=MAX_INTEGER),
    version: Literal["live", "draft"] | None = Query("live", description=VERSION),
    rich_text_format: RichTextOutputFormat | None = Query(None),
):
    if request.user.is_authenticated:
        page = get_object_or_404(readable_pages(request), pk=page_id)
        if version == "draft":
            return page.get_latest_revision_as_object()
        return _page_detail(request, page)
    # Readers share it: kept by its address, as API v2's details are (only a page that
    # passed the lookup with these very parameters was kept; purged when the page, its
    # visibility or its site changes, and whatever it shows is filed under it).
    body = keep(
        request,
        "api-v3:pages",
        lambda: (
            _page_detail(request, get_object_or_404(readable_pages(request), pk=page_id)).content
        ),
        keys=answer_keys(request, [page_id]),
        depends_on=detail_named(request, page_id),
        until=next_visibility_change(),
    )
    return HttpResponse(body, content_type="application/json")


def _page_detail(request, page):
    page = specific_for_api(page)
    prefetch_api_fields([page])
    # Wagtail's meta.parent is get_parent(), a generic Page: cache its own type in
    # treebeard's parent cache (as news.api.fields does) for a public html_url.
    page._cached_parent_obj = own_type(page.get_parent())
    return json_response(request, PageDetailSchema, [page])


# Writes, revisions and actions: Wagtail's own views, token and permissions included.
router.add_api_operation(
    "/",
    ["POST"],
    wagtail_pages.create_page,
    response={201: PageDetailSchema},
    url_name="create_page",
    summary="Create page",
    operation_id="pages_create",
    auth=BearerTokenAuth(),
)
router.add_api_operation(
    "/{page_id}/",
    ["PATCH"],
    wagtail_pages.update_page,
    response=PageDetailSchema,
    url_name="update_page",
    summary="Update page",
    operation_id="pages_update",
    auth=BearerTokenAuth(),
)
router.add_api_operation(
    "/{page_id}/",
    ["DELETE"],
    wagtail_pages.delete,
    response={204: None},
    url_name="delete_page",
    summary="Delete page",
    operation_id="pages_delete",
    auth=BearerTokenAuth(),
)
router.add_api_operation(
    "/{page_id}/revisions/",
    ["GET"],
    wagtail_pages.list_page_revisions,
    response=list[RevisionSchema],
    url_name="list_page_revisions",
    summary="List page revisions",
    operation_id="pages_revisions_list",
    auth=BearerTokenAuth(),
)
router.add_api_operation(
    "/{page_id}/revisions/{revision_id}/",
    ["GET"],
    wagtail_pages.get_page_revision,
    response=wagtail_pages.PageRevisionDetailSchema,
    url_name="detail_page_revision",
    summary="Page revision detail",
    operation_id="pages_revisions_detail",
    auth=BearerTokenAuth(),
)
#: Actions Wagtail's views assume a parent page for: on the root page (depth 1,
#: no parent) they failed with AttributeError, a 500.
ROOT_REFUSED_ACTIONS = frozenset({"copy", "create_alias", "move", "copy_for_translation"})


def refuse_root_page_actions(run):
    """Answer 403 to copying, aliasing or moving the root page, as the admin refuses them."""

    @wraps(run)
    def wrapper(request, *args, **kwargs):
        action = request.path.rstrip("/").rpartition("/")[2]
        page_id = str(kwargs.get("page_id", ""))
        if (
            action in ROOT_REFUSED_ACTIONS
            and page_id.isascii()
            and page_id.isdigit()
            and len(page_id) < 19
            and Page.objects.filter(pk=int(page_id), depth=1).exists()
        ):
            return problem_response(
                status=403, detail=f"The root page cannot be used with {action}."
            )
        if action == "move" and _beside_the_root(request):
            return problem_response(
                status=400,
                detail="The root page has no parent, so nothing can be placed beside it: "
                'move the page under it with "position": "first-child" or "last-child".',
            )
        return run(request, *args, **kwargs)

    return wrapper


#: Positions that place a page under its destination; any other (or none) places it
#: beside the destination, under the destination's parent.
_UNDER_DESTINATION = {"first-child", "last-child", "sorted-child"}


def _beside_the_root(request):
    """Whether a move request asks to place a page beside the root page (Wagtail's move
    action then reads the root's parent, None, and failed with AttributeError, a 500)."""
    try:
        body = json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError):
        return False  # the schema's own validation answers
    if not isinstance(body, dict) or body.get("position") in _UNDER_DESTINATION:
        return False
    destination = body.get("destination_id")
    if type(destination) is not int or not 0 < destination < 2**63:
        return False
    return Page.objects.filter(pk=destination, depth=1).exists()


wagtail_pages.actions_router.add_decorator(refuse_root_page_actions, mode="view")
router.add_router("/", wagtail_pages.actions_router)
