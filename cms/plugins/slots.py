"""Rendering plugin contributions into template slots.

A slot in ``PER_REQUEST_SLOTS`` differs from one request to the next (a form with a
freshly signed token, a thank-you for the reader who just posted). A page kept whole
for every reader (``news.models.pages.ArticlePage.serve``) is rendered with
``RENDER_LATER`` set in its context: such a slot renders as its ``stand_in`` there,
and ``fill_per_request_slots`` puts each request's own HTML in its place. The other
slots are kept with the page, filed under what they load, like the rest of it.
"""

import logging

from django.template import engines
from django.template.loader import render_to_string
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

from cms import kept_fragments

from .registries import template_slots

logger = logging.getLogger("byline.plugins")

PER_REQUEST_SLOTS = ("article_after_body",)
# In a template's context: per-request slots render as their stand-ins.
RENDER_LATER = "byline_render_slots_later"


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


def stand_in(slot):
    """What a kept page holds in place of a per-request `slot`."""
    return kept_fragments.stand_in(f"slot-{slot}")


def fill_per_request_slots(html, context, request):
    """`html` (a kept page) with each per-request slot's stand-in replaced by its HTML
    for this request, rendered with `context` (the page's own: ``page``, ``request``)
    and what the context processors add (``settings``, ``user``...), as in the page."""
    markers = [(slot, stand_in(slot)) for slot in PER_REQUEST_SLOTS]
    if not any(marker in html for _, marker in markers):
        return html
    processed = {}
    for processor in engines["django"].engine.template_context_processors:
        processed.update(processor(request))
    context = {**processed, **context}
    for slot, marker in markers:
        if marker in html:
            html = html.replace(marker, render_slot(slot, context))
    return html
