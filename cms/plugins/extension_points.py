"""The list of Byline's extension points: each is declared here once.

Documentation comes from the docstring of the registry or the event's
description; tests fail if one is undocumented or has no test.
"""

from dataclasses import dataclass

from . import registries
from .events import EVENTS


@dataclass(frozen=True)
class ExtensionPoint:
    hook_name: str
    kind: str  # "registry", "event" or "wagtail"
    doc: str


def _registry_point(registry):
    return ExtensionPoint(registry.hook_name, "registry", (type(registry).__doc__ or "").strip())


EXTENSION_POINTS = {
    point.hook_name: point
    for point in [
        *(_registry_point(registry) for registry in registries.ALL_REGISTRIES),
        *(ExtensionPoint(name, "event", doc) for name, doc in EVENTS.items()),
        ExtensionPoint(
            "register_admin_menu_item",
            "wagtail",
            "Wagtail's own hook: return a wagtail.admin.menu.MenuItem to add to the admin menu "
            "(use `register_admin_urls` for the views it links to).",
        ),
        ExtensionPoint(
            "register_setting",
            "wagtail",
            "Wagtail's own decorator, wagtail.contrib.settings.models.register_setting: a "
            "BaseSiteSetting/BaseGenericSetting model of the plugin becomes an admin settings "
            "page; read it in code with Model.load() or in templates as {{ settings.app.Model }}.",
        ),
    ]
}
