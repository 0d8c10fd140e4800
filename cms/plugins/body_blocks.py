"""The article body's StreamBlock: core blocks, plugin blocks, and a safe
place for blocks whose plugin is no longer enabled."""

import json
import logging

from django import forms
from django.utils.functional import cached_property
from wagtail.admin.staticfiles import versioned_static
from wagtail.admin.telepath import register
from wagtail.blocks import FieldBlock, StreamBlock
from wagtail.blocks.stream_block import StreamBlockAdapter

from .registries import article_body_blocks

logger = logging.getLogger("byline.plugins")

UNAVAILABLE = "unavailable_block"


class UnavailableBlock(FieldBlock):
    """Holds a stored block whose type is not defined any more (its plugin is off).

    The original `{type, value}` is kept untouched in a hidden form field so an
    admin save writes it back; the site renders nothing and the API leaves it
    out. When the plugin is enabled again the block is back as it was.
    """

    def __init__(self, **kwargs):
        self.field = forms.CharField(widget=forms.HiddenInput, required=False)
        super().__init__(**kwargs)

    def get_form_state(self, value):
        return json.dumps(value or {})

    def value_from_form(self, value):
        try:
            data = json.loads(value) if value else {}
        except ValueError:
            return {}
        return data if isinstance(data, dict) else {}

    def value_for_form(self, value):
        return json.dumps(value or {})

    def clean(self, value):
        return value if isinstance(value, dict) else {}

    def render(self, value, context=None):
        logger.warning(
            "Skipped a body block of type %r: no enabled plugin defines it",
            (value or {}).get("type"),
        )
        return ""

    def get_searchable_content(self, value):
        return []

    def get_api_representation(self, value, context=None):
        return None

    class Meta:
        icon = "warning"
        label = "Unavailable block (its plugin is off)"
        group = "Unavailable"
        help_text = "Kept as stored; it reappears when its plugin is enabled again."


class ArticleBodyStreamBlock(StreamBlock):
    """A StreamBlock that keeps blocks of unknown types instead of dropping them."""

    def _wrap_unknown(self, raw_stream):
        wrapped = []
        for item in raw_stream:
            if isinstance(item, dict) and item.get("type") not in self.child_blocks:
                item = {
                    "type": UNAVAILABLE,
                    "value": {"type": item.get("type"), "value": item.get("value")},
                    "id": item.get("id"),
                }
            wrapped.append(item)
        return wrapped

    def to_python(self, value):
        if isinstance(value, str) and value:
            try:
                value = json.loads(value)
            except ValueError:
                return super().to_python(value)
        if isinstance(value, list) and value and isinstance(value[0], dict):
            value = self._wrap_unknown(value)
        return super().to_python(value)

    def bulk_to_python(self, values):
        return super().bulk_to_python([self._wrap_unknown(list(stream)) for stream in values])

    def get_prep_value(self, value):
        prepped = []
        for item in super().get_prep_value(value):
            if item.get("type") == UNAVAILABLE:
                original = item.get("value") or {}
                if not original.get("type"):
                    continue  # an empty placeholder an editor added: nothing to keep
                item = {
                    "type": original["type"],
                    "value": original.get("value"),
                    "id": item.get("id"),
                }
            prepped.append(item)
        return prepped

    def get_api_representation(self, value, context=None):
        return [
            block
            for block in super().get_api_representation(value, context)
            if block["type"] != UNAVAILABLE
        ]


class ArticleBodyStreamBlockAdapter(StreamBlockAdapter):
    """Wagtail's StreamBlock in the editor, with a picker that leaves the placeholder out.

    The placeholder must stay a child block so stored blocks of a switched-off
    plugin still open and save unchanged; offering it as a new block would only
    puzzle editors (cms/static/cms/admin/article-body-block.js).
    """

    js_constructor = "byline.blocks.ArticleBodyStreamBlock"

    @cached_property
    def media(self):
        return super().media + forms.Media(js=[versioned_static("cms/admin/article-body-block.js")])


register(ArticleBodyStreamBlockAdapter(), ArticleBodyStreamBlock)


def article_body_block():
    """The article body's StreamBlock: every registered block, then the placeholder.

    The news app registers the core blocks through the same extension point
    as plugins (order 0, so they come first).
    """
    return ArticleBodyStreamBlock(
        article_body_blocks.blocks() + [(UNAVAILABLE, UnavailableBlock())]
    )
