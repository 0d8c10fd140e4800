from django import template

from ..slots import render_slot

register = template.Library()


@register.simple_tag(takes_context=True)
def plugin_slot(context, slot):
    """`{% plugin_slot "article_after_body" %}`: what enabled plugins put there."""
    return render_slot(slot, context)
