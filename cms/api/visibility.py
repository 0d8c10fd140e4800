"""What the public may see through the API.

A page is public when it is live, has not passed its expiry time (even if the
scheduled-publishing command has not unpublished it yet) and neither it nor
an ancestor carries a view restriction (password, login or groups). Public
responses never show anything else, whoever asks: the API serves anonymous
headless frontends, so a session that once passed a page's password does not
widen it.

An image is public when public content uses it: a public page (lead image,
body blocks) or an author (portrait). Wagtail's reference index records those
uses; an image only a draft, a restricted page or nothing at all uses stays
out of the API.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Exists, OuterRef, Q
from django.db.models.functions import Cast
from django.utils import timezone
from wagtail.api.validators import SiteFilterValidator
from wagtail.models import Page, PageViewRestriction, ReferenceIndex

_CACHE_ATTRIBUTE = "_byline_restricted_paths"


def restricted_paths(request=None) -> list[str]:
    """Tree paths of every page with a view restriction (one query, cached per request)."""
    cached = getattr(request, _CACHE_ATTRIBUTE, None) if request is not None else None
    if cached is not None:
        return cached
    paths = list(PageViewRestriction.objects.values_list("page__path", flat=True).distinct())
    if request is not None:
        setattr(request, _CACHE_ATTRIBUTE, paths)
    return paths


def searchable_public_pages(request=None, model=Page):
    """``public_pages`` as an id filter, which search backends accept.

    Search backends only filter on indexed fields; ``pk`` is one, expiry
    times and the like are not.
    """
    return model._default_manager.filter(pk__in=public_pages(request).values("pk"))


def public_pages(request=None, model=Page):
    """Live, unexpired, unrestricted pages of ``model``.

    With a request the pages are also limited to the requested site (the
    ``?site=`` parameter or the request's host), as Wagtail's API does.
    Raises ``ValueError`` for an ambiguous ``?site=``. To search the result,
    use ``searchable_public_pages``.
    """
    queryset = model._default_manager.live().exclude(expire_at__lte=timezone.now())
    paths = restricted_paths(request)
    if paths:
        restricted = Q()
        for path in paths:
            restricted |= Q(path__startswith=path)
        queryset = queryset.exclude(restricted)
    if request is not None:
        site = SiteFilterValidator(site=request.GET.get("site"), request=request).site_obj
        if site is None:
            return queryset.none()
        queryset = queryset.filter(path__startswith=site.root_page.path)
    return queryset


def is_public_page(page, request=None) -> bool:
    """Whether ``page`` may appear in a public response (no query but one cached lookup)."""
    if page is None or not page.live:
        return False
    if page.expire_at is not None and page.expire_at <= timezone.now():
        return False
    return not any(page.path.startswith(path) for path in restricted_paths(request))


def public_images(queryset, request=None):
    """Narrow an image queryset to images that public content uses."""
    image_type = ContentType.objects.get_for_model(queryset.model)
    page_type = ContentType.objects.get_for_model(Page)
    from authors.models import Author

    author_type = ContentType.objects.get_for_model(Author)
    public_page_ids = (
        public_pages(request).annotate(key=Cast("pk", output_field=CharField())).values("key")
    )
    uses = ReferenceIndex.objects.filter(
        Q(base_content_type=page_type, object_id__in=public_page_ids)
        | Q(base_content_type=author_type),
        to_content_type=image_type,
        to_object_id=Cast(OuterRef("pk"), output_field=CharField()),
    )
    # As an id filter, so the result can still be searched.
    public_ids = queryset.model._default_manager.filter(Exists(uses)).values("pk")
    return queryset.filter(pk__in=public_ids)
