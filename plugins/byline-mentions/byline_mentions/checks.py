"""System checks: the comments plugin this one feeds, and the plugin's settings."""

from django.apps import apps
from django.core import checks

from . import conf


def comments_available():
    """Whether the reader-comments plugin (where mentions are stored) is enabled."""
    return apps.is_installed("byline_comments")


@checks.register("byline")
def check_mentions(app_configs=None, **kwargs):
    messages = []
    if not comments_available():
        messages.append(
            checks.Warning(
                "The mentions plugin is on but the comments plugin is not: pingbacks and "
                "webmentions are not advertised, and are refused (Pingback fault 0x0021, "
                "Webmention 400) because there is nowhere to store them. Sending still works.",
                hint="Enable the 'comments' plugin (remove it from BYLINE_DISABLED_PLUGINS), "
                "or disable this one with BYLINE_DISABLED_PLUGINS=mentions.",
                id="byline_mentions.W001",
            )
        )
    kinds = conf.get("BYLINE_MENTIONS_ALLOWED_ADDRESSES")
    unknown = set(kinds) - conf.ADDRESS_KINDS if isinstance(kinds, (list, tuple, set)) else None
    if unknown is None or unknown:
        messages.append(
            checks.Error(
                f"BYLINE_MENTIONS_ALLOWED_ADDRESSES must be a list of "
                f"{sorted(conf.ADDRESS_KINDS)}, not {kinds!r}",
                id="byline_mentions.E001",
            )
        )
    messages.extend(_queue_bound_errors())
    return messages


def _queue_bound_errors():
    errors = []
    for name in ("BYLINE_MENTIONS_MAX_QUEUED_PER_SOURCE", "BYLINE_MENTIONS_MAX_QUEUED_PER_TARGET"):
        value = conf.get(name)
        if value is None or (isinstance(value, int) and not isinstance(value, bool) and value > 0):
            continue
        errors.append(
            checks.Error(
                f"{name} must be a positive whole number (or None for no bound), not {value!r}",
                id="byline_mentions.E002",
            )
        )
    return errors
