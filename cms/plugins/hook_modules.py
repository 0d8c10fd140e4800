"""Import each plugin's `wagtail_hooks` module before Wagtail does, safely.

Wagtail imports every app's `wagtail_hooks` the first time a hook is looked
up; one plugin whose module raises would take every hook lookup, and so the
site, down with it. Byline imports plugin hook modules first: a module that
raises is reported (system check byline.plugins.W003 and a log line), the
hooks it managed to register are withdrawn, and an empty stand-in is left in
its place so Wagtail's own import finds nothing to run.
"""

import importlib
import importlib.machinery
import logging
import sys
import types
from dataclasses import dataclass

from django.utils.module_loading import module_has_submodule
from wagtail import hooks

logger = logging.getLogger("byline.plugins")


@dataclass(frozen=True)
class HookModuleFailure:
    plugin: str
    module: str
    error: str


failures = []


def import_plugin_hook_modules(plugins, app_configs):
    """Import `<app>.wagtail_hooks` of each enabled plugin, isolating failures."""
    by_name = {app_config.name: app_config for app_config in app_configs}
    for plugin in plugins:
        if not plugin.enabled:
            continue
        app_config = by_name.get(plugin.app) or next(
            (config for name, config in by_name.items() if plugin.app.startswith(name + ".")),
            None,
        )
        if app_config is None or not module_has_submodule(app_config.module, "wagtail_hooks"):
            continue
        module_name = f"{app_config.name}.wagtail_hooks"
        try:
            importlib.import_module(module_name)
        except Exception as exc:  # a broken plugin must not take the site down
            _withdraw(module_name)
            error = f"{type(exc).__name__}: {exc}"
            failures.append(HookModuleFailure(plugin.name, module_name, error))
            logger.error(
                "Plugin %r: %s failed to import and is ignored: %s", plugin.name, module_name, error
            )


def _withdraw(module_name):
    for name, entries in hooks._hooks.items():
        hooks._hooks[name] = [entry for entry in entries if entry[0].__module__ != module_name]
    stand_in = types.ModuleType(module_name)
    stand_in.__doc__ = "Stand-in for a plugin hook module that failed to import."
    stand_in.__spec__ = importlib.machinery.ModuleSpec(module_name, loader=None)
    sys.modules[module_name] = stand_in
