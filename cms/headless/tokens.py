"""Preview tokens: signed, short-lived, for one revision of one page.

A token is what a preview mode hands to a headless frontend, which passes it
to ``/api/v2/preview/`` or ``/api/v3/preview/`` to read the draft. It carries
the page's content type, its id and the revision's id, signed with the
site's ``SECRET_KEY`` and a salt of its own (so no other signed value of the
site, such as a comment form token, can pass for one). It expires after
``BYLINE_PREVIEW_TOKEN_MAX_AGE`` seconds (ten minutes by default): it travels
in a URL, so it must not stay useful for long. Nothing is stored.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import signing

SALT = "byline.headless.preview-token"
DEFAULT_MAX_AGE = 600


class PreviewTokenError(Exception):
    """A token that cannot be used: ``status`` (401 or 403) and a ``detail`` for the client."""

    def __init__(self, status: int, detail: str):
        super().__init__(detail)
        self.status = status
        self.detail = detail


@dataclass(frozen=True)
class PreviewScope:
    """What a token opens: one revision of one page of one type."""

    content_type: str  # "app_label.model", e.g. "news.articlepage"
    page_id: int
    revision_id: int


def max_age() -> int:
    return int(getattr(settings, "BYLINE_PREVIEW_TOKEN_MAX_AGE", DEFAULT_MAX_AGE))


def content_type_label(page) -> str:
    content_type = ContentType.objects.get_for_id(page.content_type_id)
    return f"{content_type.app_label}.{content_type.model}"


def issue_preview_token(page, revision_id: int) -> str:
    """A token for revision ``revision_id`` of ``page`` (a saved page)."""
    payload = {"ct": content_type_label(page), "page": page.pk, "rev": revision_id}
    return signing.dumps(payload, salt=SALT)


def read_preview_token(token: str) -> PreviewScope:
    """The scope of a valid token; ``PreviewTokenError`` (401) for any other."""
    minutes = max(1, max_age() // 60)
    try:
        payload = signing.loads(token, salt=SALT, max_age=max_age())
    except signing.SignatureExpired:
        raise PreviewTokenError(
            401,
            f"The preview token has expired (tokens last {minutes} minutes). "
            "Open the preview again in the admin.",
        ) from None
    except (signing.BadSignature, ValueError, TypeError, UnicodeError):
        raise PreviewTokenError(
            401,
            "The preview token is not valid: it was changed, cut short, or not issued "
            "by this site for previews.",
        ) from None
    if not (
        isinstance(payload, dict)
        and isinstance(payload.get("ct"), str)
        and all(type(payload.get(key)) is int for key in ("page", "rev"))
    ):
        # Signed by this site with this salt, so never from outside; an older format.
        raise PreviewTokenError(401, "The preview token is not valid for this version of Byline.")
    return PreviewScope(payload["ct"], payload["page"], payload["rev"])
