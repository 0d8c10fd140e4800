"""Building v3 schemas and listings from API field specs."""

import json
from typing import Any, Literal

from django.conf import settings
from django.http import HttpResponse
from ninja import Field, Schema
from ninja.orm import create_schema
from ninja.responses import NinjaJSONEncoder
from pydantic import TypeAdapter
from wagtail.api.v3.schemas import read_generator
from wagtail.api.v3.schemas.base import BaseMetaSchema

from cms.api.fields import ComputedField, prefetch_api_fields
from cms.api.params import MAX_INTEGER, InvalidParameter
from cms.api.richtext import links_loaded
from cms.kept_counts import request_count

LIMIT_MAX = getattr(settings, "WAGTAILAPI_LIMIT_MAX", 20) or 1000


class ListingParams(Schema):
    """``limit`` and ``offset`` as API v2 and Wagtail's v3 take them."""

    limit: int = Field(20, ge=1, le=LIMIT_MAX, description=f"At most {LIMIT_MAX}.")
    offset: int = Field(0, ge=0, le=MAX_INTEGER)


#: ``order`` of the author and tag listings: one field, ``-`` for descending.
NameOrder = Literal["name", "-name", "slug", "-slug", "id", "-id"]


class SearchParams(ListingParams):
    search: str | None = Field(None, min_length=1, description="Words to look for.")


class PublicMetaSchema(BaseMetaSchema):
    """``meta`` of an author or a tag: its API address and its articles' listing."""

    # Always resolved (see the subclasses), so neither is nullable in the contract.
    detail_url: str = ""
    articles_url: str = ""


#: Read schemas Byline builds from models (``schema_for``), by name: the
#: OpenAPI document reads each property's nullability from its model field.
MODEL_SCHEMAS = {}


def reject_unknown_parameters(request, *schemas):
    """Raise InvalidParameter for a query parameter none of ``schemas`` declares."""
    allowed = {name for schema in schemas for name in schema.model_fields}
    for name in request.GET:
        if name not in allowed:
            raise InvalidParameter(name, "unknown parameter")


def schema_for(model, fields, *, name: str, base: type[Schema]) -> type[Schema]:
    """A read schema for ``model`` with ``fields`` (model field names or ComputedFields).

    Model fields are typed from the model, computed fields from their
    ``schema``; each computed field resolves through its own ``resolve``, as
    in API v2.
    """
    MODEL_SCHEMAS[name] = model  # for the OpenAPI document's nullability (openapi.py)
    plain = [getattr(field, "name", field) for field in fields if not _computed(field)]
    schema = base
    if plain:
        schema = create_schema(model, name=f"{name}Base", fields=plain, base_class=base)
    extra = {}
    for field in fields:
        if _computed(field):
            default = Field(..., description=field.description or None)
            extra[field.name] = (field.schema, default, _resolver(field))
    return read_generator.extend_schema(schema, name, extra)


def _computed(field) -> bool:
    return isinstance(field, ComputedField)


def _resolver(field):
    def resolve(obj) -> Any:
        return field.resolve(obj)

    return staticmethod(resolve)


def json_response(request, schema, instances, *, count=None):
    """A JSON response for ``instances`` (``count`` makes it a listing), built in the view.

    django-ninja would serialise after the view returns; here it happens
    while the rich text links of every instance are loaded in one batch,
    with the same schema and JSON encoder django-ninja uses.
    """
    adapter = TypeAdapter(schema)
    context = {"request": request, "response_status": 200}
    with links_loaded(instances):
        items = [
            adapter.dump_python(adapter.validate_python(i, context=context)) for i in instances
        ]
    data = items[0] if count is None else {"count": count, "items": items}
    return HttpResponse(json.dumps(data, cls=NinjaJSONEncoder), content_type="application/json")


def page_of(queryset, params: ListingParams, *, fields=None, request=None):
    """One page of a listing with its total count, every field's prefetch done; with the
    `request`, the count is kept between requests (``cms.kept_counts``)."""
    count = queryset.count() if request is None else request_count(request, queryset)
    items = list(queryset[params.offset : params.offset + params.limit])
    prefetch_api_fields(items, fields=fields)
    return count, items
