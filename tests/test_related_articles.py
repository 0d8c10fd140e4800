"""Related articles: editors' picks first, then shared tags, same section, recency.

Only articles readers may see now are ever shown; the choice costs the article page
one query whatever the number of tags, picks or articles in the archive, and the
API (v2 and v3, detail and listing) gives the same list as the page.
"""

import datetime as dt

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import prefetch_related_objects
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import PageViewRestriction

from news.models import ArticlePage, ArticleRelatedLink
from news.models.related import RELATED_COUNT, related_articles
from tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def ago(hours):
    return NOW - dt.timedelta(hours=hours)


def pick(article, *chosen):
    """Publish `article` with the editors' picks `chosen`, in that order."""
    article = ArticlePage.objects.get(pk=article.pk)
    article.related_links = [
        ArticleRelatedLink(related=other, sort_order=n) for n, other in enumerate(chosen)
    ]
    article.save_revision().publish()
    return ArticlePage.objects.get(pk=article.pk)


def titles(articles):
    return [article.title for article in articles]


def related_titles(article):
    return titles(ArticlePage.objects.get(pk=article.pk).related_articles)


@pytest.fixture
def desk():
    world, sport = make_section("World"), make_section("Sport")
    story = make_article(world, title="Flood defences fail", tags=["floods", "coast"])
    both_tags = make_article(
        world, title="Two tags", tags=["coast", "floods"], publication_date=ago(50)
    )
    one_tag_new = make_article(
        sport, title="One tag, newer", tags=["floods"], publication_date=ago(2)
    )
    one_tag_old = make_article(
        sport, title="One tag, older", tags=["floods"], publication_date=ago(9)
    )
    same_section = make_article(world, title="Same section", publication_date=ago(1))
    unrelated = make_article(sport, title="Unrelated", tags=["cricket"], publication_date=ago(1))
    return {
        "world": world,
        "sport": sport,
        "story": story,
        "both_tags": both_tags,
        "one_tag_new": one_tag_new,
        "one_tag_old": one_tag_old,
        "same_section": same_section,
        "unrelated": unrelated,
    }


def test_ranked_by_shared_tags_then_section_then_recency(desk):
    assert RELATED_COUNT == 3
    assert related_titles(desk["story"]) == ["Two tags", "One tag, newer", "One tag, older"]
    # Fewer tag matches: the section fills in after the tagged ones, never an unrelated story.
    desk["one_tag_old"].unpublish()
    assert related_titles(desk["story"]) == ["Two tags", "One tag, newer", "Same section"]
    desk["same_section"].unpublish()
    assert related_titles(desk["story"]) == ["Two tags", "One tag, newer"]


def test_a_choice_kept_between_requests_never_shows_a_hidden_article(desk):
    """Choices are kept (cms.shared_lookups); a page hidden without any event (a queryset
    update) drops out at once rather than waiting for the staleness bound."""
    assert related_titles(desk["story"]) == ["Two tags", "One tag, newer", "One tag, older"]
    ArticlePage.objects.filter(pk=desk["one_tag_old"].pk).update(live=False)
    assert related_titles(desk["story"]) == ["Two tags", "One tag, newer"]


def test_a_shared_tag_outranks_the_same_section_and_ties_go_to_the_same_section(desk):
    # One shared tag in another section beats the same section with none...
    assert "Same section" not in related_titles(desk["story"])
    # ...and with equal shared tags, the same section comes before a newer story elsewhere.
    make_article(
        desk["world"], title="One tag, same section", tags=["floods"], publication_date=ago(30)
    )
    assert related_titles(desk["story"]) == ["Two tags", "One tag, same section", "One tag, newer"]


def test_editors_picks_come_first_in_their_order_and_the_rest_is_filled(desk):
    story = pick(desk["story"], desk["unrelated"], desk["one_tag_old"])
    assert related_titles(story) == ["Unrelated", "One tag, older", "Two tags"]
    # Picks are not repeated by the automatic part.
    story = pick(story, desk["one_tag_old"], desk["unrelated"], desk["same_section"])
    assert related_titles(story) == ["One tag, older", "Unrelated", "Same section"]


