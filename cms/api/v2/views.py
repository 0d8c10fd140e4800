"""What every Byline endpoint of API v2 adds to Wagtail's.

- Query strings are checked before anything else (``cms.api.params``): bad
  input is a 400 naming the parameter, never a 500.
- Listings and details run each requested field's bulk prefetch, so a page of
  results costs the same number of queries whatever it holds.
- Pages are the public ones only (``cms.api.visibility``).
"""

import threading
from collections import OrderedDict
from contextlib import nullcontext

from django.core.exceptions import FieldError, ValidationError
from django.db import DatabaseError, models
from django.http import Http404
from django.urls import NoReverseMatch
from django.utils.functional import classproperty
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from taggit.managers import TaggableManager
from wagtail.api.v2.filters import FieldsFilter, SearchFilter
from wagtail.api.v2.serializers import PageHtmlUrlField, PageParentField, PageSerializer
from wagtail.api.v2.utils import BadRequestError, page_models_from_string, parse_boolean
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.models import Site

from cms.api.fields import prefetch_api_fields
from cms.api.kept_details import answer_keys, detail_named
from cms.api.params import (
    MAX_INTEGER,
    SEARCH_NOT_UNDERSTOOD,
    InvalidParameter,
    check_query_string,
)
from cms.api.specific import specific_for_api, with_api_relations
from cms.api.v2.raw_json import KeptJSONRenderer, RawJSON, encode
from cms.api.visibility import private_collections, public_pages, searchable_public_pages
from cms.http_cache import next_visibility_change
from cms.kept_counts import KeptCountV2Pagination
from cms.kept_fragments import keep, kept
from cms.page_cache.keys import plugins_on
from cms.public_address import own_type, public_page_url
from cms.resilience import database_failure

#: Model field types a ``?field=value`` filter can compare safely.
FILTERABLE_FIELDS = (
    models.CharField,
    models.TextField,
    models.IntegerField,
    models.BooleanField,
    models.DateTimeField,
    models.DateField,
    models.ForeignKey,
    models.AutoField,
    TaggableManager,
)


# Wagtail makes a serializer class (a new type, freed only by the cyclic garbage collector)
# for every request; a process makes the class for each model and set of fields asked for
# once, and keeps the SERIALIZER_CLASSES most recently asked for (``?fields=`` is the
# client's to choose).
SERIALIZER_CLASSES = 256
_serializer_classes = OrderedDict()
_serializer_classes_lock = threading.Lock()


def forget_serializer_classes():
    """Make every serializer class again (a model's API fields were assembled again)."""
    with _serializer_classes_lock:
        _serializer_classes.clear()


