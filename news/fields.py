"""The article body field: core blocks plus whatever enabled plugins add."""

from django.db import models
from django.utils.functional import cached_property
from wagtail.fields import StreamField


class ArticleBodyField(StreamField):
    """A StreamField whose block list is assembled when first used.

    Core blocks (`news.blocks`, registered in news/wagtail_hooks.py) and
    plugins' blocks come through the `register_article_body_blocks`
    extension point. The block list is left out of
    `deconstruct()`, so turning a plugin on or off never changes migration
    state of the project's own apps.
    """

    def __init__(self, *args, **kwargs):
        kwargs.pop("block_lookup", None)
        super().__init__(None, **kwargs)

    @cached_property
    def stream_block(self):
        from cms.plugins.body_blocks import article_body_block

        block = article_body_block()
        block.set_meta_options(self.block_opts)
        return block

    def deconstruct(self):
        name, path, _args, kwargs = models.Field.deconstruct(self)
        return name, "news.fields.ArticleBodyField", [], kwargs


def refresh_article_body():
    """Rebuild the body's block list after the registry changed (used by tests)."""
    from .models import ArticlePage

    field = ArticlePage._meta.get_field("body")
    field.__dict__.pop("stream_block", None)
    return field.stream_block


class HttpsURLField(models.URLField):
    """A URL field whose form adds https:// (not http://) to an address typed without one."""

    def formfield(self, **kwargs):
        kwargs.setdefault("assume_scheme", "https")
        return super().formfield(**kwargs)
