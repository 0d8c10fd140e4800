"""Exact invalidation: every change purges what shows it, and nothing else.

Each test fills the page cache with answers that show the object about to
change and with one that does not, makes the change the way editors (or the
scheduler, or moderators) make it, then checks that the dependent answers are
rendered afresh with the change and that the unrelated one is still a hit.
"""

import datetime as dt

import pytest
import time_machine
from byline_comments.models import ArticleCommentOptions, CommentKind, CommentStatus
from byline_comments.services import moderate
from byline_mentions.models import MentionSettings
from django.utils import timezone
from taggit.models import Tag
from wagtail.models import PageViewRestriction, Site

from tests.comment_support import make_comment
from tests.factories import home_page, make_article, make_author, make_image, make_section
from tests.runtime_support import run_worker

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.BYLINE_PAGE_CACHE = True  # off by default in tests (cms/settings/test.py)


HEADER = "X-Byline-Cache"


@pytest.fixture
def news():
    ada = make_author("Ada Reporter", slug="ada-reporter")
    ben = make_author("Ben Writer", slug="ben-writer")
    world, sport = make_section("World"), make_section("Sport")
    picture = make_image("Harbour at dawn", credit="Photo: Harbour Authority")
    harbour = make_article(
        world,
        title="Harbour reopens after the storm",
        authors=[ada],
        tags=["harbour"],
        lead_image=picture,
    )
    final = make_article(sport, title="Cup final tonight", authors=[ben], tags=["football"])
    return ada, ben, world, sport, harbour, final, picture


def warm(client, *urls):
    """Fill the cache with `urls` (each a miss, then a hit)."""
    for url in urls:
        assert client.get(url)[HEADER] == "miss", url
        assert client.get(url)[HEADER] == "hit", url


def fresh(client, url, status=200):
    """`url` rendered afresh after the change (and the content it now has)."""
    response = client.get(url)
    assert response[HEADER] == "miss", url
    assert response.status_code == status, url
    return response.content.decode()


def still_cached(client, *urls):
    for url in urls:
        assert client.get(url)[HEADER] == "hit", url


def test_publishing_a_new_article(client, news):
    ada, ben, world, sport, harbour, final, picture = news
    listings = [
        "/",
        "/world/",
        "/tags/harbour/",
        "/authors/ada-reporter/",
        "/feed/",
        "/news-sitemap.xml",
        "/search/?q=ferries",
        "/api/v2/articles/",
        "/api/v3/articles/",
    ]
    unrelated = [final.url, "/sport/", f"/api/v2/pages/{final.pk}/", "/tags/football/"]
    warm(client, *listings, *unrelated)
    make_article(world, title="Ferries back on the timetable", authors=[ada], tags=["harbour"])
    for url in listings:
        assert "Ferries back on the timetable" in fresh(client, url), url
    still_cached(client, *unrelated)


def test_republishing_a_renamed_article(client, news):
    ada, ben, world, sport, harbour, final, picture = news
    shows = [harbour.url, "/", "/world/", f"/api/v2/pages/{harbour.pk}/", "/api/v3/articles/"]
    unrelated = [final.url, "/sport/", f"/api/v3/pages/{final.pk}/"]
    warm(client, *shows, *unrelated)
    harbour.title = "Harbour fully reopens"
    harbour.save_revision().publish()
    for url in shows:
        page = fresh(client, url)
        assert "Harbour fully reopens" in page and "after the storm" not in page, url
    still_cached(client, *unrelated)


def test_unpublishing_an_article(client, news):
    ada, ben, world, sport, harbour, final, picture = news
    warm(client, harbour.url, "/world/", "/api/v2/articles/", final.url, "/sport/")
    harbour.unpublish()
    fresh(client, harbour.url, status=404)
    assert "Harbour reopens" not in fresh(client, "/world/")
    assert "Harbour reopens" not in fresh(client, "/api/v2/articles/")
    still_cached(client, final.url, "/sport/")


def test_deleting_an_article(client, news):
    ada, ben, world, sport, harbour, final, picture = news
    warm(client, harbour.url, "/", "/tags/harbour/", f"/api/v2/pages/{harbour.pk}/", final.url)
    harbour.delete()
    fresh(client, harbour.url, status=404)
    fresh(client, f"/api/v2/pages/{harbour.pk}/", status=404)
    assert "Harbour reopens" not in fresh(client, "/")
    fresh(client, "/tags/harbour/", status=404)  # no article has the tag any more
    still_cached(client, final.url)


def test_moving_an_article(client, news):
    ada, ben, world, sport, harbour, final, picture = news
    business = make_section("Business")
    other = make_article(business, title="Shipping rates fall")
    warm(client, harbour.url, "/world/", "/sport/", other.url, "/business/")
    old_url = harbour.url
    harbour.move(sport, pos="last-child")
    harbour.refresh_from_db()
    assert harbour.url != old_url
    fresh(client, old_url, status=301)  # Wagtail's redirect to the new address
    assert "Harbour reopens" in fresh(client, harbour.url)
    assert "Harbour reopens" not in fresh(client, "/world/")
    assert "Harbour reopens" in fresh(client, "/sport/")
    still_cached(client, other.url, "/business/")


