from django.apps import AppConfig


class NewsConfig(AppConfig):
    name = "news"
    verbose_name = "News"

    def ready(self):
        from .api.schemas import register_v3_schemas

        register_v3_schemas()
