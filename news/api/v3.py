"""API v3 routers for articles, images and tags."""

from urllib.parse import urlencode

from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Field, Path, Query, Router, Schema
from ninja.pagination import paginate
from taggit.models import Tag
from wagtail.api.rich_text import RichTextOutputFormat
from wagtail.api.v3.auth import AllowAnonymous, BearerTokenAuth
from wagtail.api.v3.pagination import WagtailLimitOffsetPagination
from wagtail.api.v3.registry import registry
from wagtail.api.v3.schemas.base import BaseSchema
from wagtail.api.v3.schemas.params import OrderingSchema, SearchSchema
from wagtail.images.api.v3 import router as wagtail_images

from cms.api.fields import prefetch_api_fields
from cms.api.params import MAX_INTEGER
from cms.api.specific import with_api_relations
from cms.api.v3.schemas import (
    NameOrder,
    PublicMetaSchema,
    SearchParams,
    json_response,
    page_of,
    reject_unknown_parameters,
    schema_for,
)
from cms.api.visibility import (
    manages,
    private_collections,
    public_images,
    public_pages,
    searchable_public_pages,
)
from cms.public_address import public_url

from ..models import ArticlePage
from ..search import searches_in_sql
from .filters import FILTER_PARAMETERS, ORDER_FIELDS, ArticleFilters, parse_order
from .search import search_pages
from .tags import TAG_API_FIELDS, public_tags

# Articles --------------------------------------------------------------------

articles_router = Router(tags=["articles"])
ArticleSchema = registry.get(ArticlePage._meta.label).read_schema


_ORDER_FIELD = f"-?({'|'.join(ORDER_FIELDS)})"
ORDER_PATTERN = f"^{_ORDER_FIELD}(,{_ORDER_FIELD})*$"


class ArticleQuery(SearchParams):
    section: str | None = Field(None, description=FILTER_PARAMETERS["section"])
    tag: list[str] = Field([], description=FILTER_PARAMETERS["tag"])
    author: list[str] = Field([], description=FILTER_PARAMETERS["author"])
    published_after: str | None = Field(None, description=FILTER_PARAMETERS["published_after"])
    published_before: str | None = Field(None, description=FILTER_PARAMETERS["published_before"])
    # A string, checked by ArticleFilters like the v2 parameter (a bool would take "yes" too).
    breaking: str | None = Field(
        None,
        description=FILTER_PARAMETERS["breaking"],
        json_schema_extra={"enum": ["true", "false"]},
    )
    # Several fields, comma-separated: a pattern, as an enum cannot say it. Documented
    # only: parse_order() checks the value and names what it cannot order by.
    order: str | None = Field(
        None,
        description=f"Comma-separated {', '.join(ORDER_FIELDS)}, '-' for descending; "
        "newest first by default (most relevant first when searching).",
        json_schema_extra={"pattern": ORDER_PATTERN},
    )
    rich_text_format: RichTextOutputFormat | None = None


class ArticleListSchema(Schema):
    count: int
    items: list[ArticleSchema]


@articles_router.get(
    "/",
    response=ArticleListSchema,
    url_name="list_articles",
    summary="List articles",
    operation_id="articles_list",
)
def list_articles(request, query: ArticleQuery = Query(...)):
    reject_unknown_parameters(request, ArticleQuery)
    filters = ArticleFilters.from_query(request.GET)
    ordering = parse_order(query.order)
    # Filtered in place, unless a search goes to a search backend (indexed fields only).
    in_place = query.search is None or searches_in_sql()
    readable = public_pages if in_place else searchable_public_pages
    queryset = with_api_relations(readable(request, ArticlePage).select_related("locale"))
    queryset = filters.apply(queryset)
    if query.search is not None:
        # The search page's search: most relevant first, or in the order asked for.
        results = search_pages(
            query.search, queryset.order_by(*ordering), ordered=bool(query.order)
        )
    else:
        results = queryset.order_by(*ordering)
    # A search's matches are capped and counted from ids already read; a listing's total
    # is kept between requests.
    count, articles = page_of(results, query, request=None if query.search else request)
    return json_response(request, ArticleSchema, articles, count=count)


@articles_router.get(
    "/{article_id}/",
    response=ArticleSchema,
    url_name="detail_article",
    summary="Article detail",
    operation_id="articles_detail",
)
def get_article(
    request,
    article_id: int = Path(..., ge=1, le=MAX_INTEGER),
    rich_text_format: RichTextOutputFormat | None = Query(None),
):
    article = get_object_or_404(
        with_api_relations(public_pages(request, ArticlePage)), pk=article_id
    )
    prefetch_api_fields([article])
    return json_response(request, ArticleSchema, [article])