class PublicEndpointMixin:
    """Checks, errors and prefetching shared by Byline's v2 endpoints."""

    @classmethod
    def _get_serializer_class(cls, router, model, fields_config, show_details=False, nested=False):
        key = (cls, router, model, repr(fields_config), show_details, nested)
        with _serializer_classes_lock:
            found = _serializer_classes.get(key)
            if found is not None:
                _serializer_classes.move_to_end(key)
                return found
        made = super()._get_serializer_class(router, model, fields_config, show_details, nested)
        with _serializer_classes_lock:
            _serializer_classes[key] = made
            while len(_serializer_classes) > SERIALIZER_CLASSES:
                _serializer_classes.popitem(last=False)
        return made

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        check_query_string(request.META.get("QUERY_STRING", ""))

    @classproperty
    def renderer_classes(cls):
        # Kept representations are sent as the JSON text they were kept as (.raw_json).
        return [
            KeptJSONRenderer if renderer is JSONRenderer else renderer
            for renderer in super().renderer_classes
        ]

    def get_renderer_context(self):
        # Compact JSON: Wagtail indents every answer by four spaces, which makes Python
        # encode it in pure Python (the C encoder does only compact output) and the
        # answer a third bigger. ``Accept: application/json; indent=4`` still indents.
        context = super().get_renderer_context()
        context.pop("indent", None)
        return context

    def handle_exception(self, exc):
        if isinstance(exc, InvalidParameter):
            data = {"message": f"{exc.name}: {exc.message}", "parameter": exc.name}
            return Response(data, status=400)
        if isinstance(exc, OverflowError):
            return Response({"message": "a number in the request is out of range"}, status=400)
        return super().handle_exception(exc)

    def find_object(self, queryset, request):
        # Wagtail hands ?id= straight to queryset.get(), whose int() conversion
        # raised ValueError (a 500) for ?id=abc.
        if "id" in request.GET:
            try:
                int(request.GET["id"])
            except ValueError:
                raise InvalidParameter("id", "must be an integer") from None
        return super().find_object(queryset, request)

    #: Whether representations are kept between requests for readers
    #: (``cms.kept_fragments.keep``): only where a purge of the object's own key follows
    #: every change of its stored fields (pages).
    keeps_representations = False

    def serialization_context(self, items):
        """A context manager around serialising ``items`` (batched lookups)."""
        return nullcontext()

    def listing_view(self, request):
        queryset = self.get_queryset()
        self.check_query_parameters(queryset)
        queryset = self.filter_queryset(queryset)
        try:
            if self.keeps_representations and isinstance(queryset, models.QuerySet):
                # A page of a listing kept for readers is found from its ids: its rows
                # (bodies, lead images, bylines) are read only when it is made again.
                ids = self.paginator.paginate_ids(queryset, request, self)
                found = kept(request, f"api:{self.name}", self._listing_named(ids))
                if found is not None:
                    return self.get_paginated_response(RawJSON(found))
                rows = queryset.filter(pk__in=ids).in_bulk()
                items = [rows[pk] for pk in ids if pk in rows]
            else:
                items = list(self.paginate_queryset(queryset))
        except DatabaseError as error:
            # Only the engine refusing the words is the client's fault; a locked
            # or unreachable database goes on to a 503 (cms/resilience.py).
            if "search" not in request.GET or database_failure(error):
                raise
            raise InvalidParameter("search", SEARCH_NOT_UNDERSTOOD) from error
        serializer = self.get_serializer(items, many=True)
        fields = self.get_body_fields(self.get_queryset().model)
        names = serializer.child.fields.keys()

        def serialize(some):
            prefetch_api_fields(some, names, fields)
            with self.serialization_context(some):
                return serializer.to_representation(some)

        return self.get_paginated_response(self.represent(items, serialize))

    def detail_view(self, request, pk):
        if int(pk) > MAX_INTEGER:
            raise Http404("not found")
        if self.keeps_representations:
            # A detail kept for readers is found from the address alone: it was kept only
            # after the object passed the lookup with these very parameters, and it is
            # purged when the object, its visibility or its site changes.
            found = kept(request, f"api:{self.name}", ("json", *detail_named(request, pk)))
            if found is not None:
                return Response(RawJSON(found))
        instance = self.get_object()
        serializer = self.get_serializer(instance)
        names = serializer.fields.keys()

        def serialize(some):
            prefetch_api_fields(some, names)
            with self.serialization_context(some):
                return serializer.to_representation(some[0])

        return Response(self.represent([instance], serialize, detail=True))

    def represent(self, items, serialize, *, detail=False):
        """`serialize(items)`, kept for readers as its JSON text when the endpoint keeps
        representations (``RawJSON``, .raw_json): a listing's named by its items and how
        they are shown (``_listing_named``), a detail's by its address
        (``cms.api.kept_details``). Either is filed under the items' own keys, the site and
        whatever serialising them loaded."""
        if not self.keeps_representations:
            return serialize(items)
        if detail:
            depends_on = ("json", *detail_named(self.request, items[0].pk))
        else:
            depends_on = self._listing_named([item.pk for item in items])
        # What a page shows of others (its related articles, its section) changes with
        # a view restriction or with a page going live or expiring, with no event.
        text = keep(
            self.request,
            f"api:{self.name}",
            lambda: encode(serialize(items)),
            keys=answer_keys(self.request, [item.pk for item in items]),
            depends_on=depends_on,
            until=next_visibility_change(),
        )
        return RawJSON(text)

    def _listing_named(self, ids):
        """What a page of a listing's representation is named by: its items, the
        parameters that change how they are shown (not the filters or paging: the items
        say what they chose) and the enabled plugins (they add fields)."""
        shown = sorted(
            (key, value)
            for key, value in self.request.GET.lists()
            if key not in self.selecting_parameters
        )
        return ("listing-json", ",".join(map(str, ids)), plugins_on(), repr(shown))

    #: Query parameters that choose which objects are listed, not how each is shown.
    selecting_parameters = frozenset(
        {"limit", "offset", "order", "search", "search_operator", "child_of"}
        | {"descendant_of", "ancestor_of", "translation_of", "locale"}
    )


class SafeFieldsFilter(FieldsFilter):
    """Wagtail's ``?field=value`` filters, answering 400 for values a field rejects."""

    def filter_queryset(self, request, queryset, view):
        fields = set(view.get_available_fields(queryset.model, db_fields_only=True))
        for name in request.GET:
            if name in fields and name != "locale":
                field = queryset.model._meta.get_field(name)
                if not isinstance(field, FILTERABLE_FIELDS):
                    raise InvalidParameter(name, "this field cannot be used as a filter")
                _check_filter_value(field, name, request.GET[name])
        try:
            return super().filter_queryset(request, queryset, view)
        except (ValidationError, ValueError, TypeError, FieldError) as error:
            raise BadRequestError(f"field filter error: {error}") from error


def _check_filter_value(field, name, value):
    if isinstance(field, TaggableManager):
        return
    if isinstance(field, models.BooleanField):
        # Wagtail's filter reads true/false/1/0 (?show_in_menus=true), which
        # Django's to_python() would refuse.
        try:
            parse_boolean(value)
        except ValueError:
            raise InvalidParameter(name, f"{value!r} is not true, false, 1 or 0") from None
        return
    target = field.target_field if isinstance(field, models.ForeignKey) else field
    try:
        target.to_python(value)
    except (ValidationError, ValueError, TypeError):
        raise InvalidParameter(name, f"{value!r} is not a valid value") from None


