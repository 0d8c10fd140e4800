"""Pages as their own type for API answers, with the related rows their type names.

A page type may name, in ``api_select_related``, foreign keys every API answer about it
reads (an article's lead image). Listings of that type join them in their one query
(``with_api_relations``); a detail found as a generic page is read as its own type with
them in one query (``specific_for_api``), where Wagtail's ``.specific`` reads the type's
table and then each related row on first use.
"""


def api_relations(model):
    """The foreign keys `model` asks API answers to load with it."""
    return tuple(getattr(model, "api_select_related", ()))


def with_api_relations(queryset):
    """`queryset` joining the related rows its page type names."""
    related = api_relations(queryset.model)
    return queryset.select_related(*related) if related else queryset


def specific_for_api(page):
    """`page` as an instance of its own type, its type's related rows loaded (one query).

    What the generic page held (annotations, rows it joined such as its locale) is kept,
    as Wagtail's ``.specific`` keeps it, and the result is its ``.specific`` from then on.
    """
    model = page.specific_class
    related = api_relations(model) if model is not None else ()
    if not related or isinstance(page, model) or "specific" in page.__dict__:
        return page.specific
    specific = model._default_manager.select_related(*related).get(pk=page.pk)
    for name, value in page._state.fields_cache.items():
        specific._state.fields_cache.setdefault(name, value)
    for name, value in page.__dict__.items():
        if name != "_state":
            specific.__dict__.setdefault(name, value)
    page.__dict__["specific"] = specific  # Wagtail's cached_property: asked again, no query
    return specific
