"""The feeds a page advertises with `<link rel="alternate">`."""

from django.conf import settings
from django.urls import reverse

from .formats import FEED_FORMATS


def _links(scope, title, **kwargs):
    return [
        {
            "type": fmt.media_type,
            "title": f"{title} ({fmt.label})",
            "href": reverse(f"feeds:{scope}_{fmt.name}", kwargs=kwargs),
        }
        for fmt in FEED_FORMATS
    ]


def alternate_links(*, section=None, author=None, tag=None):
    """Link data for the scope's own feeds, then the site-wide ones.

    Takes at most one of a section page, an author or a tag; with none, the
    site-wide feeds only. Builds URLs only: no queries.
    """
    site_name = settings.WAGTAIL_SITE_NAME
    links = []
    if section is not None:
        links += _links("section", f"{site_name}: {section.title}", slug=section.slug)
    elif author is not None:
        links += _links("author", f"{site_name}: {author.name}", slug=author.slug)
    elif tag is not None:
        links += _links("tag", f"{site_name}: articles tagged “{tag.name}”", slug=tag.slug)
    return links + _links("site", site_name)
