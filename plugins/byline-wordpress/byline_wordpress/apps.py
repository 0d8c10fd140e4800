from django.apps import AppConfig


class WordPressConfig(AppConfig):
    name = "byline_wordpress"
    label = "byline_wordpress"
    verbose_name = "WordPress import"
    default_auto_field = "django.db.models.BigAutoField"
