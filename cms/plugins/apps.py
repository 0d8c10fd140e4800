from django.apps import AppConfig


class PluginsConfig(AppConfig):
    name = "cms.plugins"
    label = "cms_plugins"
    verbose_name = "Plugins"

    def ready(self):
        from django.apps import apps

        from . import checks  # noqa: F401 - registers the system checks
        from .hook_modules import import_plugin_hook_modules
        from .state import discovered_plugins

        # Before any app asks Wagtail for hooks (Wagtail's API builds its page
        # schemas from plugin API fields during start-up).
        import_plugin_hook_modules(discovered_plugins(), apps.get_app_configs())
