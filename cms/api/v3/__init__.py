"""API v3 (Wagtail 8's django-ninja API) at /api/v3/.

``api`` mounts Wagtail's routers for redirects, snippets, sites, locales,
schemas and ``whoami`` unchanged, and Byline's routers for pages, articles,
images, documents (Wagtail's, reads narrowed), authors, tags and site data
(see ``api.py`` for why it is Byline's own API object). The OpenAPI 3.1
document is at /api/v3/openapi.json.
Plugins' routers (hook ``register_api_v3_routers``) are added when the URLs are
first built, after every router below: add core routers here, at import.
"""

from wagtail.api.v3.routers.schema import router as schema_router
from wagtail.api.v3.routers.sites import router as sites_router
from wagtail.api.v3.routers.whoami import router as whoami_router
from wagtail.contrib.redirects.api.v3.router import router as redirects_router
from wagtail.locales.api.v3.router import router as locales_router
from wagtail.snippets.api.v3.router import router as snippets_router

from authors.api.v3 import router as authors_router
from home.api.v3 import router as site_router
from news.api.v3 import articles_router, images_router, tags_router

from .api import build_api
from .documents import router as documents_router
from .pages import router as pages_router
from .preview import router as preview_router

api = build_api(
    title="Byline content API",
    version="3.0.0",
    description="Articles, sections, authors, tags and images of a Byline site. "
    "Reads are public; writes need an `Authorization: Bearer <token>` header.",
)
api.add_router("/pages/", pages_router)
api.add_router("/articles/", articles_router)
api.add_router("/images/", images_router)
api.add_router("/authors/", authors_router)
api.add_router("/tags/", tags_router)
# Drafts for headless frontends, by preview token (cms/api/preview.py).
api.add_router("/preview/", preview_router)
api.add_router("/site/", site_router)
api.add_router("/documents/", documents_router)
api.add_router("/redirects/", redirects_router)
api.add_router("/snippets/", snippets_router)
api.add_router("/schema/", schema_router)
api.add_router("/sites/", sites_router)
api.add_router("/locales/", locales_router)
api.add_router("/", whoami_router)
