"""``/api/v3/documents/``: Wagtail's documents router, its reads narrowed to public files.

Wagtail's reads leave out a private collection when its restriction refuses
the request; but a login restriction admits any signed-in user, and every
token holder is one, whatever the token's user may do. Here a token widens the
reads only when its user manages documents; anyone else reads as anonymous
(``cms.api.visibility.private_collections``). The operations, their
parameters and their OpenAPI entries are Wagtail's; writes are Wagtail's own
views, token and permissions included.
"""

from django.shortcuts import get_object_or_404
from ninja import Path, Query, Router
from ninja.pagination import paginate
from wagtail.api.v3.auth import AllowAnonymous, BearerTokenAuth
from wagtail.api.v3.pagination import WagtailLimitOffsetPagination
from wagtail.api.v3.schemas.params import APIFieldFilterSchema, OrderingSchema, SearchSchema
from wagtail.documents.api.v3 import router as wagtail_documents

from cms.api.params import MAX_INTEGER
from cms.api.visibility import manages, private_collections

router = Router(tags=["documents"])
DocumentDetailSchema = wagtail_documents.DocumentDetailSchema
READ_FIELDS = wagtail_documents.BASE_DOCUMENT_READ_FIELDS


def readable_documents(request):
    """Wagtail's documents for ``request``, without private collections unless it manages them."""
    queryset = wagtail_documents.get_documents_queryset(request)
    if not manages(request.user, queryset.model):
        queryset = queryset.exclude(collection__in=private_collections())
    return queryset


@router.get(
    "/",
    response=list[DocumentDetailSchema],
    url_name="list_documents",
    summary="List documents",
    operation_id="documents_list",
    auth=[BearerTokenAuth(), AllowAnonymous()],
)
@paginate(WagtailLimitOffsetPagination, pass_parameter="pagination_info")  # noqa: S106
def list_documents(
    request,
    ordering: OrderingSchema = Query(...),
    search: SearchSchema = Query(...),
    **kwargs,
):
    return filtered_listing(
        request,
        readable_documents(request),
        ordering,
        search,
        kwargs["pagination_info"],
        READ_FIELDS,
    )


def filtered_listing(request, queryset, ordering, search, pagination_info, fields):
    """Wagtail's field filters, ordering and search over ``queryset`` (images and documents)."""
    field_filter = APIFieldFilterSchema.with_exclude_schemas(
        raw_params=request.GET, schemas=(OrderingSchema, SearchSchema), base_fields=fields
    )
    queryset = field_filter.filter_queryset(queryset)
    queryset = ordering.order_queryset(queryset, pagination_info, base_fields=fields)
    return search.search_queryset(request, queryset)


@router.get(
    "/{document_id}/",
    response=DocumentDetailSchema,
    url_name="detail_document",
    summary="Document detail",
    operation_id="documents_detail",
    auth=[BearerTokenAuth(), AllowAnonymous()],
)
def get_document(request, document_id: int = Path(..., ge=1, le=MAX_INTEGER)):
    return get_object_or_404(readable_documents(request), pk=document_id)


# Uploads and edits: Wagtail's own views, token and permissions included.
WRITES = [
    ("/", "POST", "create", {201: DocumentDetailSchema}),
    ("/{document_id}/", "PATCH", "update", DocumentDetailSchema),
    ("/{document_id}/", "DELETE", "delete", {204: None}),
]
for path, method, name, response in WRITES:
    router.add_api_operation(
        path,
        [method],
        getattr(wagtail_documents, f"{name}_document"),
        response=response,
        url_name=f"{name}_document",
        summary=f"{name.capitalize()} document",
        operation_id=f"documents_{name}",
        auth=BearerTokenAuth(),
    )
