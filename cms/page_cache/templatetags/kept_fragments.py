"""``{% keep %}``: a part of a template rendered once and kept for every reader.

    {% load kept_fragments %}
    {% keep "related-articles" page %}...{% endkeep %}

The first argument names the fragment; the others are what its output depends on
besides what it loads while it renders (``cms.kept_fragments``). A model instance among
them also files the fragment under that object's surrogate key (``page:<id>``), so
publishing the page makes it stale. Like Django's ``{% cache %}``, but purged exactly
when something it shows changes, and never kept for signed-in editors or previews.
"""

from django import template
from django.utils import translation
from django.utils.safestring import mark_safe

from cms.kept_fragments import fingerprint, keep
from cms.page_cache import keys

register = template.Library()


class KeepNode(template.Node):
    def __init__(self, name, parts, nodelist):
        self.name = name
        self.parts = parts
        self.nodelist = nodelist

    def render(self, context):
        request = context.get("request")
        if request is None:
            return self.nodelist.render(context)
        values = [part.resolve(context) for part in self.parts]
        object_keys = [_object_key(value) for value in values]
        described = [key or str(value) for value, key in zip(values, object_keys, strict=True)]
        fragment = "{}:{}".format(
            self.name.resolve(context),
            fingerprint(*described, request.get_host(), translation.get_language() or ""),
        )
        with context.push():
            html = keep(
                request,
                fragment,
                lambda: str(self.nodelist.render(context)),
                [key for key in object_keys if key],
            )
        return mark_safe(html)  # noqa: S308 (the template's own escaped output)


def _object_key(value):
    return keys.object_key(value) if hasattr(value, "_meta") else None


@register.tag("keep")
def do_keep(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError(f"'{bits[0]}' needs a fragment name")
    nodelist = parser.parse(("endkeep",))
    parser.delete_first_token()
    name, *parts = (parser.compile_filter(bit) for bit in bits[1:])
    return KeepNode(name, parts, nodelist)
