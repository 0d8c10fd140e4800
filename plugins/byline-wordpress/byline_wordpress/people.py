"""WordPress users and Co-Authors Plus guest authors → Author snippets."""

import re
from urllib.parse import urlsplit

from django.utils.html import strip_tags
from django.utils.text import slugify

ROLE_KEYS = ("role", "job_title", "position", "title", "cap-job_title", "cap-role")
BIO_KEYS = ("description", "bio", "biography", "cap-description")
WEBSITE_KEYS = ("url", "user_url", "website", "cap-website")
SERVICE_KEYS = {
    "mastodon": ("mastodon", "cap-mastodon", "fediverse"),
    "x": ("twitter", "cap-twitter", "x"),
    "bluesky": ("bluesky", "cap-bluesky"),
    "linkedin": ("linkedin", "cap-linkedin"),
    "instagram": ("instagram", "cap-instagram"),
    "github": ("github", "cap-github"),
}
SERVICE_HOSTS = {
    "x": "https://x.com/",
    "instagram": "https://www.instagram.com/",
    "github": "https://github.com/",
    "bluesky": "https://bsky.app/profile/",
}


def _first(meta, keys):
    return next((meta[key].strip() for key in keys if (meta.get(key) or "").strip()), "")


def _web_url(value):
    value = (value or "").strip()
    if value and "://" not in value and "." in value and " " not in value:
        value = "https://" + value
    parts = urlsplit(value)
    return value if parts.scheme in {"http", "https"} and parts.netloc else ""


def _service_url(service, value):
    """A profile URL from what people type: a URL, @handle or @user@host (Mastodon)."""
    value = value.strip()
    mastodon = re.fullmatch(r"@?([\w.]+)@([\w.-]+\.\w+)", value)
    if service == "mastodon" and mastodon:
        return f"https://{mastodon[2]}/@{mastodon[1]}"
    if service in SERVICE_HOSTS and re.fullmatch(r"@?[\w.-]+", value):
        return SERVICE_HOSTS[service] + value.lstrip("@")
    return _web_url(value)


def profile_links(meta):
    """Raw StreamField data of an author's profile links from user meta."""
    links = []
    for service, keys in SERVICE_KEYS.items():
        url = _service_url(service, _first(meta, keys)) if _first(meta, keys) else ""
        if url:
            links.append({"type": "link", "value": {"service": service, "url": url}})
    website = _web_url(_first(meta, WEBSITE_KEYS))
    if website:
        links.append({"type": "link", "value": {"service": "website", "url": website}})
    return links


def author_fields(display_name, login, email, meta):
    """Author snippet fields for a WordPress user or guest author."""
    bio = " ".join(strip_tags(_first(meta, BIO_KEYS)).split())
    short_bio = bio if len(bio) <= 600 else bio[:599].rsplit(" ", 1)[0] + "…"
    return {
        "name": (display_name or login or "Unknown author")[:120],
        "role": _first(meta, ROLE_KEYS)[:160],
        "short_bio": short_bio,
        "long_bio": f"<p>{bio}</p>" if len(bio) > 600 else "",
        "email": email if "@" in (email or "") and len(email) <= 254 else "",
        "profile_links": profile_links(meta),
    }


def author_slug(login):
    """WordPress's author archive slug (user_nicename) as WordPress makes it from the login."""
    return slugify(login or "", allow_unicode=True)[:110]
