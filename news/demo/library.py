"""Demo images in the database: found by title in their own collection, drawn when missing.

Images live in a "Demo content" collection so editors can tell them apart
from their own, and so a second run finds the images of the first instead
of drawing them again.
"""

import io

from django.core.files.images import ImageFile
from django.utils.text import slugify
from wagtail.models import Collection

from news.models import NewsImage

from . import images
from .spec import GRAPHICS_CREDIT

COLLECTION_NAME = "Demo content"


def demo_collection():
    root = Collection.get_first_root_node()
    collection = root.get_children().filter(name=COLLECTION_NAME).first()
    if collection is None:
        collection = root.add_child(name=COLLECTION_NAME)
    return collection


class ImageLibrary:
    """Finds or creates the demo collection's images, counting what it did."""

    def __init__(self, tally, *, count_kept=True):
        self.tally = tally
        self.collection = demo_collection()
        self.created = []
        # Newest first, so the oldest image wins if an editor repeated a title.
        self._by_title = {
            image.title: image
            for image in NewsImage.objects.filter(collection=self.collection).order_by("-pk")
        }
        if count_kept:
            tally.kept("images", len(self._by_title))

    def _get_or_create(self, title, draw, **fields):
        image = self._by_title.get(title)
        if image is not None:
            return image
        image = NewsImage(
            title=title,
            collection=self.collection,
            file=ImageFile(io.BytesIO(draw()), name=f"{slugify(title)[:80] or 'demo'}.jpg"),
            **fields,
        )
        image._set_image_file_metadata()
        image.save()
        self._by_title[title] = image
        self.created.append(image)
        self.tally.created("images")
        return image

    def illustration(self, spec):
        """The image for an `Illustration` spec."""
        return self._get_or_create(
            spec.title,
            lambda: images.illustration(
                title=spec.title, motif=spec.motif, palette=spec.palette, label=spec.label
            ),
            description=spec.alt,
            default_caption=spec.caption,
            credit=spec.credit,
        )

    def portrait(self, writer):
        return self._get_or_create(
            f"Portrait of {writer.name}",
            lambda: images.portrait(name=writer.name, colour=writer.colour),
            description=f"Portrait of {writer.name}",
            default_caption=writer.name,
            credit=GRAPHICS_CREDIT,
        )
