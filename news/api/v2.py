"""API v2 endpoints for pages, articles, images and tags."""

from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from rest_framework.fields import Field
from rest_framework.filters import BaseFilterBackend
from taggit.models import Tag
from wagtail.api.v2.filters import OrderingFilter
from wagtail.api.v2.serializers import BaseSerializer
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import BaseAPIViewSet
from wagtail.images.api.v2.serializers import ImageSerializer
from wagtail.images.api.v2.views import ImagesAPIViewSet
from wagtail.models import Site

from cms.api.params import InvalidParameter
from cms.api.richtext import links_loaded
from cms.api.v2.views import (
    PublicEndpointMixin,
    PublicPageParentField,
    PublicPagesAPIViewSet,
    PublicPageSerializer,
    SafeFieldsFilter,
    SafeSearchFilter,
    safe_backends,
)
from cms.api.visibility import public_images
from cms.public_address import public_url
from cms.visibility import is_on_schedule

from ..models import ArticlePage
from ..search import searches_in_sql
from .filters import DEFAULT_ORDER, FILTER_PARAMETERS, ArticleFilters
from .search import search_pages
from .tags import TAG_API_FIELDS, public_tags

# Article fields a listing gives only when asked for (?fields=...): the detail has them.
DETAIL_ONLY_FIELDS = ("body", "seo", "corrections", "related")


class ArticleFilter(BaseFilterBackend):
    """Section, tag, author and date filters, and newest-first order, for articles."""

    def filter_queryset(self, request, queryset, view):
        filters = ArticleFilters.from_query(request.GET)
        if not issubclass(queryset.model, ArticlePage):
            if filters.active:
                name = next(name for name in FILTER_PARAMETERS if name in request.GET)
                raise InvalidParameter(name, "filters articles only: add type=news.ArticlePage")
            return queryset
        queryset = filters.apply(queryset)
        if "order" not in request.GET:
            queryset = queryset.order_by(*DEFAULT_ORDER)
        return queryset


class PageSearchFilter(SafeSearchFilter):
    """``?search=`` through the search page's search_articles() (``news.api.search``).

    ``search_operator=or`` (any word may match) is Wagtail's own search, as before.
    """

    def filter_queryset(self, request, queryset, view):
        if "search" not in request.GET or request.GET.get("search_operator") == "or":
            return super().filter_queryset(request, queryset, view)
        operator = request.GET.get("search_operator")
        if operator is not None and operator != "and":
            raise InvalidParameter("search_operator", "must be 'and' or 'or'")
        if not request.GET["search"].strip():
            raise InvalidParameter("search", "must not be empty")
        if not getattr(settings, "WAGTAILAPI_SEARCH_ENABLED", True):
            raise BadRequestError("search is disabled")
        return search_pages(request.GET["search"], queryset, ordered="order" in request.GET)


class ArticleParentField(PublicPageParentField):
    """``meta.parent`` of an article whose section its prefetch loaded, without a query.

    The article is public, so no view restriction covers its section either: the section
    is public when it is on schedule and inside the request's site. Anything else (another
    page type, ``?site=``) asks Wagtail's way, a query over the public pages.
    """

    def get_attribute(self, instance):
        section = instance.__dict__.get("section")
        request = self.context.get("request")
        if section is None or request is None or "site" in request.GET:
            return super().get_attribute(instance)
        site = Site.find_for_request(request)
        if site is None or not section.path.startswith(site.root_page.path):
            return super().get_attribute(instance)
        return section if is_on_schedule(section) else None


class ArticlePageSerializer(PublicPageSerializer):
    parent = ArticleParentField(read_only=True)


