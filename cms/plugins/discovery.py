"""Finding plugins: installed packages with an entry point in group `cms.plugins`.

Discovery runs while settings load, before Django is set up, so it must not
import Django models. A plugin whose entry point fails to load is recorded
with its error and left out of INSTALLED_APPS instead of crashing start-up;
the system check `byline.plugins.W001` and a log line report it.
"""

import logging
from dataclasses import dataclass, field
from importlib import metadata

ENTRY_POINT_GROUP = "cms.plugins"

logger = logging.getLogger("byline.plugins")

ENABLED = "enabled"
DISABLED = "disabled"
FAILED = "failed"


@dataclass
class PluginInfo:
    """What discovery learned about one plugin."""

    name: str
    app: str = ""
    distribution: str = ""
    version: str = ""
    state: str = ENABLED
    error: str = ""
    entry_point: str = field(default="", repr=False)

    @property
    def enabled(self):
        return self.state == ENABLED


def _app_path(loaded, entry_point):
    """The INSTALLED_APPS entry for a loaded entry point: an AppConfig path or a module."""
    if isinstance(loaded, type):
        return f"{loaded.__module__}.{loaded.__qualname__}"
    name = getattr(loaded, "__name__", None)
    if not isinstance(name, str):
        raise TypeError(
            f"entry point {entry_point.value!r} must name a Django app module or AppConfig class"
        )
    return name


def discover_plugins(disabled=(), entry_points=None):
    """Every plugin found, sorted by name so apps and hooks load in a predictable order."""
    disabled = {name.strip() for name in disabled if name.strip()}
    if entry_points is None:
        entry_points = metadata.entry_points(group=ENTRY_POINT_GROUP)
    plugins = {}
    for entry_point in sorted(entry_points, key=lambda ep: ep.name):
        if entry_point.name in plugins:
            logger.error(
                "Two packages declare the plugin %r; only the first is used.", entry_point.name
            )
            continue
        distribution = getattr(entry_point, "dist", None)
        info = PluginInfo(
            name=entry_point.name,
            distribution=getattr(distribution, "name", "") or "",
            version=getattr(distribution, "version", "") or "",
            entry_point=entry_point.value,
        )
        plugins[entry_point.name] = info
        if entry_point.name in disabled:
            info.state = DISABLED
            continue
        try:
            info.app = _app_path(entry_point.load(), entry_point)
        except Exception as exc:  # a broken plugin must not take the site down
            info.state = FAILED
            info.error = f"{type(exc).__name__}: {exc}"
            logger.error("Plugin %r could not be loaded and is off: %s", info.name, info.error)
    return list(plugins.values())


def plugin_apps(plugins):
    """INSTALLED_APPS entries of the enabled plugins, in discovery order."""
    return [plugin.app for plugin in plugins if plugin.enabled]
