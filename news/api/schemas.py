"""Hooks into Wagtail's v3 schema generation, run from ``NewsConfig.ready()``.

Wagtail builds every page type's v3 schema once, when its content-type
registry is first imported (by ``wagtail.contrib.redirects`` and
``wagtail.images`` in their ``ready()``). Anything that shapes those schemas
must be registered before then, which ``news`` coming first in
INSTALLED_APPS guarantees.
"""

import sys

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
