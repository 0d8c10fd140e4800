from django.apps import AppConfig


class PageCacheConfig(AppConfig):
    """Whole-answer cache for anonymous readers, purged by surrogate keys."""

    name = "cms.page_cache"
    label = "page_cache"
    verbose_name = "Page cache"

    def ready(self):
        from cms import shared_lookups

        from . import invalidation, recording

        recording.connect_signals()
        invalidation.connect_signals()
        shared_lookups.connect_signals()
