from django.apps import AppConfig


class MentionsConfig(AppConfig):
    name = "byline_mentions"
    label = "byline_mentions"
    verbose_name = "Pingbacks and webmentions"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import checks  # noqa: F401 - registers the system checks
