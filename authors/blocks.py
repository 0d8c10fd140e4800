"""Blocks describing an author's presence elsewhere on the web."""

from urllib.parse import urlsplit

from typing_extensions import TypedDict
from wagtail import blocks

PROFILE_SERVICES = [
    ("mastodon", "Mastodon"),
    ("bluesky", "Bluesky"),
    ("x", "X"),
    ("linkedin", "LinkedIn"),
    ("instagram", "Instagram"),
    ("github", "GitHub"),
    ("website", "Website"),
]


class ProfileLinkValue(blocks.StructValue):
    """Display logic for one profile link, so templates never branch on the service."""

    @property
    def service_label(self):
        return dict(PROFILE_SERVICES).get(self.get("service"), "Website")

    @property
    def rel(self):
        # rel="me" lets Mastodon verify that this page and the profile belong together.
        return "me noopener" if self.get("service") == "mastodon" else "noopener"

    @property
    def handle(self):
        """A short human form of the link: @user@host for Mastodon, the host otherwise."""
        url = self.get("url") or ""
        parts = urlsplit(url)
        path = parts.path.strip("/")
        if self.get("service") == "mastodon" and path.startswith("@"):
            return f"{path}@{parts.hostname}"
        if self.get("service") in {"bluesky", "x", "instagram", "github"} and path:
            return "@" + path.split("/")[-1]
        return parts.hostname or url


class ProfileLinkAPIValue(TypedDict):
    """A profile elsewhere: service, label, URL, short handle and rel ("me" for Mastodon)."""

    service: str
    label: str
    url: str
    handle: str
    rel: str | None


class ProfileLinkBlock(blocks.StructBlock):
    service = blocks.ChoiceBlock(choices=PROFILE_SERVICES, default="website")
    url = blocks.URLBlock(label="Web address", help_text="The profile's full address.")

    class Meta:
        icon = "link"
        value_class = ProfileLinkValue
        label_format = "{service}: {url}"
        description = 'A profile on another site; Mastodon links carry rel="me".'

    def get_api_representation(self, value, context=None) -> ProfileLinkAPIValue:
        return {
            "service": value.get("service"),
            "label": value.service_label,
            "url": value.get("url"),
            "handle": value.handle,
            "rel": value.rel.split()[0] if value.get("service") == "mastodon" else None,
        }
