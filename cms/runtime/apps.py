from django.apps import AppConfig


class RuntimeConfig(AppConfig):
    """The site's life outside requests: task worker, clock, health and checks."""

    name = "cms.runtime"
    label = "runtime"
    verbose_name = "Runtime"

    def ready(self):
        from django.db.models.signals import post_save
        from wagtail.models import Revision

        from cms import public_address  # noqa: F401 - registers the public address checks

        from . import checks  # noqa: F401 - registers the system checks
        from .catch_up import note_scheduled_revision

        post_save.connect(note_scheduled_revision, sender=Revision, dispatch_uid="byline-go-live")
        # In every process (web, worker, clock): a publish, unpublish or admin edit
        # anywhere dates the HTTP answers anew (cms/http_cache.py).
        from cms import http_cache

        http_cache.connect_signals()
