from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Operating a site: backup and restore (README "Deployment")."""

    name = "cms.ops"
    label = "ops"
    verbose_name = "Operations"
