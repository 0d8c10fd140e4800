"""``{% keep %}``: a part of a template rendered once and kept for every reader.

    {% load kept_fragments %}
    {% keep "related-articles" page %}...{% endkeep %}

The first argument names the fragment; the others are what its output depends on
besides what it loads while it renders (``cms.kept_fragments``). A model instance among
them (or in a list among them) also files the fragment under that object's surrogate
key (``page:<id>``, ``author:<id>``), so publishing the page or saving the author makes
it stale: pass the objects the fragment shows that were loaded before it renders (or
their keys, ``cms.page_cache.keys.Key``, when only their ids were). Like
Django's ``{% cache %}``, but purged exactly when something it shows changes, and never
kept for signed-in editors or previews.
"""

from django import template
from django.utils.safestring import mark_safe

from cms.kept_fragments import keep
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
        described, object_keys = [], []
        for part in self.parts:
            value = part.resolve(context)
            items = value if isinstance(value, list | tuple) else [value]
            keys_of_part = [_object_key(item) for item in items]
            object_keys += [key for key in keys_of_part if key]
            described.append(
                "\x1f".join(key or str(item) for item, key in zip(items, keys_of_part, strict=True))
            )
        with context.push():
            html = keep(
                request,
                self.name.resolve(context),
                lambda: str(self.nodelist.render(context)),
                keys=object_keys,
                depends_on=described,
            )
        return mark_safe(html)  # noqa: S308 (the template's own escaped output)


def _object_key(value):
    if isinstance(value, keys.Key):
        return str(value)
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
