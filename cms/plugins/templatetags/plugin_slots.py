from django import template

from ..slots import PER_REQUEST_SLOTS, RENDER_LATER, render_slot, stand_in

register = template.Library()


@register.simple_tag(takes_context=True)
def plugin_slot(context, slot):
    """`{% plugin_slot "article_after_body" %}`: what enabled plugins put there (or, in
    a page being kept for every reader, a per-request slot's stand-in: ..slots)."""
    if slot in PER_REQUEST_SLOTS and context.get(RENDER_LATER):
        return stand_in(slot)
    return render_slot(slot, context)
