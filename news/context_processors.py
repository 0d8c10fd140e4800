from django.conf import settings
from django.utils.functional import SimpleLazyObject


def site_navigation(request):
    """The site's name, and sections for the masthead menu (loaded only when used)."""

    def sections():
        from .navigation import menu_sections

        return list(menu_sections())

    return {"nav_sections": SimpleLazyObject(sections), "site_name": settings.WAGTAIL_SITE_NAME}
