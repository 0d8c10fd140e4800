"""NewsImage's API fields: alt text, caption, credit and renditions.

They come from the same ``responsive_image`` the site's picture component
uses, so the HTML and the API offer the same files.
"""

from django.db.models import prefetch_related_objects

from cms.api.fields import ComputedField

from ..models.images import ImageRenditions, responsive_image


def _picture(image):
    # One responsive_image() per instance serves all four fields.
    if "_api_picture" not in image.__dict__:
        image.__dict__["_api_picture"] = responsive_image(image)
    return image.__dict__["_api_picture"]


def prefetch_renditions(images):
    prefetch_related_objects(images, "renditions")


IMAGE_API_FIELDS = [
    ComputedField("alt", lambda image: _picture(image)["alt"], str, description="Alt text."),
    ComputedField("caption", lambda image: _picture(image)["caption"], str),
    ComputedField("credit", lambda image: _picture(image)["credit"], str),
    ComputedField(
        "renditions",
        lambda image: _picture(image)["renditions"],
        ImageRenditions,
        prefetch=prefetch_renditions,
        description="WebP and JPEG files in several widths, narrowest first.",
    ),
]


def image_api_fields(model):
    return IMAGE_API_FIELDS