def test_only_articles_readers_may_see_are_shown_picked_or_found(desk):
    draft = make_article(desk["world"], title="Draft pick", tags=["floods", "coast"], publish=False)
    future = make_article(
        desk["world"],
        title="Scheduled",
        tags=["floods", "coast"],
        publication_date=NOW + dt.timedelta(days=1),
    )
    expired = make_article(desk["world"], title="Expired", tags=["floods", "coast"])
    ArticlePage.objects.filter(pk=expired.pk).update(expire_at=ago(1))
    private = make_article(desk["world"], title="Private", tags=["floods", "coast"])
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    story = pick(desk["story"], draft, future, expired, private)
    shown = related_titles(story)
    assert shown == ["Two tags", "One tag, newer", "One tag, older"]
    assert "Flood defences fail" not in shown  # never itself


def test_an_article_cannot_be_related_to_itself(desk):
    link = ArticleRelatedLink(page=desk["story"], related=desk["story"])
    with pytest.raises(ValidationError) as error:
        link.clean()
    assert "cannot be related to itself" in str(error.value)


def test_the_article_page_lists_them_with_links_and_dates(client, desk):
    story = pick(desk["story"], desk["unrelated"])
    html = client.get(story.url).content.decode()
    soup = BeautifulSoup(html, "html.parser")
    section = soup.find("section", class_="related-articles")
    assert section is not None
    assert section.find("h2").get_text() == "Related articles"
    links = section.select("li a.related-articles__link")
    assert [a.get_text() for a in links] == ["Unrelated", "Two tags", "One tag, newer"]
    assert [a["href"] for a in links] == [
        desk["unrelated"].url,
        desk["both_tags"].url,
        desk["one_tag_new"].url,
    ]
    times = section.select("li time")
    assert times[1]["datetime"] == desk["both_tags"].publication_iso


def test_an_article_with_nothing_related_shows_no_empty_box(client):
    lonely = make_article(make_section("Lonely"), title="Alone")
    make_article(make_section("Elsewhere"), title="Elsewhere", tags=["other"])
    html = client.get(lonely.url).content.decode()
    assert "related-articles" not in html


