"""Hooks into Wagtail's v3 schema generation, run from ``NewsConfig.ready()``.

Wagtail builds every page type's v3 schema once, when its content-type
registry is first imported (by ``wagtail.contrib.redirects`` and
``wagtail.images`` in their ``ready()``). Anything that shapes those schemas
must be registered before then, which ``news`` coming first in
INSTALLED_APPS guarantees.
"""

import sys
from typing import Literal

from django.core.exceptions import ImproperlyConfigured


def register_v3_schemas():
    """Type the article body in v3 block by block instead of as "any JSON"."""
    if "wagtail.api.v3.registry" in sys.modules:
        raise ImproperlyConfigured(
            "Wagtail built its API v3 schemas before the news app was ready: "
            "list 'news' before the wagtail apps in INSTALLED_APPS."
        )
    from wagtail.api.v3.schemas import read_generator

    from cms.api.streams import typed_stream_field_schema

    from ..fields import ArticleBodyField

    read_generator.register_field_schema(ArticleBodyField, typed_stream_field_schema)
    type_page_schemas(read_generator)


def type_page_schemas(generator):
    """Give every page read schema its content type at the top: ``"type": "news.ArticlePage"``.

    Wagtail tells page types apart by ``meta.type``, which an OpenAPI
    ``discriminator`` cannot name (it must be a property of the union's
    members), so clients generated from the document could not tell an
    article from a section. A top-level ``type``, always equal to
    ``meta.type``, can be named: cms/api/v3/openapi.py puts a discriminator
    on it. Wagtail builds each page type's schema once, in its registry's
    import, through ``generate_schema(model, base_class=PageSchema)``; that
    call is the one place every page schema (details, writes' answers,
    revisions, ``/schema/``) passes through, so it is wrapped here.
    """
    from ninja import Field
    from wagtail.api.v3.schemas import PageSchema

    build = generator.generate_schema
    if getattr(build, "byline_typed_pages", False):
        return

    def generate_schema(model, base_class):
        schema = build(model, base_class)
        if not issubclass(base_class, PageSchema) or "type" in schema.model_fields:
            return schema
        label = model._meta.label
        field = Field(label, description="The page type, as in `meta.type`.")
        resolve = staticmethod(lambda obj: label)
        return generator.extend_schema(
            schema, schema.__name__, {"type": (Literal[label], field, resolve)}
        )

    generate_schema.byline_typed_pages = True
    generator.generate_schema = generate_schema
