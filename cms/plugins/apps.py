from django.apps import AppConfig


class PluginsConfig(AppConfig):
    name = "cms.plugins"
    label = "cms_plugins"
    verbose_name = "Plugins"

    def ready(self):
        from . import checks  # noqa: F401 - registers the system checks
        from .events import connect_article_signals

        connect_article_signals()
