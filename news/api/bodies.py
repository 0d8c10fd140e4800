"""Article bodies for API listings, loaded in a fixed number of queries.

A body converts its blocks lazily, one batch per block type and article: an
API listing of twenty articles with images in each would pay two queries per
article. Here the raw bodies of the whole listing go through the stream
block's ``bulk_to_python`` at once, so each block type loads its objects for
every article together (one query for all images and one for their
renditions, one for all related articles), and stored embeds come from one
query too.
"""

from ..article_loading import collected_images
from ..embeds import preload_embeds
from ..rendition_batches import batch_for


def prefetch_bodies(articles):
    """Convert the bodies of ``articles`` together; each article keeps its own value."""
    lazy = [article for article in articles if article.body.is_lazy]
    if lazy:
        stream_block = lazy[0].body.stream_block
        # The images' renditions come with the answer's other images (news.rendition_batches).
        with collected_images() as images:
            converted = stream_block.bulk_to_python(
                [article.body.get_prep_value() for article in lazy]
            )
        batch_for(articles).add(images)
        for article, body in zip(lazy, converted, strict=True):
            article.body = body
    preload_embeds([child.value for article in articles for child in article.body])
