"""Make, ahead of time, the renditions that reader pages will ask for.

Wagtail makes renditions on the first request that needs them, which turns
a first visit to a fresh demo site into seconds of image resizing. The specs
come from the code that uses them, so this list cannot drift from it.
"""

import time

from authors.models import Author
from news.models import ArticlePage, NewsImage
from news.models.images import rendition_specs

# authors/templates/authors/portrait.html: {% image image fill-160x160 format-webp %}
PORTRAIT_SPECS = ("fill-160x160|format-webp",)


def picture_specs():
    """Every responsive rendition (srcset, API), for lead and body images."""
    return tuple(spec for pairs in rendition_specs().values() for _, spec in pairs)


def social_specs():
    """The link-preview renditions of lead images, if the SEO module defines them."""
    try:
        from news.seo import SOCIAL_IMAGE_SPECS
    except ImportError:
        return ()
    return tuple(SOCIAL_IMAGE_SPECS)


def rendition_plan(collection):
    """`[(image, specs)]` for the demo collection's images and every author portrait."""
    portrait_ids = set(Author.objects.exclude(portrait=None).values_list("portrait_id", flat=True))
    lead_ids = set(
        ArticlePage.objects.filter(lead_image__collection=collection)
        .values_list("lead_image_id", flat=True)
        .distinct()
    )
    images = (
        NewsImage.objects.filter(collection=collection)
        | NewsImage.objects.filter(pk__in=portrait_ids)
    ).prefetch_related("renditions")
    plan = []
    for image in images.order_by("pk"):
        if image.pk in portrait_ids:
            specs = PORTRAIT_SPECS
        else:
            specs = picture_specs() + (social_specs() if image.pk in lead_ids else ())
        plan.append((image, specs))
    return plan


def pregenerate(plan, *, progress=None, report_every=10):
    """Create the missing renditions in `plan`.

    Returns (created, already there, images whose file could not be read).
    """
    created = kept = 0
    unreadable = []
    started = time.monotonic()
    for done, (image, specs) in enumerate(plan, 1):
        existing = {rendition.filter_spec for rendition in image.renditions.all()}
        missing = [spec for spec in specs if spec not in existing]
        kept += len(specs) - len(missing)
        if missing:
            try:
                image.get_renditions(*missing)
            except OSError:  # Wagtail's SourceImageIOError: the original file is gone
                unreadable.append(image)
            else:
                created += len(missing)
        if progress and (done % report_every == 0 or done == len(plan)):
            progress(done, len(plan), time.monotonic() - started)
    return created, kept, unreadable
