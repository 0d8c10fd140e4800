"""API field specs: one definition per field, served by API v2 and v3 alike.

A model lists its API fields in ``api_fields`` as Wagtail expects. Two kinds
of entry are defined here:

``APIFieldSpec``
    a model field (``"standfirst"``, ``"body"``) that Wagtail serialises
    itself, optionally with a bulk ``prefetch`` for listings;

``ComputedField``
    a read-only value computed from an instance: a ``name``, a ``resolve``
    function (``resolve(instance) -> JSON-ready value``), the ``schema`` of
    that value (any type pydantic understands: ``int``, ``str | None``, a
    ``TypedDict``, ``list[...]``) and an optional ``prefetch(instances)``
    that loads what ``resolve`` needs for a whole listing in a fixed number
    of queries. ``prefetch`` may also be a tuple of such functions, for a
    value built from what other fields load (an article's ``seo`` needs its
    section, byline, tags and images): each function runs once per listing
    however many fields name it.

API v2 serialises a ``ComputedField`` through the DRF field it carries as its
``serializer``; API v3 builds the page schema from the same field, typed from
``schema`` (Wagtail's v3 generator reads the DRF field's return annotation).
Plugins contribute fields of the same kinds through
``cms.plugins.api_fields.plugin_api_fields(model)``, so a plugin field is
serialised exactly like a core one.
"""

import re
from collections.abc import Callable, Iterable
from typing import Any

from django.utils.module_loading import import_string
from pydantic import TypeAdapter
from rest_framework.fields import Field as DRFField
from wagtail.api import APIField

Prefetch = Callable[[list], None]
Prefetches = Prefetch | tuple[Prefetch, ...]


class APIFieldSpec(APIField):
    """A model field in ``api_fields``, with an optional bulk ``prefetch``."""

    def __init__(self, name: str, *, prefetch: Prefetches | None = None, writable=False, **kwargs):
        super().__init__(name, writable=writable, **kwargs)
        self.prefetch = prefetch

    @property
    def prefetches(self) -> tuple[Prefetch, ...]:
        """The bulk prefetch functions of this field (none, one or several)."""
        if self.prefetch is None:
            return ()
        return self.prefetch if isinstance(self.prefetch, tuple) else (self.prefetch,)

    def __deepcopy__(self, memo):
        # Specs are immutable definitions shared by every request and both
        # API versions; DRF deep-copies declared fields, never the spec.
        return self


class ComputedField(APIFieldSpec):
    """A read-only API value computed from an instance.

    ``resolve(instance)`` returns the value, already JSON-ready (dicts, lists,
    strings, numbers, ``None``, datetimes). It must not depend on the request,
    so both API versions and every listing give the same value. ``schema``
    describes the value for the OpenAPI document; a ``TypedDict`` (from
    ``typing_extensions``: pydantic refuses ``typing.TypedDict`` before
    Python 3.12) keeps the description next to the code that builds the dict.
    An unusable schema raises ``TypeError`` here, when the field is defined.
    """

    def __init__(
        self,
        name: str,
        resolve: Callable[[Any], Any],
        schema: Any,
        *,
        prefetch: Prefetches | None = None,
        description: str = "",
    ):
        if not re.fullmatch(r"[a-z][a-z0-9_]*", name):
            raise ValueError(f"API field names are lower_snake_case identifiers, not {name!r}")
        if not callable(resolve):
            raise TypeError(f"resolve of API field {name!r} must be callable")
        functions = prefetch if isinstance(prefetch, tuple) else (prefetch,)
        if prefetch is not None and not all(callable(function) for function in functions):
            raise TypeError(f"prefetch of API field {name!r} must be callable")
        try:
            TypeAdapter(schema)
        except Exception as error:  # PydanticUserError, PydanticSchemaGenerationError, ...
            raise TypeError(f"schema of API field {name!r} is not usable: {error}") from error
        super().__init__(name, prefetch=prefetch)
        self.resolve = resolve
        self.schema = schema
        self.description = description
        self.serializer = _drf_field_for(self)

    def __repr__(self):
        return f"<ComputedField {self.name}>"


class ComputedDRFField(DRFField):
    """The DRF side of a ``ComputedField``: hands the whole instance to ``resolve``."""

    computed_field: ComputedField

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def get_attribute(self, instance):
        return instance

    def to_representation(self, instance):
        return self.computed_field.resolve(instance)


def _drf_field_for(computed_field: ComputedField) -> ComputedDRFField:
    def to_representation(self, instance):
        return computed_field.resolve(instance)

    # Wagtail's v3 schema generator types a serializer field from this
    # return annotation: the spec's schema becomes the OpenAPI schema.
    to_representation.__annotations__ = {"return": computed_field.schema}
    class_name = "".join(part.title() for part in computed_field.name.split("_")) + "Field"
    field_class = type(
        class_name,
        (ComputedDRFField,),
        {
            "__module__": __name__,
            "computed_field": computed_field,
            "to_representation": to_representation,
        },
    )
    return field_class()


def prefetch_api_fields(instances: Iterable, names: Iterable[str] | None = None, fields=None):
    """Run the bulk prefetch of every API field in ``names`` (all if None) once.

    ``fields`` defaults to each instance's model ``api_fields``. Instances are
    grouped by class; a prefetch shared by several fields (the article body
    serves ``body`` and ``reading_time``) runs once per group.
    """
    wanted = None if names is None else set(names)
    by_class: dict[type, list] = {}
    for instance in instances:
        by_class.setdefault(type(instance), []).append(instance)
    for model, group in by_class.items():
        done = set()
        for field in getattr(model, "api_fields", ()) if fields is None else fields:
            if wanted is not None and getattr(field, "name", field) not in wanted:
                continue
            for prefetch in _prefetches_of(field):
                if prefetch not in done:
                    done.add(prefetch)
                    prefetch(group)


def _prefetches_of(field) -> tuple:
    if isinstance(field, APIFieldSpec):
        return field.prefetches
    # A plugin's plain APIField with a prefetch attribute of its own.
    prefetch = getattr(field, "prefetch", None)
    return () if prefetch is None else (prefetch,)


class ModelAPIFields:
    """A model's ``api_fields``, assembled by a factory when first read.

    ``api_fields = ModelAPIFields("news.api.fields.article_api_fields")`` calls
    the factory with the model class the first time Wagtail reads the
    attribute, so the list can include fields contributed by plugins without
    the models module importing the API code. Wagtail's v3 API builds its
    page schemas at start-up from this list, so it is fixed from then on.
    """

    def __init__(self, factory_path: str):
        self.factory_path = factory_path
        self._fields: dict[type, list] = {}

    def __get__(self, instance, owner):
        if owner not in self._fields:
            factory = import_string(self.factory_path)
            fields = list(factory(owner))
            _check_fields(owner, fields)
            self._fields[owner] = fields
        return self._fields[owner]

    def reset(self):
        """Forget assembled lists (tests that change plugin fields use this), and the
        API v2 serializer classes made from them."""
        from cms.api.v2.views import forget_serializer_classes

        self._fields.clear()
        forget_serializer_classes()


def _check_fields(model, fields):
    names = set()
    for field in fields:
        name = field.name if isinstance(field, APIField) else field
        if not isinstance(name, str):
            raise TypeError(f"{model.__name__}.api_fields holds {field!r}, not an API field")
        if name in names:
            raise ValueError(f"{model.__name__}.api_fields names {name!r} twice")
        names.add(name)
