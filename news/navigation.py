"""The site's menu: which sections the masthead and headless frontends list.

One rule for the HTML masthead (``news.context_processors``) and the API's
site data (``home.api.site``): the sections readers may see now whose "Show
in menus" box is ticked (Wagtail's ``show_in_menus``, which the API reports
and ``?show_in_menus=true`` filters on), in the editors' order in the page tree.

The masthead reads it through ``cached_menu_sections()``: kept between requests in
the shared lookups (``cms.shared_lookups``) until a section is published, saved,
moved, deleted or restricted (the page cache's ``nav`` and ``page:<id>`` keys, and
``sections``), or one of them is due to appear or disappear.
"""

from datetime import UTC

from django.db.models import Exists, OuterRef
from django.db.models.functions import Length, Substr
from django.utils import timezone


def menu_sections():
    """The menu's sections, in tree order (one query when read)."""
    from cms.visibility import visible

    from .models import NewsIndexPage

    return visible(NewsIndexPage.objects.in_menu()).order_by("path")


def _candidates():
    """Every section ticked for menus, visible now or not, with whether a view
    restriction covers it (one query): what the menu is made from, and what may change it."""
    from wagtail.models import PageViewRestriction

    from .models import NewsIndexPage

    covering = PageViewRestriction.objects.filter(
        page__path=Substr(OuterRef("path"), 1, Length("page__path"))
    )
    return NewsIndexPage.objects.in_menu().annotate(restricted=Exists(covering)).order_by("path")


def _build_menu():
    from cms.visibility import is_on_schedule

    now = timezone.now()
    candidates = list(_candidates())
    sections = [s for s in candidates if not s.restricted and is_on_schedule(s, now)]
    upcoming = [
        moment
        for section in candidates
        for moment in (section.go_live_at, section.expire_at)
        if moment is not None and moment > now
    ]
    until = min(upcoming).astimezone(UTC).timestamp() if upcoming else None
    names = {"nav", "sections", *(f"page:{section.pk}" for section in candidates)}
    return sections, names, until


def cached_menu_sections(request=None):
    """``menu_sections()`` as a list, from the shared lookups when nothing changed."""
    from cms.shared_lookups import remember

    return remember("menu-sections", _build_menu, request)
