"""The renditions of every image an API answer shows, in one query.

An API listing or detail loads its images in several prefetches (lead images, the authors'
portraits, the images in the bodies, social images). Each used to fetch its images'
renditions too: one query each. Instead, each prefetch adds the images it loaded to the
answer's ``RenditionBatch`` (shared by the prefetches of one group of instances), and the
first image whose renditions are read (``ensure_renditions``, from
``news.models.images.responsive_image``) loads those of the whole batch at once.
"""

from django.db.models import prefetch_related_objects

_GROUP_ATTRIBUTE = "_byline_rendition_batch"
_IMAGE_ATTRIBUTE = "_byline_renditions_from"


class RenditionBatch:
    def __init__(self):
        self.pending = []

    def add(self, images):
        """Load the renditions of `images` (None allowed) with the rest of the batch."""
        for image in images:
            if image is not None and not _fetched(image):
                image.__dict__[_IMAGE_ATTRIBUTE] = self
                self.pending.append(image)

    def load(self):
        pending, self.pending = [image for image in self.pending if not _fetched(image)], []
        if pending:
            prefetch_related_objects(pending, "renditions")


def batch_for(instances):
    """The batch shared by the prefetches of `instances` (one API answer's group)."""
    first = instances[0]
    batch = first.__dict__.get(_GROUP_ATTRIBUTE)
    if batch is None:
        batch = first.__dict__[_GROUP_ATTRIBUTE] = RenditionBatch()
    return batch


def ensure_renditions(image):
    """Before reading `image`'s renditions: load its batch's, if it has one pending."""
    batch = image.__dict__.get(_IMAGE_ATTRIBUTE)
    if batch is not None and not _fetched(image):
        batch.load()


def _fetched(image):
    return "renditions" in getattr(image, "_prefetched_objects_cache", {})
