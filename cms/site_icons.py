"""/favicon.ico and /manifest.webmanifest: the site's icons where browsers look for them.

Both files live with the static files (cms/static/icons/); browsers and feed
readers ask for /favicon.ico at the root whatever the page says, and the web
app manifest names the site and its icons.
"""

import functools

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import Http404, HttpResponse, JsonResponse
from django.templatetags.static import static
from django.views.decorators.http import require_safe

THEME_COLOUR = "#8a1c1c"
BACKGROUND_COLOUR = "#fffdf9"
# (static path, size, media type) of the manifest's icons.
MANIFEST_ICONS = (
    ("icons/icon-192.png", "192x192", "image/png"),
    ("icons/icon-512.png", "512x512", "image/png"),
    ("icons/logo.svg", "any", "image/svg+xml"),
)
FAVICON_PATH = "icons/favicon.ico"


@functools.cache
def _static_bytes(path):
    found = finders.find(path)
    if not found:
        return None
    with open(found, "rb") as file:
        return file.read()


@require_safe
def favicon(request):
    content = _static_bytes(FAVICON_PATH)
    if content is None:
        raise Http404("No favicon in the static files")
    return HttpResponse(content, content_type="image/x-icon")


@require_safe
def web_app_manifest(request):
    name = settings.WAGTAIL_SITE_NAME
    manifest = {
        "name": name,
        "short_name": name.removeprefix("The ").split()[0] if name else "",
        "description": "Independent local and world news.",
        "start_url": "/",
        "scope": "/",
        "display": "browser",
        "lang": "en-GB",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "icons": [
            {"src": static(path), "sizes": sizes, "type": media_type}
            for path, sizes, media_type in MANIFEST_ICONS
        ],
    }
    return JsonResponse(
        manifest, content_type="application/manifest+json", json_dumps_params={"indent": 1}
    )
