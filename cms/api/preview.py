"""Draft previews for headless frontends: ``/api/v2/preview/`` and ``/api/v3/preview/``.

A frontend opened by a preview mode (``cms.headless.preview``) holds a
preview token and asks ``preview/?token=…`` for the draft. The answer is
the page as the public detail endpoint of the same version shows it
(``pages/<id>/``: the same fields, shapes and rich text), built from the
token's revision (``revision.as_object()``) instead of the live page.
Optional ``id`` and ``revision`` parameters let a frontend check that the
token is for the page and revision it expects.

Refusals are ``application/problem+json``: 401 for a token that is expired,
altered or not a preview token, 403 for a valid token used out of its scope
(another page, another revision), 404 when the revision no longer exists.
Every answer, refusals included, is ``Cache-Control: private, no-store``:
a draft must never sit in a shared cache or the browser's. Previews are
only ever served here, never in listings, ``find`` or other details.
"""

from django.utils.module_loading import import_string
from wagtail.models import Revision

from cms.api.fields import prefetch_api_fields
from cms.headless.tokens import PreviewTokenError, content_type_label, read_preview_token
from cms.public_address import own_type

#: Query parameters of both versions' preview endpoints.
PREVIEW_PARAMETERS = {
    "token": "The preview token the frontend was opened with (?preview_token=…).",
    "id": "Optional: the page id the frontend expects; another page's token is refused (403).",
    "revision": "Optional: the revision id the frontend expects; a token for another revision "
    "is refused (403).",
}

#: What a 401 must carry (RFC 9110): the token travels as ?token=, not in a header.
WWW_AUTHENTICATE = 'PreviewToken realm="Byline draft previews"'


def previewed_page(token: str, *, page_id: int | None = None, revision_id: int | None = None):
    """The page as revision ``token`` opens it; ``PreviewTokenError`` when it may not be seen."""
    scope = read_preview_token(token)
    if page_id is not None and page_id != scope.page_id:
        raise PreviewTokenError(
            403, f"This preview token is for page {scope.page_id}, not page {page_id}."
        )
    if revision_id is not None and revision_id != scope.revision_id:
        raise PreviewTokenError(
            403,
            f"This preview token is for revision {scope.revision_id}, not revision "
            f"{revision_id}. Open the preview again in the admin to see the latest draft.",
        )
    revision = (
        Revision.page_revisions.filter(pk=scope.revision_id, object_id=str(scope.page_id))
        .select_related("content_type")
        .first()
    )
    if revision is None or revision.content_object is None:
        raise PreviewTokenError(
            404, "This draft no longer exists: the page or revision was deleted."
        )
    draft = revision.as_object()
    if content_type_label(draft) != scope.content_type:
        raise PreviewTokenError(403, "This preview token is for a page of another type.")
    prefetch_draft(draft)
    # meta.parent as its own type (for a public html_url), as the detail endpoints do.
    draft._cached_parent_obj = own_type(draft.get_parent())
    return draft


def prefetch_draft(draft):
    """Every API field's bulk prefetch, so images and links in a draft add no query.

    A page type whose revisions hold child objects (an article's bylines and
    tags, kept in memory by modelcluster) names its own draft prefetch in
    ``api_draft_prefetch`` (an import path): the listings' prefetches would
    read those relations from the database and show the live ones instead.
    (Rebuilding the revision itself checks each child's references, one query
    or two per byline or tag: Wagtail's cost, as in the admin's previews.)
    """
    path = getattr(type(draft), "api_draft_prefetch", None)
    if path:
        import_string(path)(draft)
    else:
        prefetch_api_fields([draft])


def no_store(response):
    """Keep a preview answer out of every cache, shared or the browser's."""
    response["Cache-Control"] = "private, no-store"
    return response
