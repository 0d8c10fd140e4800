"""``/api/v2/authors/``: every author, with portrait, links and article count."""

from wagtail.api.v2.filters import OrderingFilter
from wagtail.api.v2.serializers import BaseSerializer
from wagtail.api.v2.views import BaseAPIViewSet

from cms.api.v2.views import PublicEndpointMixin, SafeFieldsFilter, SafeSearchFilter
from cms.visibility import visible_snippets
from news.api.v2 import ArticlesURLField

from ..models import Author


class AuthorSerializer(BaseSerializer):
    articles_url = ArticlesURLField("author")


class AuthorsAPIViewSet(PublicEndpointMixin, BaseAPIViewSet):
    name = "authors"
    model = Author
    base_serializer_class = AuthorSerializer
    filter_backends = [SafeFieldsFilter, OrderingFilter, SafeSearchFilter]
    known_query_parameters = BaseAPIViewSet.known_query_parameters.difference({"rich_text_format"})
    meta_fields = [*BaseAPIViewSet.meta_fields, "articles_url"]

    @classmethod
    def get_listing_default_fields(cls, model):
        # Authors are small: a listing shows everything a detail does.
        return cls.get_available_fields(model)

    def get_queryset(self):
        return visible_snippets(Author.objects.all()).order_by("name", "pk")
