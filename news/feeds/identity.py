"""Feed item ids that never change: tag: URIs (RFC 4151).

A feed reader tells items apart by their id (Atom ``<id>``, RSS ``<guid>``,
JSON Feed ``"id"``): a new id is a new item, shown again as unread. An
article's address is no good for that: it changes with its slug, its
section and the site's host. The id is therefore built from what never
changes once an article is out:

    tag:<authority>,<date of first publication>:article:<translation key>

- the authority is the ``BYLINE_FEED_ID_AUTHORITY`` setting, a domain name or
  e-mail address, deliberately not taken from ``BYLINE_BASE_URL``, so that
  moving the site to another host or port keeps every id. Its default,
  ``byline.invalid``, never changes either (``.invalid`` is reserved, so it
  can never clash with a name someone owns; the translation key keeps ids
  unique across sites). Set it once, before the first feed goes out;
- the date is the day the article was first published, in UTC (a change of
  ``TIME_ZONE`` must not move it), which Wagtail sets once and keeps;
- the translation key is Wagtail's UUID for the page, kept through moves,
  slug changes and exports, and new for a copy. Translations share it, so a
  page outside the default locale adds its language code.
"""

import re
from datetime import UTC

from django.conf import settings
from django.core import checks

DEFAULT_AUTHORITY = "byline.invalid"

# RFC 4151: a DNS name, or an e-mail address at one.
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
_DNS_NAME = rf"{_LABEL}(?:\.{_LABEL})*"
_AUTHORITY = re.compile(rf"(?:[A-Za-z0-9._-]+@)?{_DNS_NAME}")


def feed_id_authority():
    return getattr(settings, "BYLINE_FEED_ID_AUTHORITY", DEFAULT_AUTHORITY) or DEFAULT_AUTHORITY


def article_feed_id(article, default_locale_id=None):
    """The article's feed item id, e.g. ``tag:byline.invalid,2024-03-05:article:6f1c…``.

    ``default_locale_id`` only matters with ``WAGTAIL_I18N_ENABLED``: pages of
    other locales get their language code added.
    """
    first = article.first_published_at or article.publication_date
    day = first.astimezone(UTC).date().isoformat()
    specific = f"article:{article.translation_key}"
    if (
        getattr(settings, "WAGTAIL_I18N_ENABLED", False)
        and default_locale_id is not None
        and article.locale_id != default_locale_id
    ):
        specific += f":{article.locale.language_code}"
    return f"tag:{feed_id_authority()},{day}:{specific}"


@checks.register()
def check_feed_id_authority(app_configs, **kwargs):
    """byline.E010: BYLINE_FEED_ID_AUTHORITY is not a domain name or e-mail address."""
    value = feed_id_authority()
    if isinstance(value, str) and _AUTHORITY.fullmatch(value):
        return []
    return [
        checks.Error(
            f"BYLINE_FEED_ID_AUTHORITY must be a domain name or e-mail address, not {value!r}.",
            hint="Use a name you own, without scheme, port or path, e.g. "
            "BYLINE_FEED_ID_AUTHORITY=news.example.com, and never change it: it is part of "
            "every feed item's id.",
            id="byline.E010",
        )
    ]
