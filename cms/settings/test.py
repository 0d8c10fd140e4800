"""Test settings: fast hashing, in-memory mail, media in a temporary folder."""

import os
import tempfile

from .base import *  # noqa: F403
from .base import DATABASES, env_bool

DEBUG = False
SECRET_KEY = "test-only-key"
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tests give each test its own folder (tests/conftest.py); this is the fallback.
MEDIA_ROOT = os.path.join(tempfile.gettempdir(), "byline-test-media")
STORAGES = {
    "default": {"BACKEND": "cms.storage.MediaStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
BYLINE_BASE_URL = WAGTAILADMIN_BASE_URL = WAGTAILAPI_BASE_URL = "http://testserver"
# Tasks run inline in tests unless a test runs the real queue and worker
# (tests/runtime_support.py switches to the database backend).
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3" and not os.environ.get(
    "DATABASE_URL"
):
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}

# Pingbacks and webmentions (plugins/byline-mentions): tests fetch from servers on this
# machine only; with "global" left out, no other address is connected to or even looked up.
BYLINE_MENTIONS_ALLOWED_ADDRESSES = ["loopback"]
# Webhooks (plugins/byline-webhooks): endpoints on this machine only, for the same reason.
BYLINE_WEBHOOKS_ALLOWED_ADDRESSES = ["loopback"]

# The page cache is off where tests measure or compare renders (query budgets, a page
# before and after a change made behind Wagtail's back); tests/test_page_cache*.py turn
# it on. BYLINE_PAGE_CACHE=1 runs any module with it on.
BYLINE_PAGE_CACHE = env_bool("BYLINE_PAGE_CACHE", False)

# Each test process keeps its page cache in memory (cleared around every test), apart
# from the files a running `make run` on the same checkout uses.
if "filebased" in CACHES["pages"]["BACKEND"]:  # noqa: F405
    CACHES["pages"] = {  # noqa: F405
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "byline-pages",
        "OPTIONS": {"MAX_ENTRIES": 5000},
    }
