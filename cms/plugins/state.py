"""The plugins this process discovered, kept in settings by cms.settings.base."""

from django.conf import settings


def discovered_plugins():
    """PluginInfo for every plugin discovery saw (enabled, disabled or failed)."""
    return list(getattr(settings, "BYLINE_PLUGINS", []))


def plugin_for_module(module_name):
    """The enabled plugin whose app contains `module_name`, or None for core code."""
    from django.apps import apps

    app_config = apps.get_containing_app_config(module_name)
    if app_config is None:
        return None
    for plugin in discovered_plugins():
        if plugin.enabled and (
            plugin.app == app_config.name or plugin.app.startswith(app_config.name + ".")
        ):
            return plugin
    return None


def owner_name(func):
    """A readable name for whoever registered `func`: the plugin's name or 'core'."""
    plugin = plugin_for_module(getattr(func, "__module__", "") or "")
    return plugin.name if plugin else "core"
