from django.apps import AppConfig


class NewsConfig(AppConfig):
    name = "news"
    verbose_name = "News"

    def ready(self):
        from .api.schemas import register_v3_schemas
        from .events import connect_article_events
        from .feeds import identity  # noqa: F401 - registers its system check

        register_v3_schemas()
        connect_article_events()
