"""What the public may see through the API.

A page is public when it is visible now (``cms.visibility``, the definition
every reader surface shares): live, its go-live time come and its expiry time
not yet (whether or not the scheduled-publishing job has run), an article's
publication date come, and no view restriction (password, login or groups) on
it or an ancestor. Public responses never show anything else, whoever asks:
the API serves anonymous headless frontends, so a session that once passed a
page's password does not widen it.

An image is public when public content uses it: a public page (lead image,
body blocks) or an author (portrait). Wagtail's reference index records those
uses; an image only a draft, a restricted page or nothing at all uses stays
out of the API. Documents and images in a collection with a view restriction
(``private_collections``) stay out for everyone but a token holder who manages
them (``manages``): a signed-in session or a token without such permissions
counts as anonymous.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Exists, OuterRef, Q
from django.db.models.functions import Cast, Length, Substr
from wagtail.api.validators import SiteFilterValidator
from wagtail.models import Collection, CollectionViewRestriction, Page, ReferenceIndex

from cms.visibility import is_visible, restricted_paths, visible, visible_snippets

__all__ = [
    "is_public_page",
    "manages",
    "private_collections",
    "public_images",
    "public_pages",
    "restricted_paths",
    "searchable_public_pages",
]


def searchable_public_pages(request=None, model=Page):
    """``public_pages`` as an id filter, which search backends accept.

    Search backends only filter on indexed fields; ``pk`` is one, expiry
    times and the like are not.
    """
    return model._default_manager.filter(pk__in=public_pages(request).values("pk"))


def public_pages(request=None, model=Page):
    """Pages of ``model`` visible now (``cms.visibility.visible``).

    With a request the pages are also limited to the requested site (the
    ``?site=`` parameter or the request's host), as Wagtail's API does.
    Raises ``ValueError`` for an ambiguous ``?site=``. To search the result,
    use ``searchable_public_pages``.
    """
    queryset = visible(model._default_manager.all())
    if request is not None:
        site = SiteFilterValidator(site=request.GET.get("site"), request=request).site_obj
        if site is None:
            return queryset.none()
        queryset = queryset.filter(path__startswith=site.root_page.path)
    return queryset


def is_public_page(page, request=None) -> bool:
    """Whether ``page`` may appear in a public response (no query but one cached lookup)."""
    return is_visible(page, request)


def private_collections():
    """Collections under a view restriction, their own or an ancestor's (a subquery, no query).

    The public API answers for these as it would an anonymous reader,
    whoever asks: a login restriction lets in any signed-in user, and any
    token holder is one, however few permissions the token's user has.
    """
    covering = CollectionViewRestriction.objects.filter(
        collection__path=Substr(OuterRef("path"), 1, Length("collection__path"))
    )
    return Collection.objects.filter(Exists(covering)).values("pk")


def manages(user, model) -> bool:
    """Whether ``user`` may choose, add, change or delete ``model`` (images, documents).

    Only such a token holder reads images and documents beyond the public ones.
    """
    from wagtail.permissions import policy_registry

    return user.is_authenticated and policy_registry.get_by_type(model).user_has_any_permission(
        user, ["add", "change", "delete", "choose"]
    )


def public_images(queryset, request=None):
    """Narrow an image queryset to images that public content uses."""
    image_type = ContentType.objects.get_for_model(queryset.model)
    page_type = ContentType.objects.get_for_model(Page)
    from authors.models import Author

    author_type = ContentType.objects.get_for_model(Author)
    public_page_ids = (
        public_pages(request).annotate(key=Cast("pk", output_field=CharField())).values("key")
    )
    # Portraits of published authors only: a draft author's portrait is not public.
    public_author_ids = (
        visible_snippets(Author.objects.all())
        .annotate(key=Cast("pk", output_field=CharField()))
        .values("key")
    )
    uses = ReferenceIndex.objects.filter(
        Q(base_content_type=page_type, object_id__in=public_page_ids)
        | Q(base_content_type=author_type, object_id__in=public_author_ids),
        to_content_type=image_type,
        to_object_id=Cast(OuterRef("pk"), output_field=CharField()),
    )
    # As an id filter, so the result can still be searched.
    public_ids = queryset.model._default_manager.filter(Exists(uses)).values("pk")
    return queryset.filter(pk__in=public_ids)
