"""Article bodies for API listings, loaded in a fixed number of queries.

A body converts its blocks lazily, one batch per block type and article: an
API listing of twenty articles with images in each would pay two queries per
article. Here the raw bodies of the whole listing go through the stream
block's ``bulk_to_python`` at once, so each block type loads its objects for
every article together (one query for all images and one for their
renditions, one for all related articles), and stored embeds come from one
query too.
"""

from django.template.loader import render_to_string
from django.utils import timezone
from wagtail.blocks import StreamValue, StructValue
from wagtail.embeds.blocks import EmbedValue
from wagtail.embeds.embeds import get_embed_hash
from wagtail.embeds.models import Embed


def prefetch_bodies(articles):
    """Convert the bodies of ``articles`` together; each article keeps its own value."""
    lazy = [article for article in articles if article.body.is_lazy]
    if lazy:
        stream_block = lazy[0].body.stream_block
        converted = stream_block.bulk_to_python([article.body.get_prep_value() for article in lazy])
        for article, body in zip(lazy, converted, strict=True):
            article.body = body
    _preload_embeds([child.value for article in articles for child in article.body])


def _nested_values(value):
    yield value
    if isinstance(value, StreamValue):
        for child in value:
            yield from _nested_values(child.value)
    elif isinstance(value, StructValue):
        for child in value.values():
            yield from _nested_values(child)
    elif isinstance(value, list):
        for item in value:
            yield from _nested_values(item)


def _preload_embeds(values):
    """Read every stored embed of the bodies from Wagtail's embed table at once.

    Embeds not stored yet are left alone: Wagtail fetches them as usual.
    """
    embeds = [
        nested
        for value in values
        for nested in _nested_values(value)
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
