from django import template

from ..feeds.links import alternate_links

register = template.Library()


@register.inclusion_tag("news/feeds/alternate_links.html")
def feed_alternate_links(section=None, author=None, tag=None):
    """`<link rel="alternate">` tags for the scope's feeds and the site-wide ones.

    `{% feed_alternate_links %}`, `{% feed_alternate_links section=page %}`,
    `{% feed_alternate_links author=author %}`, `{% feed_alternate_links tag=tag %}`.
    """
    return {"feed_links": alternate_links(section=section, author=author, tag=tag)}
