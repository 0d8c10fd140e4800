from django import template

from ..text import body_html, is_web_url

register = template.Library()


@register.filter
def comment_html(text):
    """A plain-text comment as HTML paragraphs, escaped, with nofollow/ugc links."""
    return body_html(text)


register.filter("is_web_url", is_web_url)
