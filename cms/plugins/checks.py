"""System checks that make plugin problems visible in `manage.py check` and at start-up."""

from django.core import checks

from . import hook_modules
from .registries import ALL_REGISTRIES
from .state import discovered_plugins


@checks.register("byline")
def check_plugins(app_configs=None, **kwargs):
    messages = []
    for plugin in discovered_plugins():
        if plugin.state == "failed":
            messages.append(
                checks.Warning(
                    f"Plugin {plugin.name!r} ({plugin.distribution} {plugin.version}) failed to "
                    f"load and is off: {plugin.error}",
                    hint="Fix or uninstall the package, or disable it with "
                    f"BYLINE_DISABLED_PLUGINS={plugin.name}.",
                    id="byline.plugins.W001",
                )
            )
    for failure in hook_modules.failures:
        messages.append(
            checks.Warning(
                f"Plugin {failure.plugin!r}: {failure.module} failed to import and none of its "
                f"hooks are used: {failure.error}",
                hint="Fix the plugin, or disable it with "
                f"BYLINE_DISABLED_PLUGINS={failure.plugin}.",
                id="byline.plugins.W003",
            )
        )
    for registry in ALL_REGISTRIES:
        registry.entries()
        for failure in registry.failures:
            messages.append(
                checks.Warning(
                    f"Plugin {failure.owner!r} failed in hook {failure.hook!r}: {failure.error}",
                    hint="Its contributions to this extension point are skipped.",
                    id="byline.plugins.W002",
                )
            )
    return messages