class SafeSearchFilter(SearchFilter):
    """Wagtail's search, with ``search_operator`` checked before the backend sees it."""

    def filter_queryset(self, request, queryset, view):
        operator = request.GET.get("search_operator")
        if operator is not None and operator not in ("and", "or"):
            raise InvalidParameter("search_operator", "must be 'and' or 'or'")
        if "search" in request.GET and not request.GET["search"].strip():
            raise InvalidParameter("search", "must not be empty")
        return super().filter_queryset(request, queryset, view)


def safe_backends(backends):
    """A filter backend list with Wagtail's field filter and search made safe."""
    replacements = {FieldsFilter: SafeFieldsFilter, SearchFilter: SafeSearchFilter}
    return [replacements.get(backend, backend) for backend in backends]


class PublicPageHtmlUrlField(PageHtmlUrlField):
    """``meta.html_url`` on the public address (``cms.public_address``), also for the
    generic Pages of a listing of every page type."""

    def to_representation(self, page):
        try:
            return public_page_url(page)
        except NoReverseMatch:
            return None


class PublicPageParentField(PageParentField):
    """``meta.parent``, whose html_url Wagtail's own serializer builds from the page."""

    def get_attribute(self, instance):
        return own_type(super().get_attribute(instance))


class PublicPageSerializer(PageSerializer):
    html_url = PublicPageHtmlUrlField(read_only=True)
    parent = PublicPageParentField(read_only=True)


class PublicPagesAPIViewSet(PublicEndpointMixin, PagesAPIViewSet):
    """Wagtail's pages endpoint limited to public pages (no expired ones either)."""

    base_serializer_class = PublicPageSerializer
    filter_backends = safe_backends(PagesAPIViewSet.filter_backends)
    pagination_class = KeptCountV2Pagination
    # Publishing, unpublishing, moving, renaming or deleting a page purges its key, and
    # so does saving a live one (cms.page_cache.invalidation).
    keeps_representations = True

    def searches_with_backend(self):
        """Whether ``?search=`` goes to Wagtail's search backend, which filters on
        indexed fields only (subclasses that search in SQL say when they do not)."""
        return "search" in self.request.GET

    def get_base_queryset(self):
        # Search backends filter on indexed ids only; everything else (a detail's
        # parent check, say) filters the public pages in place, not by listing
        # every public page's id first. Made once per request (Wagtail asks for it
        # and for get_queryset() several times; each builds the visibility filters).
        if "_base_queryset" not in self.__dict__:
            self._base_queryset = self._public_pages()
        return self._base_queryset

    def _public_pages(self):
        searching = self.searches_with_backend()
        try:
            if searching:
                return searchable_public_pages(self.request)
            return public_pages(self.request)
        except ValueError as error:  # an ambiguous ?site=
            raise BadRequestError(str(error)) from error

    def get_queryset(self):
        if "_queryset" not in self.__dict__:
            queryset = self._direct_queryset()
            if queryset is None:
                queryset = super().get_queryset()
            self._queryset = with_api_relations(queryset.select_related("locale"))
        return self._queryset

    def get_object(self):
        # DRF's lookup in the filtered queryset, then the page as its own type with
        # the rows its type names in one query (Wagtail: .specific, then each row).
        return specific_for_api(super(PagesAPIViewSet, self).get_object())

    def _direct_queryset(self):
        """The public pages of one model filtered in place, or None.

        Wagtail narrows to a page type with ``pk IN (every public page)``, which the
        database answers by listing every public page first, even for a detail; only
        a search backend needs that form (it filters on indexed ids).
        """
        if self.searches_with_backend():
            return None
        if "type" in self.request.GET:
            try:
                models = page_models_from_string(self.request.GET["type"])
            except (LookupError, ValueError):
                return None  # Wagtail's own get_queryset answers 400
            if len(models) != 1:
                return None
            model = models[0]
        else:
            model = self.model
        try:
            return public_pages(self.request, model=model)
        except ValueError as error:  # an ambiguous ?site=
            raise BadRequestError(str(error)) from error

    def get_root_page(self):
        # ``child_of=root`` / ``descendant_of=root``: Wagtail reads the host's
        # Site and failed with AttributeError (a 500) when none serves it.
        site = Site.find_for_request(self.request)
        if site is None:
            raise Http404("no site serves this host, so it has no root page")
        return site.root_page


class PublicDocumentsAPIViewSet(PublicEndpointMixin, DocumentsAPIViewSet):
    filter_backends = safe_backends(DocumentsAPIViewSet.filter_backends)

    def get_queryset(self):
        # Wagtail lets a signed-in session past a private collection's login
        # restriction; the public API answers every session as anonymous.
        return super().get_queryset().exclude(collection__in=private_collections())
