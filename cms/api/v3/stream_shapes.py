"""The shape of StreamField values in v3 write bodies, checked before Wagtail reads them.

Wagtail's v3 writes turn a StreamField's JSON into form data
(``wagtail.api.v3.form_data.flatten_block_value``) assuming its shape: a stream is a
list of ``{"type": ..., "value": ...}`` objects, a struct an object, a list a list.
Anything else (``"body": [[null]]``, found by tests/test_fuzz_api.py) failed there with
TypeError, a 500. ``stream_shape_errors`` walks the same blocks and names each place
whose shape is wrong, so the request is refused with a 422 that says where.
"""

from django.core.exceptions import ValidationError
from wagtail.blocks import BaseStreamBlock, BaseStructBlock, ListBlock, RichTextBlock
from wagtail.fields import StreamField


def stream_shape_errors(model, body):
    """[(location, message)] for each StreamField value in `body` of the wrong shape."""
    errors = []
    for field in model._meta.get_fields():
        if isinstance(field, StreamField) and field.name in body:
            _check(field.stream_block, body[field.name], [field.name], errors)
    return errors


def _check(block, value, loc, errors):
    if value is None:
        return
    if isinstance(block, BaseStreamBlock):
        if not isinstance(value, list):
            errors.append((loc, "must be a list of blocks"))
            return
        for index, item in enumerate(value):
            where = [*loc, index]
            if not isinstance(item, dict) or not isinstance(item.get("type"), str):
                errors.append((where, 'must be an object with a "type" and a "value"'))
            elif item["type"] in block.child_blocks:
                if "value" not in item:
                    errors.append((where, 'has no "value"'))
                else:
                    child = block.child_blocks[item["type"]]
                    _check(child, item["value"], [*where, "value"], errors)
    elif isinstance(block, ListBlock):
        if not isinstance(value, list):
            errors.append((loc, "must be a list"))
            return
        for index, item in enumerate(value):
            _check(block.child_block, item, [*loc, index], errors)
    elif isinstance(block, BaseStructBlock):
        if not isinstance(value, dict):
            errors.append((loc, "must be an object"))
            return
        for name, child in block.child_blocks.items():
            _check(child, value.get(name), [*loc, name], errors)
    elif not isinstance(block, RichTextBlock):
        # A leaf: Wagtail reads it with the block's own to_python() and value_for_form().
        try:
            block.value_for_form(block.to_python(value))
        except (TypeError, ValueError, AttributeError, KeyError, IndexError, ValidationError):
            errors.append((loc, f"is not a valid {type(block).__name__} value"))
