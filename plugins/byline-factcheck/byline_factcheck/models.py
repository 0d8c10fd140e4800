from django.db import models
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting


@register_setting(icon="tick-inverse")
class FactCheckSettings(BaseSiteSetting):
    show_rating_scale = models.BooleanField(
        default=True, help_text="Explain the rating scale beside articles that rate claims."
    )

    class Meta:
        verbose_name = "Fact checks"
