"""API v2 (Wagtail's DRF API) at /api/v2/: the router of every endpoint."""

from wagtail.api.v2.router import WagtailAPIRouter

from authors.api.v2 import AuthorsAPIViewSet
from home.api.v2 import SiteAPIViewSet
from news.api.v2 import (
    ArticlePagesAPIViewSet,
    ArticlesAPIViewSet,
    PublicImagesAPIViewSet,
    TagsAPIViewSet,
)

from .preview import PagePreviewAPIViewSet
from .views import PublicDocumentsAPIViewSet

api_router = WagtailAPIRouter("wagtailapi_v2")
# Pages first: an article's detail_url is its /api/v2/pages/<id>/ address.
api_router.register_endpoint("pages", ArticlePagesAPIViewSet)
api_router.register_endpoint("articles", ArticlesAPIViewSet)
api_router.register_endpoint("images", PublicImagesAPIViewSet)
api_router.register_endpoint("documents", PublicDocumentsAPIViewSet)
api_router.register_endpoint("authors", AuthorsAPIViewSet)
api_router.register_endpoint("tags", TagsAPIViewSet)
# Drafts for headless frontends, by preview token (cms/api/preview.py).
api_router.register_endpoint("preview", PagePreviewAPIViewSet)
api_router.register_endpoint("site", SiteAPIViewSet)
