"""Every site's headless frontends, kept in the cache.

Read on paths that must stay cheap: each cross-origin API request (is its
origin a frontend's? ``cors``) and each page the admin lists or edits (which
preview modes does it have? ``preview``; Wagtail's dashboard panels ask every
listed page). One query fills the cache for all sites; saving or deleting a
frontend or a site's settings forgets it (``HeadlessConfig.ready``). A process
whose local-memory cache did not see the change catches up within
``CACHE_SECONDS``; with a shared cache (``REDIS_URL``) every process at once.
"""

from django.core.cache import cache

from .models import FRONTEND_MODE, HeadlessFrontend

CACHE_KEY = "byline:headless:frontends"
CACHE_SECONDS = 60


def frontends_by_site() -> dict[int, list[HeadlessFrontend]]:
    """``{site id: [frontend, ...]}``, each site's default frontend first."""
    found = cache.get(CACHE_KEY)
    if found is None:
        found = {}
        frontends = HeadlessFrontend.objects.select_related("settings").order_by("sort_order", "pk")
        for frontend in frontends:
            found.setdefault(frontend.settings.site_id, []).append(frontend)
        cache.set(CACHE_KEY, found, CACHE_SECONDS)
    return found


def frontend_modes(site_id) -> list[tuple[str, HeadlessFrontend]]:
    """``[(preview mode name, frontend)]`` of a site: ``frontend``, then ``frontend-<id>``."""
    return [
        (FRONTEND_MODE if position == 0 else f"{FRONTEND_MODE}-{frontend.pk}", frontend)
        for position, frontend in enumerate(frontends_by_site().get(site_id, []))
    ]


def frontend_origins() -> frozenset[str]:
    """The origins of every site's frontends (``https://www.example.com``)."""
    return frozenset(
        frontend.origin for frontends in frontends_by_site().values() for frontend in frontends
    )


def forget_frontends(**kwargs):
    cache.delete(CACHE_KEY)
