"""Stored oEmbed HTML for many embed blocks from one query.

Wagtail looks up each embed block's HTML in its embed table one block at a
time. Pages, feeds and API responses that show several embeds load every
stored one up front instead. Embeds not stored yet are left alone: rendering
fetches them as usual.
"""

from django.template.loader import render_to_string
from django.utils import timezone
from wagtail.blocks import StreamValue, StructValue
from wagtail.blocks.list_block import ListValue
from wagtail.embeds.blocks import EmbedValue
from wagtail.embeds.embeds import get_embed_hash
from wagtail.embeds.models import Embed


def nested_values(value):
    """Every value nested in a block value: struct children, list items, stream children."""
    yield value
    if isinstance(value, StreamValue):
        for child in value:
            yield from nested_values(child.value)
    elif isinstance(value, StructValue):
        for child in value.values():
            yield from nested_values(child)
    elif isinstance(value, (list, ListValue)):
        for child in value:
            yield from nested_values(child)


def preload_embeds(values):
    """Fill in the HTML of every stored embed found in `values` (block values)."""
    embeds = [
        nested
        for value in values
        for nested in nested_values(value)
        if isinstance(nested, EmbedValue) and "html" not in nested.__dict__
    ]
    if not embeds:
        return
    hashes = [get_embed_hash(e.url, e.max_width, e.max_height) for e in embeds]
    stored = Embed.objects.filter(hash__in=set(hashes)).exclude(cache_until__lte=timezone.now())
    by_hash = {embed.hash: embed for embed in stored}
    for embed_value, embed_hash in zip(embeds, hashes, strict=True):
        embed = by_hash.get(embed_hash)
        if embed is not None:
            # What wagtail.embeds.format.embed_to_frontend_html renders for a stored embed.
            embed_value.__dict__["html"] = render_to_string(
                "wagtailembeds/embed_frontend.html", {"embed": embed}
            )
