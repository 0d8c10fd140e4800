"""API fields contributed by plugins."""

from .registries import api_fields


def plugin_api_fields(model):
    """Extra API field specs that enabled plugins add to `model`'s API output.

    Returns the same field-spec objects the core API uses for its own
    computed fields, so v2 and v3 serialise plugin fields exactly like core
    ones.
    """
    return api_fields.fields_for(model)
