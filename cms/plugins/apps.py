from django.apps import AppConfig


class PluginsConfig(AppConfig):
    name = "cms.plugins"
    label = "cms_plugins"
    verbose_name = "Plugins"