def page_queries(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def test_the_choice_costs_one_query_whatever_the_tags_picks_or_archive(client, settings):
    settings.BYLINE_PAGE_CACHE = False
    world = make_section("World")
    few = make_article(world, title="Few", tags=["a"])
    many = make_article(world, title="Many", tags=[f"t{n}" for n in range(8)])
    for n in range(12):
        make_article(world, title=f"Filler {n}", tags=[f"t{n % 8}", "a"])
    many = pick(many, *ArticlePage.objects.filter(title__startswith="Filler")[:3])
    assert page_queries(client, few.url) == page_queries(client, many.url)
    # Reading the tags is the page's own query; the related articles are one more.
    article = ArticlePage.objects.get(pk=many.pk)
    assert [tag.name for tag in article.tag_list] == [f"t{n}" for n in range(8)]
    with CaptureQueriesContext(connection) as context:
        shown = article.related_articles
        read = [(related.url, related.title, related.publication_date) for related in shown]
    assert len(context.captured_queries) == 1
    assert len(read) == RELATED_COUNT


def test_one_query_serves_a_whole_listing_with_the_same_answer_as_each_article(desk):
    from cms.http_cache import next_visibility_change
    from news.models.pages import section_at

    articles = list(ArticlePage.objects.order_by("pk"))
    prefetch_related_objects(articles, "tags")  # as listings do
    # What a running site keeps warm: the sections, the next scheduled change.
    section_at(desk["world"].path)
    next_visibility_change()
    answers = []
    for _made_then_kept in range(2):
        with CaptureQueriesContext(connection) as context:
            answers.append([titles(found) for found in related_articles(articles)])
        assert len(context.captured_queries) == 1
    assert answers[0] == answers[1]
    for article, found in zip(articles, answers[0], strict=True):
        assert found == related_titles(article), article.title


def test_the_api_gives_the_same_list_in_v2_and_v3_detail_and_listings(client, desk):
    story = pick(desk["story"], desk["unrelated"])
    expected = [desk["unrelated"], desk["both_tags"], desk["one_tag_new"]]
    v2 = client.get(f"/api/v2/articles/{story.pk}/").json()["related"]
    for item, article in zip(v2, expected, strict=True):
        assert set(item) == {"id", "title", "url", "html_url", "publication_date", "breaking"}
        assert (item["id"], item["title"], item["url"]) == (article.pk, article.title, article.url)
        assert item["html_url"] == f"http://testserver{article.url}"
        published = dt.datetime.fromisoformat(item["publication_date"].replace("Z", "+00:00"))
        assert published == article.publication_date.replace(microsecond=0)
        assert item["breaking"] is False
    assert [item["id"] for item in v2] == [article.pk for article in expected]
    v3 = client.get(f"/api/v3/articles/{story.pk}/").json()["related"]
    assert [item["id"] for item in v3] == [item["id"] for item in v2]
    assert [item["title"] for item in v3] == [item["title"] for item in v2]
    # Listings: not in v2's default fields, on request; always in v3.
    listing = client.get("/api/v2/articles/").json()["items"]
    assert "related" not in listing[0]
    asked = client.get("/api/v2/articles/?fields=related&limit=20").json()["items"]
    v3_listing = client.get("/api/v3/articles/?limit=20").json()["items"]
    for items in (asked, v3_listing):
        by_id = {item["id"]: [r["id"] for r in item["related"]] for item in items}
        assert by_id[story.pk] == [article.pk for article in expected]
        for article in ArticlePage.objects.all():
            assert by_id[article.pk] == [
                a.pk for a in ArticlePage.objects.get(pk=article.pk).related_articles
            ]


def test_a_cached_article_page_follows_an_article_that_joins_its_related_list(client, settings):
    """Issue 12: an article published into the section or under a tag of a cached article
    purges that article's page, whose related list may now show it; others stay cached."""
    header = "X-Byline-Cache"
    settings.BYLINE_PAGE_CACHE = True
    world, sport = make_section("World"), make_section("Sport")
    story = make_article(world, title="Flood defences fail", tags=["floods"])
    other = make_article(sport, title="Cup final", tags=["cricket"], publication_date=ago(5))
    for url in (story.url, other.url):
        assert client.get(url)[header] == "miss"
        assert client.get(url)[header] == "hit"

    make_article(sport, title="Floods stop play", tags=["floods"], publication_date=ago(1))
    page = client.get(story.url)
    assert page[header] == "miss"
    assert "Floods stop play" in related_list(page)
    # The first is in the cricket story's section: its page was purged too.
    assert client.get(other.url)[header] == "miss"
    assert client.get(other.url)[header] == "hit"
    make_article(world, title="Storm warning", publication_date=ago(1))
    page = client.get(story.url)
    assert page[header] == "miss"
    assert "Storm warning" in related_list(page)
    # Another section and no shared tag: the cricket story's page is still served cached.
    assert client.get(other.url)[header] == "hit"


def related_list(response):
    html = BeautifulSoup(response.content, "html.parser")
    box = html.find(string="Related articles").find_parent(["section", "aside", "nav", "div"])
    return [link.get_text(" ", strip=True) for link in box.select("a")]


def shown_related(client, article):
    soup = BeautifulSoup(client.get(article.url).content, "html.parser")
    return [link.get_text(strip=True) for link in soup.select("a.related-articles__link")]


def test_kept_choices_follow_new_articles_in_the_section_and_scheduled_ones(client, desk):
    quiet = make_article(desk["sport"], title="Quiet story", publication_date=ago(0.5))
    before = related_titles(quiet)
    assert "Brand new in sport" not in before
    make_article(desk["sport"], title="Brand new in sport", publication_date=ago(0.1))
    assert related_titles(quiet)[0] == "Brand new in sport"

    import time_machine

    later = NOW + dt.timedelta(hours=2)
    make_article(
        desk["world"], title="Scheduled flood story", tags=["floods", "coast"], go_live_at=later
    )
    assert "Scheduled flood story" not in shown_related(client, desk["story"])
    with time_machine.travel(later + dt.timedelta(minutes=1)):
        # Readers' requests publish what is due (cms.runtime.catch_up) if the worker has not.
        assert shown_related(client, desk["story"])[0] == "Scheduled flood story"