def test_a_scheduled_article_appears_when_its_go_live_time_passes(client, news):
    ada, ben, world, sport, harbour, final, picture = news
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        draft = make_article(world, title="Ferries back on the timetable", publish=False)
        warm(client, "/world/", "/", final.url)
        draft.go_live_at = start + dt.timedelta(minutes=5)
        draft.save_revision().publish()  # scheduled: Wagtail keeps it aside until then
        assert "Ferries back" not in fresh(client, "/world/")
        still_cached(client, final.url)
        clock.shift(dt.timedelta(minutes=6))
        # The first reader's request publishes what is due (cms.runtime.catch_up).
        assert "Ferries back on the timetable" in fresh(client, "/world/")
        assert "Ferries back on the timetable" in fresh(client, "/")
        still_cached(client, final.url)


def test_an_expiring_article_leaves_at_its_expiry_time(client, news, settings):
    ada, ben, world, sport, harbour, final, picture = news
    settings.BYLINE_PAGE_CACHE_MAX_AGE = 3600
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        harbour.expire_at = start + dt.timedelta(minutes=2)
        harbour.save_revision().publish()
        warm(client, harbour.url, "/world/", final.url)
        clock.shift(dt.timedelta(minutes=3))
        fresh(client, harbour.url, status=404)
        assert "Harbour reopens" not in fresh(client, "/world/")
        still_cached(client, final.url)


def test_editing_an_author(client, news):
    ada, ben, world, sport, harbour, final, picture = news
    shows = [harbour.url, "/authors/ada-reporter/", "/authors/", "/api/v2/authors/"]
    unrelated = [final.url, "/authors/ben-writer/"]
    warm(client, *shows, *unrelated)
    ada.name = "Ada Q. Reporter"
    ada.save()
    for url in shows:
        assert "Ada Q. Reporter" in fresh(client, url), url
    still_cached(client, *unrelated)


def test_publishing_a_new_author(client, news):
    ada, ben, world, sport, harbour, final, picture = news
    shows = ["/authors/", "/api/v2/authors/", "/api/v3/authors/"]
    unrelated = [final.url, "/authors/ben-writer/", "/api/v2/images/", "/api/v3/tags/"]
    warm(client, *shows, *unrelated)
    cleo = make_author("Cleo Newcomer", slug="cleo-newcomer", live=False)
    cleo.save_revision().publish()
    for url in shows:
        assert "Cleo Newcomer" in fresh(client, url), url
    still_cached(client, *unrelated)


def test_editing_a_section(client, news):
    ada, ben, world, sport, harbour, final, picture = news
    shows = ["/world/", harbour.url, "/sport/"]  # the masthead menu lists every section
    unrelated = [f"/api/v2/pages/{final.pk}/", "/api/v3/articles/?section=sport"]
    warm(client, *shows, *unrelated)
    world.title = "World news"
    world.save_revision().publish()
    for url in shows:
        assert "World news" in fresh(client, url), url
    still_cached(client, *unrelated)


def test_editing_a_tag(client, news):
    ada, ben, world, sport, harbour, final, picture = news
    warm(client, harbour.url, "/tags/harbour/", final.url, "/tags/football/")
    tag = Tag.objects.get(slug="harbour")
    tag.name = "Harbours and ports"
    tag.save()
    assert "Harbours and ports" in fresh(client, harbour.url)
    assert "Harbours and ports" in fresh(client, "/tags/harbour/")
    still_cached(client, final.url, "/tags/football/")


def test_editing_the_home_page(client, news):
    ada, ben, world, sport, harbour, final, picture = news
    warm(client, "/", final.url, "/world/", "/api/v2/articles/")
    home = home_page()
    home.title = "The Courier front page"
    home.seo_title = "Front page of the Courier"
    home.save_revision().publish()
    assert "Front page of the Courier" in fresh(client, "/")
    still_cached(client, final.url, "/world/", "/api/v2/articles/")


def test_editing_a_site_setting(client, news):
    ada, ben, world, sport, harbour, final, picture = news
    warm(client, harbour.url, "/api/v2/articles/")
    assert "X-Pingback" in client.get(harbour.url)
    setting = MentionSettings.for_site(Site.objects.get(is_default_site=True))
    setting.receive_pingbacks = False
    setting.save()
    response = client.get(harbour.url)
    assert response[HEADER] == "miss"
    assert "X-Pingback" not in response
    still_cached(client, "/api/v2/articles/")


