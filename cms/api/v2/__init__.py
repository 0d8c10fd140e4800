"""API v2 (Wagtail's DRF API) at /api/v2/: the router of every endpoint."""

from wagtail.api.v2.router import WagtailAPIRouter

from authors.api.v2 import AuthorsAPIViewSet
from news.api.v2 import (
    ArticlePagesAPIViewSet,
    ArticlesAPIViewSet,
    PublicImagesAPIViewSet,
    TagsAPIViewSet,
)

from .views import PublicDocumentsAPIViewSet

api_router = WagtailAPIRouter("wagtailapi_v2")
# Pages first: an article's detail_url is its /api/v2/pages/<id>/ address.
api_router.register_endpoint("pages", ArticlePagesAPIViewSet)
api_router.register_endpoint("articles", ArticlesAPIViewSet)
api_router.register_endpoint("images", PublicImagesAPIViewSet)
api_router.register_endpoint("documents", PublicDocumentsAPIViewSet)
api_router.register_endpoint("authors", AuthorsAPIViewSet)
api_router.register_endpoint("tags", TagsAPIViewSet)
