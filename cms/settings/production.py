"""Production: every secret from the environment, HTTPS everywhere.

Refuses to start without SECRET_KEY, so a forgotten variable fails loudly
instead of running with a guessable key.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env_bool, env_list

DEBUG = False
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a random string of at least 50 characters in production, "
        "e.g. `python -c 'import secrets; print(secrets.token_urlsafe(64))'`."
    )
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must list the site's host names in production.")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
# Load balancers probe app servers over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^health/"]
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
# On by default so `check --deploy` is clean (security.W021). The header only states
# consent; nothing is preloaded until the domain is submitted to hstspreload.org.
# Set SECURE_HSTS_PRELOAD=false for a domain whose subdomains cannot all do HTTPS.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
}
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
# Absolute URLs (feeds, sitemaps, canonical links, API) must name the https address:
# BYLINE_BASE_URL=https://... or `check` reports byline.E002 (cms/public_address.py).
BYLINE_REQUIRE_HTTPS_BASE_URL = True

# Observability (README "Observability"): JSON log lines on stderr unless
# BYLINE_LOG_FORMAT=text, because production logs are read by a log collector.
BYLINE_LOG_FORMAT = os.environ.get("BYLINE_LOG_FORMAT", "json")
LOGGING = {
    **LOGGING,  # noqa: F405
    "formatters": {
        "console": {"()": "cms.observability.console_formatter", "log_format": BYLINE_LOG_FORMAT}
    },
}

# Sentry, only when a DSN is set: without one, sentry_sdk is not even imported.
SENTRY_DSN = os.environ.get("SENTRY_DSN", "").strip()
if SENTRY_DSN:
    # Share of requests traced for performance monitoring; 0 sends errors only.
    try:
        SENTRY_TRACES_SAMPLE_RATE = float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE") or 0)
    except ValueError:
        SENTRY_TRACES_SAMPLE_RATE = None
    if SENTRY_TRACES_SAMPLE_RATE is None or not 0 <= SENTRY_TRACES_SAMPLE_RATE <= 1:
        raise ImproperlyConfigured("SENTRY_TRACES_SAMPLE_RATE must be a number from 0 to 1.")

    from cms.observability import init_sentry

    init_sentry(
        SENTRY_DSN,
        environment=os.environ.get("SENTRY_ENVIRONMENT") or "production",
        release=os.environ.get("BYLINE_RELEASE") or None,
        traces_sample_rate=SENTRY_TRACES_SAMPLE_RATE,
    )
