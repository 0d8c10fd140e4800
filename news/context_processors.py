from django.conf import settings
from django.utils.functional import SimpleLazyObject


def site_navigation(request):
    """The site's name, and sections for the masthead menu (loaded only when used)."""

    def sections():
        from .navigation import cached_menu_sections

        return cached_menu_sections(request)

    return {"nav_sections": SimpleLazyObject(sections), "site_name": settings.WAGTAIL_SITE_NAME}
