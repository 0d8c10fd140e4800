"""System checks of the plugin's settings: a typo there would silently stop every delivery."""

from django.core import checks

from cms.outbound import ADDRESS_KINDS

from . import conf


def _positive_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0


@checks.register("byline")
def check_webhook_settings(app_configs=None, **kwargs):
    errors = []
    kinds = conf.get("BYLINE_WEBHOOKS_ALLOWED_ADDRESSES")
    if not isinstance(kinds, (list, tuple, set, frozenset)) or set(kinds) - ADDRESS_KINDS:
        errors.append(
            checks.Error(
                f"BYLINE_WEBHOOKS_ALLOWED_ADDRESSES must be a list of {sorted(ADDRESS_KINDS)}, "
                f"not {kinds!r}",
                id="byline_webhooks.E001",
            )
        )
    delays = conf.get("BYLINE_WEBHOOKS_RETRY_DELAYS")
    if not isinstance(delays, (list, tuple)) or not all(_positive_number(d) for d in delays):
        errors.append(
            checks.Error(
                "BYLINE_WEBHOOKS_RETRY_DELAYS must be a list of positive numbers of seconds "
                f"(an empty list: no retries), not {delays!r}",
                id="byline_webhooks.E002",
            )
        )
    for name in (
        "BYLINE_WEBHOOKS_CONNECT_TIMEOUT",
        "BYLINE_WEBHOOKS_READ_TIMEOUT",
        "BYLINE_WEBHOOKS_TOTAL_TIMEOUT",
        "BYLINE_WEBHOOKS_MAX_BYTES",
        "BYLINE_WEBHOOKS_LOG_DAYS",
    ):
        value = conf.get(name)
        if not _positive_number(value):
            errors.append(
                checks.Error(
                    f"{name} must be a positive number, not {value!r}", id="byline_webhooks.E003"
                )
            )
    return errors
