"""The lookups kept between requests (cms/shared_lookups.py, news/navigation.py) cost no
query when warm and never show stale data: the menu, the Site and the site settings follow
every change, published or saved, and the menu follows its sections' schedules."""

from datetime import timedelta

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import PageViewRestriction, Site

from cms import shared_lookups
from home.models import HomePage
from tests.factories import home_page, make_article, make_section

pytestmark = pytest.mark.django_db


def masthead(client, url="/"):
    """The menu's section links, as the masthead shows them."""
    response = client.get(url)
    assert response.status_code == 200
    html = BeautifulSoup(response.content, "html.parser")
    return [a["href"] for a in html.select(".masthead__nav a") if a["href"] != "/authors/"]


def test_the_menu_costs_no_query_when_warm_and_follows_publishing(client):
    world = make_section("World", slug="world")
    masthead(client, "/world/")
    with CaptureQueriesContext(connection) as queries:
        assert masthead(client, "/world/") == ["/world/"]
    # The section page itself lists no sections: only the menu would ask for them.
    menu_queries = '"wagtailcore_page"."show_in_menus" AND'
    assert not [q for q in queries.captured_queries if menu_queries in q["sql"]]

    coast = make_section("Coast", slug="coast", live=False)
    coast.save_revision().publish()
    assert masthead(client) == ["/world/", "/coast/"]

    coast.title = "Coastline"
    coast.save_revision().publish()
    assert "Coastline" in client.get("/").content.decode()

    coast.refresh_from_db()  # publishing changed the row, not this instance
    coast.unpublish()
    assert masthead(client) == ["/world/"]

    world.show_in_menus = False
    world.save()  # saved without publishing (a script or a factory): gone at once too
    assert masthead(client) == []


def test_the_menu_follows_view_restrictions_and_moves(client):
    make_section("World", slug="world")
    coast = make_section("Coast", slug="coast")
    assert masthead(client) == ["/world/", "/coast/"]

    restriction = PageViewRestriction.objects.create(page=coast, restriction_type="login")
    assert masthead(client) == ["/world/"]
    restriction.delete()
    assert masthead(client) == ["/world/", "/coast/"]

    home_restriction = PageViewRestriction.objects.create(
        page=home_page(), restriction_type="login"
    )
    world_page = client.get("/world/")
    assert world_page.status_code in (302, 401, 403)  # the login restriction applies
    home_restriction.delete()

    coast.move(home_page(), pos="first-child")
    assert masthead(client) == ["/coast/", "/world/"]


def test_the_menu_follows_its_sections_schedules(client):
    now = timezone.now()
    make_section("World", slug="world")
    make_section("City", slug="city", go_live_at=now + timedelta(hours=1))
    make_section("Sport", slug="sport", expire_at=now + timedelta(hours=2))
    with time_machine.travel(now, tick=False) as clock:
        assert masthead(client) == ["/world/", "/sport/"]
        clock.shift(timedelta(minutes=61))
        assert masthead(client) == ["/world/", "/city/", "/sport/"]
        clock.shift(timedelta(hours=1))
        assert masthead(client) == ["/world/", "/city/"]


def test_the_site_and_its_root_page_follow_changes(client):
    home = home_page()
    section = make_section("World", slug="world")
    make_article(section, title="Harbour reopens", slug="harbour-reopens")
    assert client.get("/world/harbour-reopens/").status_code == 200

    home.title = "The Evening Courier"
    home.save()  # the root page the Site entry holds
    assert "The Evening Courier" in client.get("/").content.decode()

    # Another host served from the section: a new Site is seen at once.
    assert client.get("/harbour-reopens/", HTTP_HOST="coast.example").status_code == 404
    Site.objects.create(hostname="coast.example", root_page=section, is_default_site=False)
    assert client.get("/harbour-reopens/", HTTP_HOST="coast.example").status_code == 200


