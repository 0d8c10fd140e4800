from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from authors import views as author_views
from cms import site_icons
from cms.api.v2 import api_router as api_v2
from cms.api.v3 import api as api_v3
from cms.plugins.urls import plugin_urlpatterns
from cms.runtime import health
from news import archives as news_archives
from news import sitemaps as news_sitemaps
from news import views as news_views

# A full disk answers 507 and a locked or unreachable database 503 (with
# Retry-After) in the client's format; other errors get the 500 page.
handler500 = "cms.resilience.server_error_handler"
# A request refused before any view (a Host header the site does not serve) answers 400
# in the API's error format on API paths.
handler400 = "cms.resilience.bad_request_handler"

urlpatterns = [
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    # For load balancers and monitoring (README: "Runtime").
    path("health/", health.health, name="health"),
    path("health/worker/", health.worker_health, name="worker_health"),
    # The content API (README: "API").
    path("api/v2/", api_v2.urls),
    path("api/v3/", api_v3.urls),
    path("tags/<str:slug>/", news_views.tag_detail, name="tag_detail"),
    path("authors/", author_views.author_list, name="author_list"),
    path("authors/<str:slug>/", news_views.author_archive, name="author_detail"),
    # Feeds: /feed/, /sections|authors|tags/<slug>/feed/, each also at feed/atom/ and feed/json/.
    path("", include("news.feeds.urls")),
    path("sitemap.xml", news_sitemaps.sitemap_index, name="sitemap"),
    path("sitemap-<slug:section>.xml", news_sitemaps.sitemap_section, name="sitemap_section"),
    path("news-sitemap.xml", news_sitemaps.news_sitemap, name="news_sitemap"),
    path("robots.txt", news_sitemaps.robots_txt, name="robots_txt"),
    path("favicon.ico", site_icons.favicon, name="favicon"),
    path("manifest.webmanifest", site_icons.web_app_manifest, name="web_app_manifest"),
    path("search/", news_views.search, name="search"),
    # Archives by date. A section slugged like a year ("2024") would be hidden
    # by these, so keep section slugs non-numeric.
    re_path(r"^(?P<year>[0-9]{4})/$", news_archives.year_archive, name="archive_year"),
    re_path(
        r"^(?P<year>[0-9]{4})/(?P<month>[0-9]{2})/$",
        news_archives.month_archive,
        name="archive_month",
    ),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Plugin routes go before Wagtail's page routing, which matches every path.
urlpatterns += plugin_urlpatterns()
urlpatterns += [path("", include(wagtail_urls))]
