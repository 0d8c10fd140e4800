"""Local development: DEBUG on, a throwaway key, mail to the console."""

import os

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY") or "dev-only-insecure-key-never-use-in-production"
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# The site's own 404 and 500 pages with DEBUG on too; ?debug or BYLINE_DEBUG_PAGES=1
# shows Django's debug pages (cms/dev_errors.py). Last, so it sees views' errors first.
MIDDLEWARE = [*MIDDLEWARE, "cms.dev_errors.DesignedErrorPagesMiddleware"]  # noqa: F405

# Pingbacks and webmentions: also fetch from this machine (a local blog linking to an article).
BYLINE_MENTIONS_ALLOWED_ADDRESSES = ["global", "loopback"]
# Webhooks: also send to a receiver on this machine (a local frontend under development).
BYLINE_WEBHOOKS_ALLOWED_ADDRESSES = ["global", "loopback"]
