"""Public URL routes contributed by plugins (included by cms/urls.py)."""

from .registries import plugin_urls


def plugin_urlpatterns():
    return plugin_urls.urlpatterns()
