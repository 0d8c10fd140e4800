"""Exact invalidation, the events beyond publishing (issue 12): comments and mentions
edited or deleted outright, comments closing by age (the clock), the Wagtail Site and
site settings, images deleted, tags and sections renamed or moved.

Like tests/test_page_cache_invalidation.py, each test caches answers that show the
object and one that does not, makes the change the way it is made in production,
then checks that the dependent answers are rendered afresh with the change and that
the unrelated answer is still a hit.
"""

import datetime as dt
import json

import pytest
import time_machine
from byline_comments.models import CommentKind, CommentStatus
from byline_mentions.parsing import SourceReport
from byline_mentions.receiving import remove_mention, update_mention
from django.utils import timezone
from taggit.models import Tag
from wagtail.models import Page, Site

from cms.runtime import clock
from home.models import HomePage
from tests.comment_support import make_comment, site_settings
from tests.factories import make_article, make_author, make_image, make_section
from tests.runtime_support import run_worker
from tests.test_page_cache_invalidation import (  # noqa: F401 - cdn is a fixture
    HEADER,
    cdn,
    fresh,
    purged,
    still_cached,
    warm,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.BYLINE_PAGE_CACHE = True  # off by default in tests (cms/settings/test.py)


@pytest.fixture
def news():
    ada = make_author("Ada Reporter", slug="ada-reporter")
    world, sport = make_section("World"), make_section("Sport")
    picture = make_image("Harbour at dawn", credit="Photo: Harbour Authority")
    harbour = make_article(
        world, title="Harbour reopens after the storm", authors=[ada], tags=["harbour"]
    )
    harbour.lead_image = picture
    harbour.save_revision().publish()
    final = make_article(sport, title="Cup final tonight", tags=["football"])
    return world, sport, harbour, final, picture


# Comments and mentions ----------------------------------------------------------------


def test_deleting_a_shown_comment_outright(client, news, django_capture_on_commit_callbacks):
    world, sport, harbour, final, picture = news
    comment = make_comment(harbour, body="The ferry was on time.")
    shows = [harbour.url, "/world/"]  # the section's card counts the comments
    unrelated = [final.url, "/sport/"]
    warm(client, *shows, *unrelated)
    assert "The ferry was on time." in client.get(harbour.url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        comment.delete()  # the admin's delete, not a moderation
    for url in shows:
        assert "The ferry was on time." not in fresh(client, url), url
    still_cached(client, *unrelated)


def test_deleting_a_pending_comment_purges_nothing(
    client, news, django_capture_on_commit_callbacks
):
    world, sport, harbour, final, picture = news
    comment = make_comment(harbour, status=CommentStatus.PENDING)
    warm(client, harbour.url)
    with django_capture_on_commit_callbacks(execute=True):
        comment.delete()
    still_cached(client, harbour.url)


def test_editing_a_shown_comment(client, news, django_capture_on_commit_callbacks):
    world, sport, harbour, final, picture = news
    comment = make_comment(harbour, body="The ferry was on time.")
    shows = [harbour.url]
    unrelated = [final.url, "/world/"]
    warm(client, *shows, *unrelated)
    with django_capture_on_commit_callbacks(execute=True):
        comment.body = "The ferry was ten minutes late."  # an editor's correction
        comment.save()
    for url in shows:
        page = fresh(client, url)
        assert "ten minutes late" in page and "on time" not in page, url
    still_cached(client, *unrelated)


def _mention(article, **fields):
    return make_comment(
        article,
        kind=CommentKind.WEBMENTION,
        author_name="Harbour Watch blog",
        author_url="https://blog.example/",
        source_url="https://blog.example/harbour",
        source_title="The harbour is back",
        body="Ferries are running again.",
        **fields,
    )


def test_approving_a_webmention(client, news, django_capture_on_commit_callbacks):
    from byline_comments.services import moderate

    world, sport, harbour, final, picture = news
    mention = _mention(harbour, status=CommentStatus.PENDING)
    warm(client, harbour.url, final.url)
    assert "Harbour Watch blog" not in client.get(harbour.url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        moderate([mention], CommentStatus.APPROVED)
    assert "Harbour Watch blog" in fresh(client, harbour.url)
    still_cached(client, final.url)


def test_a_mention_refreshed_from_its_source(client, news, django_capture_on_commit_callbacks):
    """The source page changed: the webmention is updated (its excerpt) in place."""
    world, sport, harbour, final, picture = news
    mention = _mention(harbour)
    warm(client, harbour.url, final.url)
    assert "The harbour is back" in client.get(harbour.url).content.decode()
    report = SourceReport(
        links_to_target=True,
        title="Harbour back in business",
        excerpt="Every ferry is running again, says the port.",
        author_name="Harbour Watch blog",
        author_url="https://blog.example/",
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert update_mention(mention, "webmention", mention.source_url, report, None)
    mention.refresh_from_db()
    assert mention.status == CommentStatus.APPROVED
    page = fresh(client, harbour.url)
    assert "Harbour back in business" in page and "The harbour is back" not in page
    still_cached(client, final.url)


def test_a_mention_whose_source_is_gone(client, news, django_capture_on_commit_callbacks):
    world, sport, harbour, final, picture = news
    mention = _mention(harbour)
    warm(client, harbour.url, final.url)
    with django_capture_on_commit_callbacks(execute=True):
        remove_mention(mention, "its source answered HTTP 410 (deleted)")
    assert "Harbour Watch blog" not in fresh(client, harbour.url)
    still_cached(client, final.url)


def test_deleting_a_mention_outright(client, news, django_capture_on_commit_callbacks):
    world, sport, harbour, final, picture = news
    mention = _mention(harbour)
    warm(client, harbour.url, final.url)
    with django_capture_on_commit_callbacks(execute=True):
        mention.delete()
    assert "Harbour Watch blog" not in fresh(client, harbour.url)
    still_cached(client, final.url)


@pytest.mark.extension_point("after_discussion_change")
def test_comments_closing_by_age_purge_the_article_when_the_clock_runs(
    client, news, task_queue, django_capture_on_commit_callbacks
):
    """CommentSettings.close_after_days: N days after publication the form goes; the
    plugin's periodic job (queued by the clock, run by the worker) announces it."""
    world, sport, harbour, final, picture = news
    site_settings(close_after_days=3)
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock_hand:
        published = start - dt.timedelta(days=3) + dt.timedelta(minutes=2)
        old = make_article(world, title="Tram line opens", publication_date=published)
        warm(client, old.url, harbour.url, final.url)
        assert 'class="comment-form' in client.get(old.url).content.decode()
        clock_hand.shift(dt.timedelta(minutes=3))  # its comments closed a minute ago
        assert "comments_close_by_age" in clock.tick()
        with django_capture_on_commit_callbacks(execute=True):
            run_worker()
        page = fresh(client, old.url)
        assert 'class="comment-form' not in page and "closed" in page.lower()
        still_cached(client, harbour.url, final.url)
        # The next run does not announce it again.
        clock_hand.shift(dt.timedelta(minutes=1))
        assert "comments_close_by_age" in clock.tick()
        with django_capture_on_commit_callbacks(execute=True):
            run_worker()
        still_cached(client, old.url, harbour.url)


# The Wagtail Site and site settings -------------------------------------------------


def _second_site():
    """A second paper on other.example, with a front page of its own."""
    root = Page.objects.get(depth=1).add_child(
        instance=HomePage(title="The Evening Ferry", slug="evening-ferry")
    )
    return Site.objects.create(hostname="other.example", root_page=root, site_name="Ferry")


def test_switching_the_sites_front_page(client, news, django_capture_on_commit_callbacks):
    """The Site's root page decides what every address shows: all of its answers go
    (and, requests being routed afresh, every other Site's)."""
    world, sport, harbour, final, picture = news
    other = _second_site()
    warm(client, "/", harbour.url, "/api/v2/articles/")
    with django_capture_on_commit_callbacks(execute=True):
        site = Site.objects.get(is_default_site=True)
        site.root_page = other.root_page
        site.save()
    assert "The Evening Ferry" in fresh(client, "/")
    fresh(client, harbour.url, status=404)  # no longer below the site's root
    assert "Harbour reopens" not in fresh(client, "/api/v2/articles/")


def test_renaming_one_site_leaves_the_others_cached(
    client, news, django_capture_on_commit_callbacks
):
    world, sport, harbour, final, picture = news
    other = _second_site()
    warm(client, "/", harbour.url, "/api/v2/articles/")
    assert client.get("/", HTTP_HOST="other.example")[HEADER] == "miss"
    assert client.get("/", HTTP_HOST="other.example")[HEADER] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        other.site_name = "The Evening Ferry Online"
        other.save()
    response = client.get("/", HTTP_HOST="other.example")
    assert response[HEADER] == "miss" and "The Evening Ferry" in response.content.decode()
    still_cached(client, "/", harbour.url, "/api/v2/articles/")


def test_first_save_of_a_site_setting(client, news, django_capture_on_commit_callbacks):
    """The row is made when first read, with its defaults (no purge); an editor's
    first save, with other values, is a change like any other."""
    from byline_comments.models import CommentSettings

    world, sport, harbour, final, picture = news
    site = Site.objects.get(is_default_site=True)
    CommentSettings.objects.filter(site=site).delete()
    week_old = make_article(
        world, title="Tram line opens", publication_date=timezone.now() - dt.timedelta(days=7)
    )
    warm(client, week_old.url, final.url, "/api/v2/articles/")
    with django_capture_on_commit_callbacks(execute=True):
        CommentSettings.for_site(site)  # read once: made with its defaults
    still_cached(client, week_old.url, final.url)
    CommentSettings.objects.filter(site=site).delete()
    with django_capture_on_commit_callbacks(execute=True):
        CommentSettings.objects.create(site=site, close_after_days=3)  # an editor's first save
    assert 'class="comment-form' not in fresh(client, week_old.url)
    still_cached(client, "/api/v2/articles/")


# Images, tags, sections -------------------------------------------------------------


def test_deleting_an_image_used_on_a_page(client, news, django_capture_on_commit_callbacks):
    world, sport, harbour, final, picture = news
    shows = [
        harbour.url,
        "/world/",
        f"/api/v2/pages/{harbour.pk}/",
        f"/api/v2/images/{picture.pk}/",
    ]
    unrelated = [final.url, "/sport/"]
    warm(client, *shows, *unrelated)
    assert "Photo: Harbour Authority" in client.get(harbour.url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        picture.delete()
    assert "Photo: Harbour Authority" not in fresh(client, harbour.url)
    fresh(client, "/world/")
    assert json.loads(fresh(client, f"/api/v2/pages/{harbour.pk}/"))["lead_image"] is None
    fresh(client, f"/api/v2/images/{picture.pk}/", status=404)
    still_cached(client, *unrelated)


def test_renaming_a_tag_and_its_slug(client, news, django_capture_on_commit_callbacks):
    world, sport, harbour, final, picture = news
    warm(
        client,
        harbour.url,
        "/tags/harbour/",
        "/api/v2/articles/?tags=harbour",
        final.url,
        "/tags/football/",
    )
    tag = Tag.objects.get(slug="harbour")
    with django_capture_on_commit_callbacks(execute=True):
        tag.name, tag.slug = "Ports", "ports"
        tag.save()
    assert "Ports" in fresh(client, harbour.url)
    assert "/tags/ports/" in client.get(harbour.url).content.decode()
    fresh(client, "/tags/harbour/", status=404)
    assert "Harbour reopens" in fresh(client, "/tags/ports/")
    still_cached(client, final.url, "/tags/football/")


def test_renaming_a_sections_slug(client, news, django_capture_on_commit_callbacks):
    """Every address below it changes: the pages that link to its articles are purged."""
    world, sport, harbour, final, picture = news
    shows = [
        "/",
        "/tags/harbour/",
        "/authors/ada-reporter/",
        "/feed/",
        "/api/v2/articles/",
        "/search/?q=harbour",
    ]
    # The masthead menu links the section: only answers without it stay cached.
    unrelated = [f"/api/v2/pages/{final.pk}/", "/api/v2/authors/"]
    warm(client, *shows, *unrelated)
    with django_capture_on_commit_callbacks(execute=True):
        world.slug = "international"
        world.save_revision().publish()
    for url in shows:
        assert "/international/" in fresh(client, url), url
    still_cached(client, *unrelated)


def test_moving_a_section(client, news, django_capture_on_commit_callbacks):
    world, sport, harbour, final, picture = news
    # Every HTML page's masthead menu lists the top-level sections: only API answers
    # that show neither section stay cached.
    unrelated = [f"/api/v2/pages/{final.pk}/", "/api/v2/authors/"]
    warm(client, "/", "/tags/harbour/", "/world/", harbour.url, *unrelated)
    with django_capture_on_commit_callbacks(execute=True):
        world.move(sport, pos="last-child")
    assert "/sport/world/" in fresh(client, "/tags/harbour/")
    assert "/sport/world/" in fresh(client, "/")
    fresh(client, harbour.url, status=301)  # Wagtail's redirect to its new address
    still_cached(client, *unrelated)


def test_a_comment_deleted_outright_is_purged_on_the_cdn(
    client,
    news,
    cdn,  # noqa: F811 - the fixture imported above
    django_capture_on_commit_callbacks,
):
    """The article's public URL reaches Wagtail's frontend cache even when this server
    holds no copy of it."""
    world, sport, harbour, final, picture = news
    comment = make_comment(harbour, body="The ferry was on time.")
    with django_capture_on_commit_callbacks(execute=True):
        comment.delete()
    run_worker()
    assert purged(cdn) == [("PURGE", harbour.url)]
