"""Archives by date: /YYYY/ and /YYYY/MM/ in the newsroom's time zone."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
UTC = ZoneInfo("UTC")


def listed(response):
    return [article.title for article in response.context["articles"].object_list]


@pytest.fixture
def archive():
    section = make_section("World")
    for title, when in [
        ("November story", datetime(2023, 11, 20, 9, 0, tzinfo=LONDON)),
        ("January story", datetime(2024, 1, 15, 12, 0, tzinfo=LONDON)),
        ("Early March story", datetime(2024, 3, 2, 8, 0, tzinfo=LONDON)),
        ("Late March story", datetime(2024, 3, 30, 18, 0, tzinfo=LONDON)),
        # 23:30 UTC on 31 March is 00:30 on 1 April in London (summer time).
        ("Midnight story", datetime(2024, 3, 31, 23, 30, tzinfo=UTC)),
        ("June story", datetime(2024, 6, 1, 10, 0, tzinfo=LONDON)),
    ]:
        make_article(section, title=title, publication_date=when)
    make_article(
        section,
        title="Unpublished March draft",
        publication_date=datetime(2024, 3, 10, tzinfo=LONDON),
        publish=False,
    )
    return section


def test_month_lists_its_articles_newest_first(client, archive):
    response = client.get("/2024/03/")
    assert response.status_code == 200
    assert listed(response) == ["Late March story", "Early March story"]
    html = response.content.decode()
    assert "<h1>Articles from March 2024</h1>" in html
    assert "<title>Articles from March 2024 | The Byline Courier</title>" in html
    assert '<link rel="canonical" href="http://testserver/2024/03/">' in html


def test_months_follow_the_newsrooms_time_zone(client, archive):
    assert listed(client.get("/2024/04/")) == ["Midnight story"]


def test_month_links_skip_empty_months(client, archive):
    html = client.get("/2024/03/").content.decode()
    assert '<a rel="prev" href="/2024/01/">Earlier: January 2024</a>' in html
    assert '<a rel="next" href="/2024/04/">Later: April 2024</a>' in html
    assert '<a href="/2024/">All of 2024</a>' in html
    first = client.get("/2023/11/").content.decode()
    assert 'rel="prev"' not in first
    assert '<a rel="next" href="/2024/01/">Later: January 2024</a>' in first
    assert 'rel="next"' not in client.get("/2024/06/").content.decode()


def test_year_lists_its_articles_and_months(client, archive):
    response = client.get("/2024/")
    assert response.status_code == 200
    assert listed(response) == [
        "June story",
        "Midnight story",
        "Late March story",
        "Early March story",
        "January story",
    ]
    months = [(m.label, m.url, m.count) for m in response.context["months"]]
    assert months == [
        ("January", "/2024/01/", 1),
        ("March", "/2024/03/", 2),
        ("April", "/2024/04/", 1),
        ("June", "/2024/06/", 1),
    ]
    html = response.content.decode()
    assert '<a rel="prev" href="/2023/">Earlier: 2023</a>' in html
    assert 'rel="next"' not in html


def test_archive_is_paginated(client, archive, monkeypatch):
    from news.models.pages import paginate

    monkeypatch.setattr(paginate, "__defaults__", (2,))
    first = client.get("/2024/")
    assert listed(first) == ["June story", "Midnight story"]
    assert '<a rel="next" href="?page=2">' in first.content.decode()
    third = client.get("/2024/", {"page": "3"})
    assert listed(third) == ["January story"]
    assert '<link rel="canonical" href="http://testserver/2024/?page=3">' in third.content.decode()
    assert listed(client.get("/2024/", {"page": "nonsense"})) == listed(first)


@pytest.mark.parametrize(
    "url",
    ["/2024/13/", "/2024/00/", "/0000/", "/0999/01/", "/9999/", "/2024/1/", "/2024/02/", "/2031/"],
)
def test_impossible_or_empty_periods_are_404(client, archive, url):
    response = client.get(url)
    assert response.status_code == 404
    assert 'class="masthead"' in response.content.decode()


def test_archive_query_count_is_constant(client, archive, django_assert_max_num_queries):
    client.get("/2024/03/")
    with django_assert_max_num_queries(14):
        client.get("/2024/")
    with django_assert_max_num_queries(14):
        client.get("/2024/03/")