def test_site_settings_are_kept_until_saved(client):
    from byline_comments.models import CommentSettings

    site = Site.objects.get(is_default_site=True)
    first = shared_lookups.site_setting(CommentSettings, site)
    with CaptureQueriesContext(connection) as queries:
        again = shared_lookups.site_setting(CommentSettings, site)
    assert len(queries) == 0 and again.max_depth == first.max_depth

    setting = CommentSettings.for_site(site)
    setting.max_depth = first.max_depth + 1
    setting.save()
    assert shared_lookups.site_setting(CommentSettings, site).max_depth == first.max_depth + 1


def test_the_article_route_keeps_restricted_and_draft_articles_out(client):
    section = make_section("World", slug="world")
    article = make_article(section, title="Harbour reopens", slug="harbour-reopens")
    url = "/world/harbour-reopens/"
    assert client.get(url).status_code == 200

    restriction = PageViewRestriction.objects.create(
        page=section, restriction_type="password", password="secret"
    )
    response = client.get(url)
    assert response.status_code == 200 and "Harbour reopens" not in response.content.decode()
    assert 'name="password"' in response.content.decode()
    restriction.delete()

    article.unpublish()
    assert client.get(url).status_code == 404


def test_restricted_paths_cost_no_query_when_warm_and_follow_restrictions_and_moves():
    from cms.visibility import restricted_paths

    world = make_section("World", slug="world")
    coast = make_section("Coast", slug="coast")
    article = make_article(world, title="Harbour reopens")
    assert restricted_paths() == []
    with CaptureQueriesContext(connection) as queries:
        assert restricted_paths() == []
    assert len(queries) == 0

    restriction = PageViewRestriction.objects.create(page=article, restriction_type="login")
    assert restricted_paths() == [article.path]

    article.move(coast, pos="last-child")  # the restriction goes with the page
    article.refresh_from_db()
    assert restricted_paths() == [article.path] and article.path.startswith(coast.path)

    restriction.delete()
    assert restricted_paths() == []


def test_an_articles_section_costs_no_query_when_warm_and_follows_changes(client):
    from news.models.pages import section_at

    world = make_section("World", slug="world")
    article = make_article(world, title="Harbour reopens", slug="harbour-reopens")
    assert section_at(world.path).title == "World"
    with CaptureQueriesContext(connection) as queries:
        assert section_at(world.path).pk == world.pk
    assert len(queries) == 0

    world.title = "World news"
    world.save_revision().publish()
    detail = client.get(f"/api/v3/articles/{article.pk}/").json()
    assert detail["section"]["title"] == "World news"

    coast = make_section("Coast", slug="coast")  # saved: a new section is seen at once
    assert section_at(coast.path).pk == coast.pk
    coast.delete()
    assert section_at(coast.path) is None


def test_a_first_section_under_a_cached_site_root_is_routed(client):
    """The cached root page knows how many children it has (treebeard asks it before
    looking): its first child, added after it was cached, must still be found."""
    assert client.get("/").status_code == 200  # the Site and its childless root, cached
    make_section("World", slug="world")
    assert client.get("/world/").status_code == 200
    make_article(home_page().get_children().get(slug="world"), slug="harbour-reopens")
    assert client.get("/world/harbour-reopens/").status_code == 200


def test_a_page_moved_under_a_childless_cached_site_root_is_routed(client):
    make_section("World", slug="world")
    coast = make_section("Coast", slug="coast")
    other_home = home_page().add_child(instance=HomePage(title="Evening", slug="evening"))
    Site.objects.create(hostname="evening.example", root_page=other_home, is_default_site=False)
    assert client.get("/", HTTP_HOST="evening.example").status_code == 200  # childless, cached
    coast.move(other_home, pos="last-child")
    assert client.get("/coast/", HTTP_HOST="evening.example").status_code == 200
    assert client.get("/world/").status_code == 200


def test_routing_finds_sections_without_a_query_and_follows_their_changes(client):
    world = make_section("World", slug="world")
    make_article(world, slug="harbour-reopens")
    assert client.get("/world/harbour-reopens/").status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/world/harbour-reopens/").status_code == 200
    # The section is not looked up by its slug: only the article is.
    slug_lookups = [q["sql"] for q in queries.captured_queries if "'world'" in q["sql"]]
    assert slug_lookups == []

    world.slug = "globe"
    world.save_revision().publish()
    assert client.get("/world/harbour-reopens/").status_code == 404
    assert client.get("/globe/harbour-reopens/").status_code == 200
    world.refresh_from_db()
    world.unpublish()
    assert client.get("/globe/").status_code == 404
    assert client.get("/nowhere/").status_code == 404


