"""Kept API v2 representations served as the JSON text they were kept as.

A kept listing or detail (``PublicEndpointMixin.represent``) is stored as its compact
JSON text, made once by ``encode`` with the renderer's own settings. Served again, it is
put into the answer as it is (``RawJSON`` inside the response data, ``KeptJSONRenderer``):
no Python structure of twenty articles is unpickled and encoded again on every request,
which cost a worker CPU time and, freed again each time, left its memory fragmented
(about 7 MB more resident after the first few hundred listings).

Indented answers (``Accept: application/json; indent=4``) and the browsable API read the
text back into Python first and are rendered as before.
"""

import json
import secrets

from rest_framework.renderers import JSONRenderer


class RawJSON:
    """JSON text made before, to be sent as it is."""

    __slots__ = ("text",)

    def __init__(self, text):
        self.text = text

    def load(self):
        return json.loads(self.text)


def encode(data):
    """`data` as the compact JSON text ``KeptJSONRenderer`` sends (bytes)."""
    return KeptJSONRenderer().render(data)


# In the envelope rendered around a kept listing, the items' place: a string no content
# has (a NUL, which JSON escapes, and a secret of this process).
_ITEMS = f"\x00items-{secrets.token_hex(8)}\x00"


class KeptJSONRenderer(JSONRenderer):
    """DRF's JSON renderer, which also sends ``RawJSON`` data (a detail) or items (a
    listing's envelope) as the text they hold."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        indent = self.get_indent(accepted_media_type, renderer_context or {})
        items = data.get("items") if isinstance(data, dict) else None
        if indent is not None:
            if isinstance(data, RawJSON):
                data = data.load()
            elif isinstance(items, RawJSON):
                data = {**data, "items": items.load()}
            return super().render(data, accepted_media_type, renderer_context)
        if isinstance(data, RawJSON):
            return data.text
        if isinstance(items, RawJSON):
            envelope = super().render({**data, "items": _ITEMS}, accepted_media_type)
            placeholder = json.dumps(_ITEMS).encode()
            before, found, after = envelope.partition(placeholder)
            if found:
                return before + items.text + after
            data = {**data, "items": items.load()}
        return super().render(data, accepted_media_type, renderer_context)