def test_editing_an_image_used_on_a_page(client, news):
    ada, ben, world, sport, harbour, final, picture = news
    warm(client, harbour.url, "/world/", final.url, "/sport/")
    picture.credit = "Photo: Port of Byline"
    picture.save()
    assert "Photo: Port of Byline" in fresh(client, harbour.url)
    fresh(client, "/world/")  # its card shows the picture
    still_cached(client, final.url, "/sport/")


def test_closing_comments_on_an_article(client, news):
    ada, ben, world, sport, harbour, final, picture = news
    warm(client, harbour.url, final.url)
    assert 'class="comment-form' in client.get(harbour.url).content.decode()
    options, _ = ArticleCommentOptions.objects.get_or_create(article=harbour)
    options.comments_closed = True
    options.save()
    assert 'class="comment-form' not in fresh(client, harbour.url)
    still_cached(client, final.url)


def test_making_an_article_private(client, news):
    ada, ben, world, sport, harbour, final, picture = news
    warm(client, harbour.url, f"/api/v2/pages/{harbour.pk}/", final.url)
    PageViewRestriction.objects.create(page=harbour, restriction_type="password", password="x")
    assert 'name="password"' in fresh(client, harbour.url)
    fresh(client, f"/api/v2/pages/{harbour.pk}/", status=404)
    still_cached(client, final.url)


def test_approving_and_removing_a_comment(client, news, django_capture_on_commit_callbacks):
    ada, ben, world, sport, harbour, final, picture = news
    comment = make_comment(harbour, status=CommentStatus.PENDING, body="The ferry was on time.")
    warm(client, harbour.url, final.url)
    with django_capture_on_commit_callbacks(execute=True):
        moderate([comment], CommentStatus.APPROVED)
    assert "The ferry was on time." in fresh(client, harbour.url)
    still_cached(client, final.url)
    client.get(harbour.url)
    with django_capture_on_commit_callbacks(execute=True):
        moderate([comment], CommentStatus.TRASH)
    assert "The ferry was on time." not in fresh(client, harbour.url)
    still_cached(client, final.url)


def test_approving_a_mention(client, news, django_capture_on_commit_callbacks):
    ada, ben, world, sport, harbour, final, picture = news
    mention = make_comment(
        harbour,
        status=CommentStatus.PENDING,
        kind=CommentKind.PINGBACK,
        author_name="Harbour Watch blog",
        author_url="https://blog.example/harbour",
        body="A blog post about the harbour",
    )
    warm(client, harbour.url, final.url)
    with django_capture_on_commit_callbacks(execute=True):
        moderate([mention], CommentStatus.APPROVED)
    assert "Harbour Watch blog" in fresh(client, harbour.url)
    still_cached(client, final.url)


def test_a_pending_comment_purges_nothing(client, news, django_capture_on_commit_callbacks):
    """Readers see approved comments only: one awaiting moderation changes no page."""
    ada, ben, world, sport, harbour, final, picture = news
    warm(client, harbour.url)
    with django_capture_on_commit_callbacks(execute=True):
        moderate([make_comment(harbour, status=CommentStatus.SPAM)], CommentStatus.PENDING)
    still_cached(client, harbour.url)


# CDN purging (Wagtail's frontend cache) --------------------------------------------


@pytest.fixture
def cdn(httpserver, settings, task_queue):
    """A caching proxy on loopback that records the PURGE requests it gets."""
    httpserver.expect_request("", method="PURGE").respond_with_data("")  # any path
    settings.WAGTAILFRONTENDCACHE = {
        "default": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": httpserver.url_for("/"),
        }
    }
    return httpserver


def purged(cdn):
    return sorted((request.method, request.path) for request, _ in cdn.log)


def test_the_worker_purges_exactly_the_affected_urls_on_the_cdn(
    client, news, cdn, django_capture_on_commit_callbacks
):
    ada, ben, world, sport, harbour, final, picture = news
    warm(client, harbour.url, "/world/", "/", "/api/v2/articles/", final.url, "/sport/")
    with django_capture_on_commit_callbacks(execute=True):
        harbour.title = "Harbour fully reopens"
        harbour.save_revision().publish()
    assert purged(cdn) == []  # queued for the worker, not sent from the request
    run_worker()
    affected = ["/", "/api/v2/articles/", "/world/", harbour.url]
    assert purged(cdn) == sorted(("PURGE", path) for path in affected)
    assert all(request.headers["Host"] == "testserver" for request, _ in cdn.log)


def test_an_image_edit_purges_the_pages_using_it_on_the_cdn(
    client, news, cdn, django_capture_on_commit_callbacks
):
    """Pages using the image are purged from the CDN even when this server holds no
    copy of them (Wagtail's reference index finds them)."""
    ada, ben, world, sport, harbour, final, picture = news
    with django_capture_on_commit_callbacks(execute=True):
        picture.credit = "Photo: Port of Byline"
        picture.save()
    run_worker()
    assert purged(cdn) == [("PURGE", harbour.url)]
