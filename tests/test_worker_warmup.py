"""A new web worker warms up before taking traffic (cms/warmup.py, gunicorn.conf.py's
post_worker_init): the first readers' pages are rendered once in-process, then what the
worker holds for good is frozen out of the garbage collector's way."""

import gc

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from cms.warmup import GC_YOUNGEST_THRESHOLD, WARM_UP_PATHS, settle_garbage_collector, warm_up
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
    # As Django's test client does: a request must not close the test's connection
    # (its transaction holds the article).
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        statuses = warm_up(WSGIHandler())
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)
    # The warm-up paths and the newest page (the article or its section: same moment).
    assert set(WARM_UP_PATHS) < set(statuses)
    (newest,) = set(statuses) - set(WARM_UP_PATHS)
    assert newest in (article.url, article.get_parent().url)
    assert set(statuses.values()) == {"200 OK"}, statuses


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