def test_text_is_held_in_the_process_and_still_checked_against_its_keys(monkeypatch):
    """A kept fragment's text is held in this process (no store read on a hit), but its
    keys' versions are checked as for one read from the store: a purge, here or in another
    process sharing the store, makes it stale."""
    from django.core.cache import caches

    from cms.page_cache import store

    made = []

    def lookup(name="fragment:held-test"):
        def build():
            made.append(name)
            return f"<p>{len(made)}</p>", {"page:424242"}, None

        return shared_lookups.remember(name, build)

    assert lookup() == "<p>1</p>"
    reads = []
    cache = caches[store.CACHE_ALIAS]
    real_get_many = cache.get_many
    monkeypatch.setattr(
        cache, "get_many", lambda keys, **kw: reads.append(list(keys)) or real_get_many(keys, **kw)
    )
    with store.one_generation_per_request():
        assert lookup() == "<p>1</p>"
        assert lookup() == "<p>1</p>"
    assert not [keys for keys in reads if any(k.startswith(shared_lookups.PREFIX) for k in keys)]
    assert len(made) == 1

    # Another process purges: it writes new versions and a new generation to the store.
    cache.set("v:page:424242", ("another-process", 0.0), None)
    cache.set(store.GENERATION_KEY, "another-process", None)
    assert lookup() == "<p>2</p>"

    store.purge("page:424242")
    assert lookup() == "<p>3</p>"


def test_model_instances_are_never_held_in_the_process():
    """A held value is shared by every request of the process: only text is held, a Site
    or a section is unpickled afresh for each request, which may change it."""
    section = make_section("Held", slug="held")

    def lookup():
        return shared_lookups.remember(
            "held-section", lambda: (section, {f"page:{section.pk}"}, None)
        )

    first = lookup()
    assert lookup() is not first
    assert lookup().pk == section.pk


def test_a_request_reads_the_generation_once_and_again_after_its_own_purge(monkeypatch):
    from django.core.cache import caches

    from cms.page_cache import store

    cache = caches[store.CACHE_ALIAS]
    store.current_versions({"page:1"})  # the store has a generation
    reads = []
    real_get = cache.get
    monkeypatch.setattr(
        cache, "get", lambda key, *a, **kw: reads.append(key) or real_get(key, *a, **kw)
    )
    with store.one_generation_per_request():
        store.current_versions({"page:1"})
        store.current_versions({"page:2"})
        assert reads.count(store.GENERATION_KEY) == 1
        store.purge("page:1")
        store.current_versions({"page:1"})
        assert reads.count(store.GENERATION_KEY) == 2
    store.current_versions({"page:1"})
    store.current_versions({"page:1"})
    assert reads.count(store.GENERATION_KEY) == 4


def test_the_held_entries_are_bounded_whatever_their_size(monkeypatch):
    """Held text is bounded by its characters, and every entry counts for its keys too:
    thousands of numbers (an API filter's kept counts, say) cannot grow the process."""
    monkeypatch.setattr(shared_lookups, "LOCAL_CHARACTERS", 64 * 1024)
    for n in range(1000):
        shared_lookups.remember(f"count:held-bound-{n}", lambda n=n: (n, {"articles"}, None))
        shared_lookups.remember(
            f"fragment:held-bound-{n}", lambda: ("<p>x</p>", {"sitemaps"}, None)
        )
    most = 64 * 1024 // shared_lookups.LOCAL_ENTRY_CHARACTERS
    assert 0 < len(shared_lookups._held) <= most
    assert shared_lookups._held_characters <= 64 * 1024
    # The most recently used are the ones held, and still answer.
    assert "lookup:fragment:held-bound-999" in shared_lookups._held
    assert shared_lookups.remember("count:held-bound-999", lambda: (None, set(), None)) == 999
