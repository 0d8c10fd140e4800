"""The site's menu: which sections the masthead and headless frontends list.

One rule for the HTML masthead (``news.context_processors``) and the API's
site data (``home.api.site``): the sections readers may see now whose "Show
in menus" box is ticked (Wagtail's ``show_in_menus``, which the API reports
and ``?show_in_menus=true`` filters on), in the editors' order in the page tree.
"""


def menu_sections():
    """The menu's sections, in tree order (one query when read)."""
    from cms.visibility import visible

    from .models import NewsIndexPage

    return visible(NewsIndexPage.objects.in_menu()).order_by("path")