# Images ----------------------------------------------------------------------

images_router = Router(tags=["images"])
ImageDetailSchema = wagtail_images.ImageDetailSchema


def readable_images(request):
    """Images public content uses; a token holder who manages images sees what Wagtail shows them.

    Any other token counts as anonymous: a user without image permissions
    would otherwise pass a private collection's login restriction.
    """
    queryset = wagtail_images.get_images_queryset(request)
    if not manages(request.user, queryset.model):
        queryset = public_images(queryset.exclude(collection__in=private_collections()), request)
    return queryset.select_related("collection").prefetch_renditions()


@images_router.get(
    "/",
    response=list[ImageDetailSchema],
    url_name="list_images",
    summary="List images",
    operation_id="images_list",
    auth=[BearerTokenAuth(), AllowAnonymous()],
)
@paginate(WagtailLimitOffsetPagination, pass_parameter="pagination_info")  # noqa: S106
def list_images(
    request,
    ordering: OrderingSchema = Query(...),
    search: SearchSchema = Query(...),
    **kwargs,
):
    from cms.api.v3.documents import filtered_listing

    return filtered_listing(
        request,
        readable_images(request),
        ordering,
        search,
        kwargs["pagination_info"],
        wagtail_images.BASE_IMAGE_READ_FIELDS,
    )


@images_router.get(
    "/{image_id}/",
    response=ImageDetailSchema,
    url_name="detail_image",
    summary="Image detail",
    operation_id="images_detail",
    auth=[BearerTokenAuth(), AllowAnonymous()],
)
def get_image(request, image_id: int = Path(..., ge=1, le=MAX_INTEGER)):
    return get_object_or_404(readable_images(request), pk=image_id)


# Uploads and edits: Wagtail's own views, token and permissions included.
for path, method, view, response, name, summary in [
    ("/", "POST", wagtail_images.create_image, {201: ImageDetailSchema}, "create", "Create"),
    ("/{image_id}/", "PATCH", wagtail_images.update_image, ImageDetailSchema, "update", "Update"),
    ("/{image_id}/", "DELETE", wagtail_images.delete_image, {204: None}, "delete", "Delete"),
]:
    images_router.add_api_operation(
        path,
        [method],
        view,
        response=response,
        url_name=f"{name}_image",
        summary=f"{summary} image",
        operation_id=f"images_{name}",
        auth=BearerTokenAuth(),
    )


# Tags ------------------------------------------------------------------------

tags_router = Router(tags=["tags"])


class TagMetaSchema(PublicMetaSchema):
    @staticmethod
    def resolve_type(obj, context):
        return "taggit.Tag"

    @staticmethod
    def resolve_detail_url(obj, context):
        path = reverse("wagtailapi_v3:detail_tag", kwargs={"tag_id": obj.pk})
        return public_url(path)

    @staticmethod
    def resolve_articles_url(obj, context):
        path = reverse("wagtailapi_v3:list_articles") + "?" + urlencode({"tag": obj.slug})
        return public_url(path)


class TagBaseSchema(BaseSchema):
    id: int
    meta: TagMetaSchema


TagSchema = schema_for(
    Tag, ["name", "slug", *TAG_API_FIELDS], name="PublicTagSchema", base=TagBaseSchema
)


class TagListSchema(Schema):
    count: int
    items: list[TagSchema]


class TagQuery(SearchParams):
    slug: str | None = None
    order: NameOrder | None = Field(None, description="name, slug or id; - for descending")


@tags_router.get(
    "/", response=TagListSchema, url_name="list_tags", summary="List tags", operation_id="tags_list"
)
def list_tags(request, query: TagQuery = Query(...)):
    reject_unknown_parameters(request, TagQuery)
    queryset = public_tags(request)
    if query.slug is not None:
        queryset = queryset.filter(slug=query.slug)
    if query.search is not None:
        queryset = queryset.filter(name__icontains=query.search)
    if query.order:
        queryset = queryset.order_by(query.order, "pk")
    count, tags = page_of(queryset, query, fields=TAG_API_FIELDS)
    return {"count": count, "items": tags}


@tags_router.get(
    "/{tag_id}/",
    response=TagSchema,
    url_name="detail_tag",
    summary="Tag",
    operation_id="tags_detail",
)
def get_tag(request, tag_id: int = Path(..., ge=1, le=MAX_INTEGER)):
    return get_object_or_404(public_tags(request), pk=tag_id)
