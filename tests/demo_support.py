"""The demo site for tests that read it: built once per module, rolled back after.

`load_demo_content` runs with small pictures (renditions are the slow part),
inside a transaction that is rolled back when the module is done; each test
then runs in its own savepoint.
"""

import contextlib
import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from news.demo import images


def load_demo(*args):
    out = io.StringIO()
    call_command("load_demo_content", *args, stdout=out)
    return out.getvalue()


@contextlib.contextmanager
def demo_loaded(django_db_blocker, media_root):
    """Yield the command's output with the demo in the database, then roll it back."""
    patch = pytest.MonkeyPatch()
    patch.setattr(images, "ILLUSTRATION_SIZE", (320, 180))
    patch.setattr(images, "PORTRAIT_SIZE", 200)
    try:
        with (
            django_db_blocker.unblock(),
            override_settings(MEDIA_ROOT=media_root),
            transaction.atomic(),
        ):
            yield load_demo()
            transaction.set_rollback(True)
    finally:
        patch.undo()
