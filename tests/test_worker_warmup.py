"""A new web worker warms up before taking traffic (cms/warmup.py, gunicorn.conf.py's
post_worker_init): the first readers' pages are rendered once in-process, then what the
worker holds for good is frozen out of the garbage collector's way."""

import gc

import pytest
from django.core.handlers.wsgi import WSGIHandler

from cms.warmup import GC_YOUNGEST_THRESHOLD, settle_garbage_collector, warm_up
from tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db


@pytest.fixture
def restored_collector():
    threshold = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*threshold)


def test_the_warm_up_renders_the_first_readers_pages(settings):
    settings.ALLOWED_HOSTS = ["*"]
    article = make_article(make_section("World"), title="Warm welcome")
    statuses = warm_up(WSGIHandler())
    assert statuses["/"] == "200 OK"
    assert statuses[article.url] == "200 OK"  # the newest page
    assert statuses["/api/v2/articles/?limit=1"] == "200 OK"
    assert statuses["/sitemap.xml"] == "200 OK"


def test_a_warm_worker_freezes_what_it_holds_and_collects_the_young_less_often(
    restored_collector,
):
    held_for_good = [object() for _ in range(1000)]
    settle_garbage_collector()
    assert gc.get_freeze_count() >= len(held_for_good)
    assert gc.get_threshold()[0] == GC_YOUNGEST_THRESHOLD
    # Garbage made afterwards is still collected.
    cycle = []
    cycle.append(cycle)
    del cycle
    assert gc.collect() >= 1
