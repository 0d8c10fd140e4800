import pytest

# Shared fixtures: headless Chromium (`browser`); figures for `make audit` (`audit_figures`).
pytest_plugins = ["tests.browser_support", "tests.audit_support"]


@pytest.fixture(autouse=True)
def _media_and_caches(settings, tmp_path):
    """Each test writes images to its own folder and starts with an empty cache."""
    from django.core.cache import caches

    settings.MEDIA_ROOT = str(tmp_path / "media")
    for alias in settings.CACHES:  # "pages" too: no answer stays cached between tests
        caches[alias].clear()
    yield
    for alias in settings.CACHES:
        caches[alias].clear()


@pytest.fixture
def task_queue(settings):
    """Tasks go to the database queue (as in dev and production) instead of running inline."""
    from tests.runtime_support import DATABASE_QUEUE

    settings.TASKS = DATABASE_QUEUE
