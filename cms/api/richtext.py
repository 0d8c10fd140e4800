"""Rich text links resolved in one batch for everything a response shows.

Wagtail resolves the page and document links of each rich text value with
its own queries: a body of ten linked paragraphs costs ten. Inside
``links_loaded(instances)`` the links of every rich text and StreamField
value of ``instances`` are loaded up front, one query per link type
(``news.rich_text`` holds the batching link handlers).
"""

from contextlib import contextmanager

from wagtail.fields import RichTextField, StreamField


def rich_text_references(instances):
    """(model, id, ...) references of every rich text and StreamField value of ``instances``."""
    for instance in instances:
        for field in type(instance)._meta.concrete_fields:
            if isinstance(field, (StreamField, RichTextField)):
                yield from field.extract_references(getattr(instance, field.attname))


@contextmanager
def links_loaded(instances):
    from news.rich_text import preloaded_links

    with preloaded_links(list(rich_text_references(instances))):
        yield
