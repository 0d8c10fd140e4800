from django.conf import settings
from django.utils.functional import SimpleLazyObject


def site_navigation(request):
    """The site's name, and sections for the masthead menu (loaded only when used)."""

    def sections():
        from cms.visibility import visible

        from .models import NewsIndexPage

        return list(visible(NewsIndexPage.objects.all()).order_by("path"))

    return {"nav_sections": SimpleLazyObject(sections), "site_name": settings.WAGTAIL_SITE_NAME}
