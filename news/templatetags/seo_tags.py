"""Template tags for the document head: `{% head_metadata as head %}` and `|ld_json`."""

from django import template
from wagtail.models import Page

from .. import seo
from ..structured_data import to_script_tag

register = template.Library()


@register.simple_tag(takes_context=True)
def head_metadata(context):
    """The page's `news.seo.HeadMetadata`.

    A view's own `seo` object wins; a Wagtail page builds its own (with the
    page of articles it lists, for the canonical URL); anything else gets
    one from its `page_title`.
    """
    if context.get("seo") is not None:
        return context["seo"]
    request = context.get("request")
    page = context.get("page")
    if isinstance(page, Page):
        return seo.metadata_for_page(page, request, listing=context.get("articles"))
    return seo.generic_metadata(request, title=context.get("page_title", ""))


@register.filter
def ld_json(data):
    """A dict as a JSON-LD script element, escaped like `json_script`."""
    return to_script_tag(data)
