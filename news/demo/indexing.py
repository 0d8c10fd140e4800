"""Search and reference indexing for demo content: once per object, at the end.

Saving a page through Wagtail indexes it on every save (`add_child`, the
revision, `publish`), and so does the reference index; for a freshly built
site that is most of the work. While the demo is built those per-save
updates are paused, then every created object is indexed once. This also
makes the demo searchable at once when tasks run on a worker rather than
immediately.
"""

from contextlib import contextmanager

from django.db.models.signals import post_save
from wagtail.models import ReferenceIndex
from wagtail.search import index
from wagtail.search.signal_handlers import post_save_signal_handler
from wagtail.signal_handlers import disable_reference_index_auto_update


@contextmanager
def indexing_paused():
    """Pause per-save search and reference indexing in this process."""
    paused = [
        model
        for model in index.get_indexed_models()
        if post_save.disconnect(post_save_signal_handler, sender=model)
    ]
    try:
        with disable_reference_index_auto_update():
            yield
    finally:
        for model in paused:
            post_save.connect(post_save_signal_handler, sender=model)


def index_objects(objects):
    """Add `objects` to the search backends and the reference index."""
    for obj in objects:
        index.insert_or_update_object(obj)
        if ReferenceIndex.is_indexed(obj._meta.model):
            ReferenceIndex.create_or_update_for_object(obj)
