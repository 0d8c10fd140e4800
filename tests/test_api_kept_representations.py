"""Kept API representations (``PublicEndpointMixin.represent``, ``cms.kept_fragments.keep``):
an API v2 listing or detail is serialised once for every reader and made again
exactly when something it shows changes, with the page cache off as on; signed-in sessions
and previews always get it made afresh."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import PageViewRestriction

from tests.api_support import small_image
from tests.factories import make_article, make_author, make_section

pytestmark = pytest.mark.django_db

LISTING = "/api/v2/articles/?fields=*"


@pytest.fixture
def world():
    return make_section("World", slug="world")


@pytest.fixture
def story(world):
    author = make_author("Ada Reporter")
    image = small_image("Quay", description="The quay at dawn")
    article = make_article(
        world, slug="harbour", title="Harbour reopens", authors=[author], lead_image=image
    )
    return {"article": article, "author": author, "image": image}


def first_item(client, url=LISTING, **extra):
    response = client.get(url, **extra)
    assert response.status_code == 200, response.content[:300]
    data = response.json()
    return data["items"][0] if "items" in data else data


def detail_url(article):
    return f"/api/v2/articles/{article.pk}/"


def test_a_listing_is_serialised_once_for_every_reader(client, story):
    first = client.get(LISTING).json()
    with CaptureQueriesContext(connection) as kept:
        again = client.get(LISTING).json()
    assert again == first
    assert again["items"][0]["authors"][0]["name"] == "Ada Reporter"
    # The authors, renditions and tags of the page were not loaded: nothing was serialised.
    sql = "\n".join(query["sql"] for query in kept.captured_queries)
    assert '"authors_author"' not in sql
    assert '"news_newsrendition"' not in sql
    assert '"taggit_tag"' not in sql


def test_a_kept_listing_reads_only_the_ids_of_its_page(client, story, world):
    make_article(world, slug="ferry", title="Ferry returns")
    first = client.get(LISTING).json()
    with CaptureQueriesContext(connection) as kept:
        again = client.get(LISTING).json()
    assert again == first
    assert [item["title"] for item in again["items"]] == ["Ferry returns", "Harbour reopens"]
    # One query, for the page's ids: no row, body or byline of the articles is read.
    sql = [query["sql"] for query in kept.captured_queries]
    assert len(sql) == 1, sql
    assert '"news_articlepage"."body"' not in sql[0] and '"authors_author"' not in sql[0]
    # Another page of the listing is its own answer, and so is a filtered one.
    second = client.get(f"{LISTING}&offset=1&limit=1").json()
    assert [item["title"] for item in second["items"]] == ["Harbour reopens"]
    assert second["meta"]["total_count"] == 2


def test_each_shape_of_answer_is_kept_apart(client, story):
    article = story["article"]
    assert set(first_item(client, "/api/v2/articles/?fields=_,title")) == {"title"}
    full = first_item(client, LISTING)
    assert {"body", "authors", "seo"} <= set(full)
    assert set(first_item(client, "/api/v2/articles/?fields=_,title")) == {"title"}
    # A detail is its own shape (Wagtail's detail meta has the parent, not the locale).
    detail = first_item(client, detail_url(article))
    assert detail["title"] == full["title"]
    assert "parent" in detail["meta"] and "parent" not in full["meta"]
    plain = first_item(client, f"{detail_url(article)}?fields=_,title")
    assert set(plain) == {"title"}
    assert "authors" in first_item(client, detail_url(article))


def test_filters_share_the_same_representation(client, story, world):
    everyone = first_item(client, LISTING)
    with CaptureQueriesContext(connection) as kept:
        in_section = first_item(client, f"{LISTING}&section=world")
    assert in_section == everyone
    sql = "\n".join(query["sql"] for query in kept.captured_queries)
    assert '"authors_author"' not in sql


def test_a_representation_follows_the_article_and_what_it_shows(client, story, world):
    article, author, image = story["article"], story["author"], story["image"]
    url = detail_url(article)
    for address in (LISTING, url):
        first_item(client, address)

    article.title = "Harbour reopens on Monday"
    article.save_revision().publish()
    assert [first_item(client, a)["title"] for a in (LISTING, url)] == [article.title] * 2

    author.name = "Ada Lovelace-Reporter"
    author.save()
    names = [first_item(client, a)["authors"][0]["name"] for a in (LISTING, url)]
    assert names == ["Ada Lovelace-Reporter"] * 2

    image.description = "The quay at dusk"
    image.save()
    alts = [first_item(client, a)["lead_image"]["alt"] for a in (LISTING, url)]
    assert alts == ["The quay at dusk"] * 2

    world.title = "Globe"
    world.save_revision().publish()
    sections = [first_item(client, a)["section"]["title"] for a in (LISTING, url)]
    assert sections == ["Globe"] * 2
    assert first_item(client, url)["meta"]["parent"]["title"] == "Globe"


def test_a_comment_approved_counts_at_once(client, story, django_capture_on_commit_callbacks):
    from byline_comments.models import CommentStatus
    from byline_comments.services import moderate

    from tests.comment_support import make_comment

    article = story["article"]
    assert first_item(client, detail_url(article))["comment_count"] == 0
    comment = make_comment(article, status=CommentStatus.PENDING)
    assert first_item(client, detail_url(article))["comment_count"] == 0
    with django_capture_on_commit_callbacks(execute=True):  # the plugin's event
        moderate([comment], CommentStatus.APPROVED)
    assert first_item(client, detail_url(article))["comment_count"] == 1


def test_related_articles_follow_what_joins_and_leaves(client, story, world):
    article = story["article"]
    url = detail_url(article)
    assert first_item(client, url)["related"] == []
    # Sooner than the staleness bound (BYLINE_PAGE_CACHE_MAX_AGE), which would hide it.
    later = timezone.now() + timedelta(minutes=2)
    ferry = make_article(world, slug="ferry", title="Ferry returns")
    make_article(world, slug="tide", title="Tide tables", publication_date=later)
    assert [item["title"] for item in first_item(client, url)["related"]] == ["Ferry returns"]
    # Published, dated later: it shows from its date with no event, and the kept
    # representation lives no longer.
    with time_machine.travel(later + timedelta(minutes=1)):
        related = [item["title"] for item in first_item(client, url)["related"]]
    assert related == ["Tide tables", "Ferry returns"]

    PageViewRestriction.objects.create(
        page=ferry, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    assert "Ferry returns" not in [item["title"] for item in first_item(client, url)["related"]]


def test_signed_in_sessions_get_a_representation_made_afresh(client, story):
    from news.models import NewsImage

    image = story["image"]
    assert first_item(client)["lead_image"]["alt"] == "The quay at dawn"
    # Changed behind the image's back (no signal, so no purge): readers keep the
    # representation until its staleness bound; a signed-in editor gets it made afresh.
    NewsImage.objects.filter(pk=image.pk).update(description="The quay at dusk")
    assert first_item(client)["lead_image"]["alt"] == "The quay at dawn"
    editor = get_user_model().objects.create_superuser("editor", "editor@example.test", "pw")
    client.force_login(editor)
    assert first_item(client)["lead_image"]["alt"] == "The quay at dusk"


def test_a_kept_detail_is_found_from_its_address_alone(client, story):
    url = detail_url(story["article"])
    first = client.get(url).json()
    with CaptureQueriesContext(connection) as kept:
        again = client.get(url).json()
    assert again == first and again["title"] == "Harbour reopens"
    # Not even the page is looked up: the kept answer is named by the address.
    sql = "\n".join(query["sql"] for query in kept.captured_queries)
    assert '"wagtailcore_page"' not in sql, sql


def test_a_kept_detail_answers_only_what_its_lookup_would(client, story, world):
    article = story["article"]
    sport = make_section("Sport", slug="sport")
    urls = [
        detail_url(article),
        f"/api/v2/pages/{article.pk}/",
        f"{detail_url(article)}?section=world",
    ]
    for url in urls:
        assert first_item(client, url)["title"] == "Harbour reopens"
    # Other parameters are other lookups: the article is not in Sport, nor a section.
    assert client.get(f"{detail_url(article)}?section=sport").status_code == 404
    assert client.get(f"/api/v2/pages/{article.pk}/?type=news.NewsIndexPage").status_code == 404
    assert client.get(f"/api/v2/pages/{sport.pk}/?type=news.ArticlePage").status_code == 404
    # Another site's address does not serve it.
    from wagtail.models import Page, Site

    from home.models import HomePage

    other_root = Page.objects.get(depth=1).add_child(
        instance=HomePage(title="The Evening Ferry", slug="evening-ferry")
    )
    Site.objects.create(hostname="other.example", root_page=other_root, site_name="Ferry")
    assert client.get(detail_url(article), HTTP_HOST="other.example").status_code == 404
    assert first_item(client, detail_url(article))["title"] == "Harbour reopens"
    # Made private: gone from every address at once.
    restriction = PageViewRestriction.objects.create(
        page=world, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    assert [client.get(url).status_code for url in urls] == [404, 404, 404]
    restriction.delete()
    assert [client.get(url).status_code for url in urls] == [200, 200, 200]
    article.unpublish()
    assert [client.get(url).status_code for url in urls] == [404, 404, 404]


def test_a_kept_detail_lives_no_longer_than_its_article(client, world):
    soon = timezone.now() + timedelta(minutes=2)
    article = make_article(world, slug="tide", title="Tide tables", expire_at=soon)
    assert first_item(client, detail_url(article))["title"] == "Tide tables"
    with time_machine.travel(soon + timedelta(seconds=1)):
        assert client.get(detail_url(article)).status_code == 404


# API v3 -------------------------------------------------------------------------------


def v3_detail(article):
    return f"/api/v3/pages/{article.pk}/"


def test_a_v3_detail_is_kept_for_readers_and_follows_its_article(client, story):
    article, author = story["article"], story["author"]
    first = client.get(v3_detail(article)).json()
    with CaptureQueriesContext(connection) as kept:
        again = client.get(v3_detail(article)).json()
    assert again == first and again["title"] == "Harbour reopens"
    assert '"wagtailcore_page"' not in "\n".join(q["sql"] for q in kept.captured_queries)
    article.title = "Harbour reopens on Monday"
    article.save_revision().publish()
    assert client.get(v3_detail(article)).json()["title"] == "Harbour reopens on Monday"
    author.name = "Ada Lovelace-Reporter"
    author.save()
    assert client.get(v3_detail(article)).json()["authors"][0]["name"] == "Ada Lovelace-Reporter"
    restriction = PageViewRestriction.objects.create(
        page=article, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    assert client.get(v3_detail(article)).status_code == 404
    restriction.delete()
    article.unpublish()
    assert client.get(v3_detail(article)).status_code == 404


def test_a_v3_draft_is_for_token_holders_only(client, story):
    from tests.api_support import token_for

    article = story["article"]
    assert client.get(f"{v3_detail(article)}?version=draft").json()["title"] == "Harbour reopens"
    article.title = "Harbour reopens (draft)"
    article.save_revision()
    # Readers get the live version, kept; the token holder the draft, made for them.
    assert client.get(f"{v3_detail(article)}?version=draft").json()["title"] == "Harbour reopens"
    editor = get_user_model().objects.create_superuser("editor", "editor@example.test", "pw")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token_for(editor)}"}
    drafted = client.get(f"{v3_detail(article)}?version=draft", **headers).json()
    assert drafted["title"] == "Harbour reopens (draft)"
    assert client.get(v3_detail(article), **headers).json()["title"] == "Harbour reopens"


def test_a_kept_answer_is_sent_as_its_json_text_or_indented_on_request(client, story):
    import json

    for url in (LISTING, detail_url(story["article"])):
        first = client.get(url)
        again = client.get(url)
        assert again.content == first.content and again["Content-Type"] == "application/json"
        assert b"\n" not in again.content  # compact, as Wagtail's data rendered by DRF
        indented = client.get(url, HTTP_ACCEPT="application/json; indent=4")
        assert indented.content.startswith(b'{\n    "')
        assert json.loads(indented.content) == json.loads(first.content)
        browsable = client.get(url, HTTP_ACCEPT="text/html")
        assert browsable.status_code == 200 and "Harbour reopens" in browsable.content.decode()


def test_a_kept_detail_follows_a_page_taken_off_by_a_script(client, story, world):
    article = story["article"]
    urls = [detail_url(article), f"/api/v2/pages/{world.pk}/", v3_detail(article)]
    assert [client.get(url).status_code for url in urls] == [200, 200, 200]
    # Saved as not live with no unpublish event: gone from the kept answers at once.
    world.live = False
    world.save()
    assert client.get(f"/api/v2/pages/{world.pk}/").status_code == 404
    article.live = False
    article.save()
    assert [client.get(url).status_code for url in urls] == [404, 404, 404]
