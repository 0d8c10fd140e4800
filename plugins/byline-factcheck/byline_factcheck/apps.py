from django.apps import AppConfig


class FactCheckConfig(AppConfig):
    name = "byline_factcheck"
    verbose_name = "Fact checks"
