"""The "Headless frontends" site setting: where each site's frontends live."""

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.core.exceptions import ValidationError
from django.db import models
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.contrib.settings.models import BaseSiteSetting
from wagtail.models import Orderable

#: Preview mode of the default (first) frontend; the others are "frontend-<id>".
FRONTEND_MODE = "frontend"
#: The query parameter that hands a frontend its preview token.
TOKEN_PARAMETER = "preview_token"


def origin_of(url: str) -> str:
    """``scheme://host[:port]`` of a URL, lower-cased: what a browser sends as ``Origin``."""
    parts = urlsplit(url.strip())
    return f"{parts.scheme}://{parts.netloc}".lower()


def validate_frontend_url(url: str):
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationError(
            "Enter the frontend's full address, starting with https:// or http://."
        )
    if parts.username or parts.password:
        # It would end up in every editor's browser history and in the CORS allow-list.
        raise ValidationError("Leave user names and passwords out of the address.")
    if parts.fragment:
        raise ValidationError("Leave the #fragment out of the address.")


class HeadlessSettings(ClusterableModel, BaseSiteSetting):
    """A site's headless frontends, the first of them the default.

    Each frontend becomes a preview mode of the site's pages ("Frontend: name"
    in the preview panel), and its origin may read the API from a browser
    (CORS) without being listed in ``BYLINE_CORS_ALLOWED_ORIGINS``.
    """

    panels = [
        InlinePanel(
            "frontends",
            heading="Frontends",
            label="Frontend",
            help_text="The first frontend is the default. Previews open its address with "
            f"?{TOKEN_PARAMETER}=… added; it reads the draft from /api/v2/preview/ or "
            "/api/v3/preview/.",
        )
    ]

    class Meta:
        verbose_name = "Headless frontends"


class HeadlessFrontend(Orderable):
    """One frontend of a site: a name for editors and the address previews open."""

    settings = ParentalKey(HeadlessSettings, on_delete=models.CASCADE, related_name="frontends")
    name = models.CharField(max_length=80, help_text='Shown in the preview panel, e.g. "Website".')
    url = models.URLField(
        "base URL",
        max_length=500,
        validators=[validate_frontend_url],
        help_text="The page previews open, e.g. https://www.example.com/preview/. Its origin may "
        "read the API from a browser.",
    )

    panels = [FieldPanel("name"), FieldPanel("url")]

    def __str__(self):
        return self.name

    @property
    def origin(self) -> str:
        return origin_of(self.url)

    def preview_url(self, token: str) -> str:
        """The frontend's address with the preview token added to its own query string."""
        parts = urlsplit(self.url)
        query = [(key, value) for key, value in parse_qsl(parts.query) if key != TOKEN_PARAMETER]
        query.append((TOKEN_PARAMETER, token))
        return urlunsplit(parts._replace(query=urlencode(query)))
