import pytest


@pytest.fixture(autouse=True)
def _media_and_caches(settings, tmp_path):
    """Each test writes images to its own folder and starts with an empty cache."""
    from django.core.cache import cache

    settings.MEDIA_ROOT = str(tmp_path / "media")
    cache.clear()
    yield
    cache.clear()
