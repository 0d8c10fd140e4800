"""System checks for CORS: credentials never go to every origin."""

from django.conf import settings
from django.core.checks import Error, Warning, register


@register()
def check_cors_credentials(app_configs, **kwargs):
    """headless.E001 / W001: credentials combined with a wildcard origin."""
    every_origin = getattr(settings, "CORS_ALLOW_ALL_ORIGINS", False)
    if every_origin and getattr(settings, "CORS_ALLOW_CREDENTIALS", False):
        # django-cors-headers would then echo any origin with
        # Access-Control-Allow-Credentials: any site could read what a
        # signed-in browser may read.
        return [
            Error(
                "CORS_ALLOW_ALL_ORIGINS and CORS_ALLOW_CREDENTIALS are both on.",
                hint="List the frontends' origins in BYLINE_CORS_ALLOWED_ORIGINS instead of *, "
                "or leave credentials off.",
                id="headless.E001",
            )
        ]
    if every_origin and getattr(settings, "BYLINE_CORS_ALLOW_CREDENTIALS", False):
        return [
            Warning(
                "BYLINE_CORS_ALLOW_CREDENTIALS is ignored: BYLINE_CORS_ALLOWED_ORIGINS is *.",
                hint="Credentials are only sent to origins listed by name.",
                id="headless.W001",
            )
        ]
    return []
