from django.utils.functional import SimpleLazyObject


def site_navigation(request):
    """Sections for the masthead menu, loaded only when a template uses them."""

    def sections():
        from .models import NewsIndexPage

        return list(NewsIndexPage.objects.live().public().order_by("path"))

    return {"nav_sections": SimpleLazyObject(sections)}
