from django.apps import AppConfig


class RuntimeConfig(AppConfig):
    """The site's life outside requests: task worker, clock, health and checks."""

    name = "cms.runtime"
    label = "runtime"
    verbose_name = "Runtime"

    def ready(self):
        from cms import public_address  # noqa: F401 - registers the public address checks

        from . import checks  # noqa: F401 - registers the system checks
