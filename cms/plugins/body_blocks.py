"""Article body blocks: the core set plus plugin contributions."""

from wagtail.blocks import StreamBlock


def article_body_block():
    """The StreamBlock used by ArticlePage.body."""
    from news.blocks import CORE_BODY_BLOCKS

    return StreamBlock(list(CORE_BODY_BLOCKS))
