from django.apps import AppConfig


class HeadlessConfig(AppConfig):
    """Headless frontends: the site setting, preview modes and tokens, CORS origins."""

    name = "cms.headless"
    label = "headless"
    verbose_name = "Headless frontends"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from corsheaders.signals import check_request_enabled
        from django.db.models.signals import post_delete, post_save

        from . import checks  # noqa: F401 - registers the system checks
        from .cors import allow_frontend_origins
        from .frontends import forget_frontends
        from .models import HeadlessFrontend, HeadlessSettings

        check_request_enabled.connect(allow_frontend_origins, dispatch_uid="byline-headless-cors")
        for model in (HeadlessSettings, HeadlessFrontend):
            for signal in (post_save, post_delete):
                signal.connect(
                    forget_frontends, sender=model, dispatch_uid=f"byline-{model.__name__}"
                )
