"""StreamField values in API v3, typed block by block for the OpenAPI document.

A block owns its JSON (``get_api_representation``) and, by annotating that
method's return type, the description of its JSON: these functions read the
annotation, never a second description. Blocks without one are described
from Wagtail's own block types where that is certain (rich text is an HTML
string, a CharBlock a string, ...) and as "any JSON" otherwise, so a plugin
block without annotations still appears in the document.
"""

import datetime
import decimal
from typing import Annotated, Any, Literal, Union, get_type_hints

from pydantic import Field
from typing_extensions import TypedDict
from wagtail import blocks

_SCALARS = [
    (blocks.RichTextBlock, str),
    (blocks.BooleanBlock, bool),
    (blocks.IntegerBlock, int),
    (blocks.FloatBlock, float),
    (blocks.DecimalBlock, decimal.Decimal),
    (blocks.DateBlock, datetime.date),
    (blocks.DateTimeBlock, datetime.datetime),
    (blocks.TimeBlock, datetime.time),
    (blocks.ChoiceBlock, str),
    (blocks.FieldBlock, str),
]


def _camel(name: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in name.split("_"))


def block_api_schema(block: blocks.Block) -> Any:
    """The type of ``block.get_api_representation(value)``."""
    method = type(block).get_api_representation
    try:
        hints = get_type_hints(method)
    except Exception:  # an annotation that cannot be resolved describes nothing
        hints = {}
    if "return" in hints:
        return hints["return"]
    if isinstance(block, blocks.StreamBlock):
        return list[stream_item_schema(block, _camel(block.name or "Stream"))]
    if isinstance(block, blocks.ListBlock):
        return list[block_api_schema(block.child_block)]
    if isinstance(block, blocks.StructBlock) and _is_generic_struct(block, method):
        fields = {name: block_api_schema(child) for name, child in block.child_blocks.items()}
        return TypedDict(f"{_camel(type(block).__name__)}APIValue", fields)
    for block_class, schema in _SCALARS:
        if isinstance(block, block_class):
            return schema | None
    return Any


def _is_generic_struct(block, method) -> bool:
    return isinstance(block, blocks.StructBlock) and (
        method is blocks.StructBlock.get_api_representation
    )


def stream_item_schema(stream_block: blocks.StreamBlock, prefix: str) -> Any:
    """One item of a stream: ``{type, value, id}``, discriminated by ``type``."""
    members = [
        TypedDict(
            f"{prefix}{_camel(name)}Item",
            {"type": Literal[name], "value": block_api_schema(child), "id": str | None},
        )
        for name, child in stream_block.child_blocks.items()
    ]
    if not members:
        return dict[str, Any]
    if len(members) == 1:
        return members[0]
    return Annotated[Union[tuple(members)], Field(discriminator="type")]  # noqa: UP007


def typed_stream_field_schema(generator, field):
    """Wagtail v3 read-schema function for a StreamField, typed from its blocks.

    Registered with ``read_generator.register_field_schema``; the value is
    serialised exactly as Wagtail does (``stream_block.get_api_representation``
    with the request context, so ``?rich_text_format=`` applies).
    """
    field_name = field.name
    item = stream_item_schema(field.stream_block, _camel(field.model.__name__ + "_" + field_name))

    def resolve(obj, context):
        value = getattr(obj, field_name)
        return value.stream_block.get_api_representation(value, context)

    return list[item], [], staticmethod(resolve)
