"""API v2 and v3 listings of pages keep their totals between requests for anonymous
readers (cms/kept_counts.py): the ``count`` (v2: ``meta.total_count``) must follow every
change at once, differ per filter, and never be shared with token holders, who may see
drafts."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.api_support import token_for
from tests.factories import make_article, make_author, make_section

pytestmark = pytest.mark.django_db

PAGES = "/api/v3/pages/?type=news.ArticlePage&limit=2"


def count(client, url, **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200, response.content
    data = response.json()
    return data["count"] if "/api/v3/" in url else data["meta"]["total_count"]


both_versions = pytest.mark.parametrize("version", ["v2", "v3"])


@pytest.fixture
def desk():
    world, sport = make_section("World"), make_section("Sport")
    ada = make_author("Ada Reporter")
    for n in range(3):
        make_article(world, title=f"World {n}", authors=[ada], tags=["floods"])
    make_article(sport, title="Sport 0")
    return {"world": world, "sport": sport, "ada": ada}


@both_versions
def test_counts_follow_publishing_and_differ_per_filter(client, desk, version):
    assert count(client, PAGES.replace("/v3/", f"/{version}/")) == 4
    assert count(client, f"/api/{version}/articles/?section=world") == 3
    assert count(client, f"/api/{version}/articles/?section=sport") == 1
    assert count(client, f"/api/{version}/articles/?tag=floods&limit=1&offset=1") == 3

    new = make_article(desk["sport"], title="Sport 1", tags=["floods"])
    assert count(client, PAGES.replace("/v3/", f"/{version}/")) == 5
    assert count(client, f"/api/{version}/articles/?section=sport") == 2
    assert count(client, f"/api/{version}/articles/?tag=floods") == 4
    new.unpublish()
    assert count(client, PAGES.replace("/v3/", f"/{version}/")) == 4
    assert count(client, f"/api/{version}/articles/?tag=floods") == 3


@both_versions
def test_an_author_withdrawn_leaves_the_authors_filter_at_once(client, desk, version):
    ada = desk["ada"]
    assert count(client, f"/api/{version}/articles/?author={ada.slug}") == 3
    ada.unpublish()
    assert count(client, f"/api/{version}/articles/?author={ada.slug}") == 0


def test_token_holders_are_counted_apart(client, desk):
    make_article(desk["world"], title="Draft", publish=False)
    editor = get_user_model().objects.create_superuser("editor", "e@example.com", "pw")
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {token_for(editor)}"}
    assert count(client, PAGES) == 4
    assert count(client, PAGES, **bearer) == 5
    assert count(client, PAGES) == 4


@both_versions
def test_a_kept_count_costs_no_count_query(client, settings, desk, version):
    settings.BYLINE_PAGE_CACHE = False
    pages = PAGES.replace("/v3/", f"/{version}/")
    count(client, pages)
    with CaptureQueriesContext(connection) as context:
        assert count(client, pages) == 4
    assert not any("COUNT(" in query["sql"].upper() for query in context.captured_queries)
