from django.apps import AppConfig


class RuntimeConfig(AppConfig):
    """The site's life outside requests: task worker, clock, health and checks."""

    name = "cms.runtime"
    label = "runtime"
    verbose_name = "Runtime"

    def ready(self):
        from django.db.models.signals import post_delete, post_save
        from wagtail.models import Revision

        from cms import public_address  # noqa: F401 - registers the public address checks

        from . import checks  # noqa: F401 - registers the system checks
        from .catch_up import forget_next_go_live

        for signal in (post_save, post_delete):
            signal.connect(forget_next_go_live, sender=Revision, dispatch_uid=f"go-live-{signal}")
