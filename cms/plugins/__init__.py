"""Byline's plugin interface: the one import surface for plugin authors.

A plugin is a Django app in an installable package declaring an entry point
in group ``cms.plugins``::

    [project.entry-points."cms.plugins"]
    factcheck = "byline_factcheck"

Installing the package enables it; ``BYLINE_DISABLED_PLUGINS`` (setting or
comma-separated environment variable) disables plugins by name. The plugin
contributes through Wagtail hooks in its ``wagtail_hooks.py``, named in
``EXTENSION_POINTS`` (see docs/plugins.md):

- ``register_article_body_blocks``: StreamField blocks for the article body
- ``register_api_fields``: computed fields in API v2 and v3
- ``register_template_slots``: HTML in the ``head``, ``article_after_body``
  and ``article_sidebar`` slots
- ``register_comment_checks``: spam checks returning a ``CheckResult``
- ``after_article_publish`` / ``after_article_unpublish`` /
  ``after_article_delete`` / ``after_comment_create`` /
  ``after_comment_moderate`` / ``after_discussion_change``: event listeners
- ``register_plugin_urls``: public URL routes
- ``register_periodic_jobs``: background tasks the clock queues on a schedule
- ``register_api_v3_routers``: django-ninja routers under ``/api/v3/``, in its
  OpenAPI document (errors declared with ``Problem``)
- Wagtail's ``register_admin_menu_item`` and ``register_setting``: admin
  menu items and settings

This module is imported while settings load, so names are resolved lazily.
"""

_EXPORTS = {
    "CheckResult": ".comment_checks",
    "ComputedField": "cms.api.fields",
    "Verdict": ".comment_checks",
    "run_comment_checks": ".comment_checks",
    "emit": ".events",
    "EVENTS": ".events",
    "EXTENSION_POINTS": ".extension_points",
    "PluginRegistrationError": ".registries",
    "Problem": "cms.api.problems",
    "SLOTS": ".registries",
    "plugin_api_fields": ".api_fields",
    "discovered_plugins": ".state",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name):
    if name not in _EXPORTS:
        raise AttributeError(f"module 'cms.plugins' has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(_EXPORTS[name], __name__), name)
