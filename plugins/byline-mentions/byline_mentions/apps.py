from django.apps import AppConfig


class MentionsConfig(AppConfig):
    name = "byline_mentions"
    label = "byline_mentions"
    verbose_name = "Pingbacks and webmentions"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from news.demo.signals import demo_site_built

        from . import checks  # noqa: F401 - registers the system checks
        from .demo import add_demo_mentions

        # The demo site shows a pingback and a webmention (README "Demo content").
        demo_site_built.connect(add_demo_mentions, dispatch_uid="byline-mentions-demo")