class ArticlePagesAPIViewSet(PublicPagesAPIViewSet):
    """``/api/v2/pages/``: public pages; with ``type=news.ArticlePage`` the article filters."""

    base_serializer_class = ArticlePageSerializer

    filter_backends = [
        ArticleFilter,
        *(
            PageSearchFilter if backend is SafeSearchFilter else backend
            for backend in PublicPagesAPIViewSet.filter_backends
        ),
    ]
    known_query_parameters = PublicPagesAPIViewSet.known_query_parameters.union(FILTER_PARAMETERS)
    selecting_parameters = PublicPagesAPIViewSet.selecting_parameters.union(FILTER_PARAMETERS)

    def serialization_context(self, items):
        return links_loaded(items)

    def searches_with_backend(self):
        # PageSearchFilter searches in SQL (news.api.search) where the database's
        # full-text index allows: the public pages are filtered in place, not by listing
        # every public page's id (0.1-0.3 s at 100,000 articles). Any-word searches
        # (search_operator=or) are Wagtail's own.
        if not super().searches_with_backend():
            return False
        return self.request.GET.get("search_operator") == "or" or not searches_in_sql()


class ArticlesAPIViewSet(ArticlePagesAPIViewSet):
    """``/api/v2/articles/``: public articles, newest first, with the article filters."""

    name = "articles"
    model = ArticlePage
    known_query_parameters = ArticlePagesAPIViewSet.known_query_parameters.difference({"type"})

    @classmethod
    def get_listing_default_fields(cls, model):
        # What an article card needs; the body, the head metadata, the corrections
        # log and the related articles only on request (fields=body,seo,... or *).
        defaults = super().get_listing_default_fields(model)
        extra = [
            name for name in cls.get_body_fields_names(model) if name not in DETAIL_ONLY_FIELDS
        ]
        return defaults + [name for name in extra if name not in defaults]


class ArticlesURLField(Field):
    """Meta field: the API listing of an author's or a tag's articles."""

    def __init__(self, parameter, **kwargs):
        self.parameter = parameter
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def get_attribute(self, instance):
        return instance

    def to_representation(self, instance):
        path = reverse("wagtailapi_v2:articles:listing")
        query = urlencode({self.parameter: instance.slug})
        return public_url(f"{path}?{query}")


class TagSerializer(BaseSerializer):
    articles_url = ArticlesURLField("tag")


class TagSearchFilter(BaseFilterBackend):
    """``?search=`` on tag names (tags are not in the search index)."""

    def filter_queryset(self, request, queryset, view):
        if "search" in request.GET:
            term = request.GET["search"].strip()
            if not term:
                raise InvalidParameter("search", "must not be empty")
            queryset = queryset.filter(name__icontains=term)
        return queryset


class TagsAPIViewSet(PublicEndpointMixin, BaseAPIViewSet):
    """``/api/v2/tags/``: tags of public articles, by name, with article counts."""

    name = "tags"
    base_serializer_class = TagSerializer
    filter_backends = [SafeFieldsFilter, TagSearchFilter, OrderingFilter]
    known_query_parameters = BaseAPIViewSet.known_query_parameters.difference(
        {"search_operator", "rich_text_format"}
    )
    body_fields = ["id", "name", "slug", *TAG_API_FIELDS]
    meta_fields = [*BaseAPIViewSet.meta_fields, "articles_url"]
    listing_default_fields = [
        *BaseAPIViewSet.listing_default_fields,
        "name",
        "slug",
        "html_url",
        "article_count",
        "articles_url",
    ]

    model = Tag

    def get_queryset(self):
        return public_tags(self.request)


class PrefetchedTagsField(Field):
    """Tag names from the listing's prefetched tags (Wagtail's field queries per image)."""

    def get_attribute(self, instance):
        return instance

    def to_representation(self, instance):
        return sorted(tag.name for tag in instance.tags.all())


class PublicImageSerializer(ImageSerializer):
    tags = PrefetchedTagsField(read_only=True)


class PublicImagesAPIViewSet(PublicEndpointMixin, ImagesAPIViewSet):
    """``/api/v2/images/``: images public content uses, with alt, caption, credit, renditions."""

    base_serializer_class = PublicImageSerializer
    filter_backends = safe_backends(ImagesAPIViewSet.filter_backends)
    listing_default_fields = [
        *ImagesAPIViewSet.listing_default_fields,
        "alt",
        "caption",
        "credit",
        "renditions",
    ]

    def get_queryset(self):
        queryset = public_images(super().get_queryset(), self.request)
        return queryset.prefetch_related("tags").prefetch_renditions()
