"""Rendering plugin contributions into template slots."""

import logging

from django.template.loader import render_to_string
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

from .registries import template_slots

logger = logging.getLogger("byline.plugins")


def _render_entry(entry, context, request):
    if isinstance(entry.value, str):
        return render_to_string(entry.value, context, request=request)
    # A render callable returns trusted HTML by the extension point's contract.
    return mark_safe(entry.value(context) or "")  # noqa: S308


def render_slot(slot, context):
    """HTML of every contribution to `slot`; a failing one renders as nothing."""
    request = context.get("request")
    flat = context.flatten() if hasattr(context, "flatten") else dict(context)
    parts = []
    for entry in template_slots.for_slot(slot):
        try:
            html = _render_entry(entry, flat, request)
        except Exception:
            logger.exception("Plugin %r failed to render slot %r", entry.owner, slot)
            continue
        if html.strip():
            parts.append((entry.owner, html))
    if slot == "head":
        # Only meta/link/script tags belong in <head>: no wrapping element.
        return format_html_join("\n", "{}", ((html,) for _, html in parts))
    return format_html_join("\n", '<div class="plugin-slot" data-plugin="{}">{}</div>', parts)
