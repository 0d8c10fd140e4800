"""``/api/v3/authors/``: authors readable without a token.

Wagtail's snippets router needs a token for every snippet; authors appear in
every public byline, so this router serves them publicly, with the same
fields as API v2 (``authors.api.fields``) and never the private email.
"""

from urllib.parse import urlencode

from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Field, Path, Query, Router, Schema
from wagtail.api.v3.schemas.base import BaseSchema

from cms.api.fields import prefetch_api_fields
from cms.api.params import MAX_INTEGER
from cms.api.v3.schemas import (
    NameOrder,
    PublicMetaSchema,
    SearchParams,
    page_of,
    reject_unknown_parameters,
    schema_for,
)
from cms.public_address import public_url
from cms.visibility import visible_snippets

from ..models import Author
from .fields import AUTHOR_API_FIELDS

router = Router(tags=["authors"])


# Not AuthorMetaSchema: Wagtail's snippet schema for authors has that name, and one
# name in the OpenAPI document can only describe one schema.
class PublicAuthorMetaSchema(PublicMetaSchema):
    @staticmethod
    def resolve_type(obj, context):
        return Author._meta.label

    @staticmethod
    def resolve_detail_url(obj, context):
        path = reverse("wagtailapi_v3:detail_author", kwargs={"author_id": obj.pk})
        return public_url(path)

    @staticmethod
    def resolve_articles_url(obj, context):
        path = reverse("wagtailapi_v3:list_articles") + "?" + urlencode({"author": obj.slug})
        return public_url(path)


class AuthorBaseSchema(BaseSchema):
    id: int
    meta: PublicAuthorMetaSchema


AuthorSchema = schema_for(
    Author, AUTHOR_API_FIELDS, name="PublicAuthorSchema", base=AuthorBaseSchema
)


class AuthorListSchema(Schema):
    count: int
    items: list[AuthorSchema]


class AuthorQuery(SearchParams):
    slug: str | None = None
    order: NameOrder | None = Field(None, description="name, slug or id; - for descending")


def authors_queryset():
    return visible_snippets(Author.objects.all()).order_by("name", "pk")


@router.get(
    "/",
    response=AuthorListSchema,
    url_name="list_authors",
    summary="List authors",
    operation_id="authors_list",
)
def list_authors(request, query: AuthorQuery = Query(...)):
    reject_unknown_parameters(request, AuthorQuery)
    queryset = authors_queryset()
    if query.slug is not None:
        queryset = queryset.filter(slug=query.slug)
    if query.search is not None:
        queryset = queryset.filter(name__icontains=query.search)
    if query.order:
        queryset = queryset.order_by(query.order, "pk")
    count, authors = page_of(queryset, query)
    return {"count": count, "items": authors}


@router.get(
    "/{author_id}/",
    response=AuthorSchema,
    url_name="detail_author",
    summary="Author",
    operation_id="authors_detail",
)
def get_author(request, author_id: int = Path(..., ge=1, le=MAX_INTEGER)):
    author = get_object_or_404(authors_queryset(), pk=author_id)
    prefetch_api_fields([author])
    return author
