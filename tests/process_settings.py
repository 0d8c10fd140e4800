"""Settings for a site a test runs in its own process (tests/test_backup_restore.py).

The development settings as they come from the environment (database, media
storage), with static files under their own names, so the site needs no
`collectstatic` run first.
"""

from cms.settings.dev import *  # noqa: F403
from cms.settings.dev import STORAGES

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
