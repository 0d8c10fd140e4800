"""Site data (/api/v{2,3}/site/), the menu's show_in_menus rule, and the head metadata
and publication dates of articles and sections in both API versions.

Everything here is compared with what the server-rendered site shows: the masthead
menu, the front page's lead story and each page's <head>.
"""

import importlib
import json
from datetime import UTC, datetime, timedelta

import pytest
from bs4 import BeautifulSoup
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openapi_spec_validator import validate
from wagtail.models import PageViewRestriction

from news.models import ArticleAuthor, NewsIndexPage
from tests.api_support import rich_author, small_image
from tests.factories import home_page, make_article, make_image, make_section

pytestmark = pytest.mark.django_db

SITE_URLS = ("/api/v2/site/", "/api/v3/site/")
NOW = datetime.now(tz=UTC).replace(microsecond=0)


def get_json(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, response.content[:500]
    return response.json()


def masthead_links(client):
    page = BeautifulSoup(client.get("/").content, "html.parser")
    return [a["href"] for a in page.select(".masthead__nav a") if a["href"] != "/authors/"]


def the_second(value):
    return value.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


@pytest.fixture
def newsroom():
    home = home_page()
    home.tagline = "News from the harbour towns"
    home.save_revision().publish()
    world = make_section("World", introduction="News from around the globe.")
    science = make_section("Science")
    ada = rich_author("Ada Reporter")
    lead = make_article(
        world,
        title="Harbour plan",
        authors=[ada],
        tags=["Harbour"],
        lead_image=small_image("Harbour"),
        publication_date=NOW - timedelta(hours=1),
    )
    newest = make_article(science, title="Comet seen", publication_date=NOW - timedelta(minutes=5))
    home.refresh_from_db()  # its tree fields changed with the sections below it
    return {"home": home, "world": world, "science": science, "lead": lead, "newest": newest}


# Site data -------------------------------------------------------------------------


def test_site_data_without_a_token(client, newsroom):
    data = get_json(client, "/api/v2/site/")
    newest = newsroom["newest"]

    assert data["name"] == "The Byline Courier"
    assert data["base_url"] == "http://testserver"
    assert data["language"] == "en-gb"
    assert data["time_zone"] == "Europe/London"
    assert data["logo"] == {
        "url": "http://testserver/static/img/logo.png",
        "width": 512,
        "height": 512,
        "alt": "The Byline Courier logo",
    }
    assert data["tagline"] == "News from the harbour towns"
    assert data["navigation"] == [
        {
            "id": section.pk,
            "title": section.title,
            "slug": section.slug,
            "url": f"/{section.slug}/",
            "html_url": f"http://testserver/{section.slug}/",
        }
        for section in (newsroom["world"], newsroom["science"])
    ]
    # No lead story chosen: the newest article, as on the front page.
    lead = data["lead_story"]
    assert lead["id"] == newest.pk
    assert lead["title"] == "Comet seen"
    assert lead["publication_date"] == the_second(newest.publication_date)
    assert (lead["url"], lead["html_url"]) == (newest.url, newest.full_url)
    assert lead["section"]["slug"] == "science"
    assert [feed["url"] for feed in data["feeds"]] == [
        "http://testserver/feed/",
        "http://testserver/feed/atom/",
        "http://testserver/feed/json/",
    ]
    assert [feed["format"] for feed in data["feeds"]] == ["rss", "atom", "json"]
    for feed in data["feeds"]:
        response = client.get(feed["url"])
        assert response.status_code == 200
        assert response["Content-Type"].startswith(feed["media_type"])


def test_v2_and_v3_give_the_same_site_data(client, newsroom):
    home = newsroom["home"]
    home.lead_story = newsroom["lead"]
    home.save_revision().publish()
    v2 = client.get("/api/v2/site/")
    v3 = client.get("/api/v3/site/")
    assert v2.status_code == v3.status_code == 200
    assert v2.json() == v3.json()
    lead = v3.json()["lead_story"]
    assert lead["id"] == newsroom["lead"].pk
    # The lead story's byline and image are the article API's own shapes.
    article = get_json(client, f"/api/v2/pages/{newsroom['lead'].pk}/")
    for field in ("section", "authors", "lead_image", "url"):
        assert lead[field] == article[field], field
    assert lead["html_url"] == article["meta"]["html_url"]


def test_the_lead_story_follows_the_front_pages_rule(client, newsroom):
    home, lead, newest = newsroom["home"], newsroom["lead"], newsroom["newest"]

    def leads():
        home.refresh_from_db()
        front = home.front_page()["lead"]
        api = [get_json(client, url)["lead_story"] for url in SITE_URLS]
        return [front and front.pk, *(story and story["id"] for story in api)]

    assert leads() == [newest.pk] * 3
    home.lead_story = lead
    home.save_revision().publish()
    assert leads() == [lead.pk] * 3
    # The chosen story behind a password, then unpublished: the newest takes over.
    restriction = PageViewRestriction.objects.create(
        page=lead, restriction_type="password", password="x"
    )
    assert leads() == [newest.pk] * 3
    restriction.delete()
    lead.unpublish()
    assert leads() == [newest.pk] * 3
    newest.unpublish()
    assert leads() == [None] * 3


def test_hidden_sections_and_articles_never_appear(client, newsroom):
    world, science = newsroom["world"], newsroom["science"]
    scheduled = make_article(
        world, title="Scheduled scoop", publication_date=NOW + timedelta(hours=2)
    )
    private = make_article(world, title="Members only", publication_date=NOW)
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="x")
    expired = make_section("Archive", expire_at=NOW - timedelta(minutes=1))
    draft = make_section("Draft desk", live=False)
    restricted = make_section("Members")
    PageViewRestriction.objects.create(page=restricted, restriction_type="login")
    home = newsroom["home"]
    home.lead_story = scheduled
    home.save_revision().publish()

    for url in SITE_URLS:
        data = get_json(client, url)
        assert [s["id"] for s in data["navigation"]] == [world.pk, science.pk]
        assert data["lead_story"]["id"] == newsroom["newest"].pk
        text = json.dumps(data)
        for hidden in (scheduled, private, expired, draft, restricted):
            assert hidden.title not in text
    assert masthead_links(client) == ["/world/", "/science/"]


def test_unknown_parameters_are_refused(client, newsroom):
    response = client.get("/api/v2/site/?lang=fr")
    assert response.status_code == 400
    assert response.json()["parameter"] == "lang"
    response = client.get("/api/v3/site/?lang=fr")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"


def test_the_openapi_document_describes_the_site_data(client):
    document = get_json(client, "/api/v3/openapi.json")
    validate(document)
    operation = document["paths"]["/api/v3/site/"]["get"]
    assert operation["operationId"] == "site_detail"
    assert {} in operation.get("security", [{}])  # no token needed
    schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
    site = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    assert set(site["required"]) == {
        "name",
        "base_url",
        "language",
        "time_zone",
        "logo",
        "tagline",
        "navigation",
        "lead_story",
        "breaking_news",
        "feeds",
    }
    assert site["properties"]["time_zone"]["description"].startswith("The newsroom's")
    lead = document["components"]["schemas"]["LeadStoryAPIValue"]
    assert lead["properties"]["publication_date"]["format"] == "date-time"


def test_site_data_costs_a_fixed_number_of_queries(client, newsroom):
    def queries(url):
        client.get(url)  # renditions are made on first use; measure the steady state
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    # The lead story has a byline with a portrait and a lead image from the start,
    # so the counts compare how many, not whether.
    home, lead = newsroom["home"], newsroom["lead"]
    home.lead_story = lead
    home.save_revision().publish()
    few = {url: queries(url) for url in SITE_URLS}

    authors = [rich_author(f"Author {n}") for n in range(3)]
    for position, author in enumerate(authors[:2], start=1):
        ArticleAuthor.objects.create(page=lead, author=author, sort_order=position)
    sections = [make_section(f"Desk {n}") for n in range(4)]
    for n, section in enumerate(sections):
        for m in range(3):
            make_article(
                section,
                authors=authors,
                tags=[f"tag {m}"],
                lead_image=small_image(f"Lead {n}-{m}"),
                publication_date=NOW - timedelta(seconds=n * 10 + m),
            )
    many = {url: queries(url) for url in SITE_URLS}
    data = get_json(client, "/api/v3/site/")
    assert len(data["navigation"]) == 6 and len(data["lead_story"]["authors"]) == 3
    assert data["lead_story"]["id"] == lead.pk
    assert many == few
    assert max(many.values()) <= 14, many


# The menu: show_in_menus -----------------------------------------------------------


def test_the_menu_is_the_sections_that_show_in_menus_in_html_and_api(client, newsroom):
    world, science = newsroom["world"], newsroom["science"]
    science.show_in_menus = False
    science.save_revision().publish()
    weather = make_section("Weather")
    weather.move(world, pos="left")  # editors order the menu in the page tree

    expected = ["/weather/", "/world/"]
    assert masthead_links(client) == expected
    for url in SITE_URLS:
        assert [s["url"] for s in get_json(client, url)["navigation"]] == expected
    # The API reports the flag truthfully, and Wagtail's own filter on it works.
    listing = "/api/v2/pages/?type=news.NewsIndexPage&show_in_menus=true&fields=show_in_menus"
    items = get_json(client, listing)["items"]
    assert [item["meta"]["html_url"] for item in items] == [
        "http://testserver/weather/",
        "http://testserver/world/",
    ]
    assert all(item["meta"]["show_in_menus"] for item in items)
    hidden = get_json(client, "/api/v2/pages/?type=news.NewsIndexPage&show_in_menus=false")
    assert [item["id"] for item in hidden["items"]] == [science.pk]
    v3 = get_json(client, "/api/v3/pages/?type=news.NewsIndexPage&show_in_menus=true")
    assert sorted(item["id"] for item in v3["items"]) == sorted(item["id"] for item in items)
    assert get_json(client, f"/api/v3/pages/{science.pk}/")["meta"]["show_in_menus"] is False
    # Science is still a section readers can visit, list and subscribe to.
    assert client.get("/science/").status_code == 200
    assert client.get("/sections/science/feed/").status_code == 200


def test_a_bad_show_in_menus_value_is_a_400(client, newsroom):
    response = client.get("/api/v2/pages/?show_in_menus=yes")
    assert response.status_code == 400
    assert response.json()["parameter"] == "show_in_menus"


def test_new_sections_show_in_menus_and_editors_can_untick_it():
    assert NewsIndexPage(title="Sport").show_in_menus is True
    form_class = NewsIndexPage.get_edit_handler().get_form_class()
    assert "show_in_menus" in form_class.base_fields


def test_the_migration_keeps_existing_sections_in_the_menu(newsroom):
    world = newsroom["world"]
    NewsIndexPage.objects.filter(pk=world.pk).update(show_in_menus=False)
    revision = world.save_revision()
    revision.content["show_in_menus"] = False
    revision.save()
    migration = importlib.import_module("news.migrations.0004_sections_show_in_menus")

    migration.show_sections_in_menus(apps, None)

    world.refresh_from_db()
    assert world.show_in_menus is True
    revision.refresh_from_db()
    assert revision.content["show_in_menus"] is True
    # What an editor opens and publishes next keeps the section in the menu.
    assert world.get_latest_revision_as_object().show_in_menus is True


# Head metadata and dates in article and section responses ---------------------------


def head_of(client, path):
    """What the server-rendered page's <head> says, in the API's shape."""
    head = BeautifulSoup(client.get(path).content, "html.parser").head
    return {
        "title": head.title.get_text(),
        "description": head.find("meta", attrs={"name": "description"})["content"],
        "canonical_url": head.find("link", rel="canonical")["href"],
        "open_graph": [
            {"property": tag["property"], "content": tag["content"]}
            for tag in head.find_all("meta", attrs={"property": True})
        ],
        "twitter": [
            {"name": tag["name"], "content": tag["content"]}
            for tag in head.find_all("meta", attrs={"name": lambda name: name and ":" in name})
        ],
        "structured_data": [
            json.loads(script.string)
            for script in head.find_all("script", type="application/ld+json")
        ],
    }


def api_head(seo):
    return {key: seo[key] for key in ("title", "description", "canonical_url")} | {
        key: seo[key] for key in ("open_graph", "twitter", "structured_data")
    }


@pytest.mark.parametrize("version", ["v2", "v3"])
def test_article_seo_is_the_pages_head(client, newsroom, version):
    lead = newsroom["lead"]
    lead.seo_title = "Harbour plan: what changes"
    lead.search_description = "Dredging, berths and the new timetable."
    lead.social_image = make_image("Social", width=1600, height=900, description="The quay")
    lead.save_revision().publish()

    data = get_json(client, f"/api/{version}/pages/{lead.pk}/")
    seo = data["seo"]

    assert api_head(seo) == head_of(client, lead.url)
    assert seo["title"] == "Harbour plan: what changes | The Byline Courier"
    assert seo["social_title"] == "Harbour plan: what changes"
    assert seo["robots"] == ""
    image = seo["social_image"]
    assert (image["width"], image["height"], image["alt"]) == (1200, 675, "The quay")
    assert image["url"].startswith("http://testserver/media/images/")
    assert [(r["width"], r["height"]) for r in image["renditions"]] == [
        (1200, 675),
        (1200, 900),
        (900, 900),
    ]
    assert image["renditions"][0]["url"] == image["url"]
    lead.refresh_from_db()
    assert data["last_published_at"] == the_second(lead.last_published_at)
    assert data["last_modified"] == the_second(max(lead.last_published_at, lead.publication_date))


def test_an_articles_social_image_falls_back_to_its_lead_image_then_the_logo(client, newsroom):
    lead, newest = newsroom["lead"], newsroom["newest"]
    image = get_json(client, f"/api/v3/articles/{lead.pk}/")["seo"]["social_image"]
    assert "fill-1200x675" in image["url"] and len(image["renditions"]) == 3
    image = get_json(client, f"/api/v3/articles/{newest.pk}/")["seo"]["social_image"]
    assert image == {
        "url": "http://testserver/static/img/logo.png",
        "width": 512,
        "height": 512,
        "alt": "The Byline Courier logo",
        "renditions": [],
    }


def test_a_scheduled_article_is_modified_at_its_publication_date(client, newsroom):
    """Published ahead of its date, it changed for readers when it appeared."""
    article = newsroom["newest"]
    data = get_json(client, f"/api/v2/pages/{article.pk}/")
    article.refresh_from_db()
    assert data["last_modified"] == the_second(
        max(article.last_published_at, article.publication_date)
    )
    assert data["last_modified"] == next(
        tag["content"]
        for tag in data["seo"]["open_graph"]
        if tag["property"] == "article:modified_time"
    ).replace("+00:00", "Z")


@pytest.mark.parametrize("version", ["v2", "v3"])
def test_section_seo_and_dates(client, newsroom, version):
    world = newsroom["world"]
    data = get_json(client, f"/api/{version}/pages/{world.pk}/")

    assert api_head(data["seo"]) == head_of(client, world.url)
    assert data["seo"]["description"] == "News from around the globe."
    world.refresh_from_db()
    newsroom["lead"].refresh_from_db()
    assert data["last_published_at"] == (
        world.last_published_at and the_second(world.last_published_at)
    )
    # Like the sitemap's lastmod: the section changes when one of its articles does.
    assert data["last_modified"] == the_second(newsroom["lead"].last_published_at)
    sitemap = client.get("/sitemap-pages.xml").content.decode()
    assert f"<loc>http://testserver/world/</loc><lastmod>{data['last_modified'][:10]}" in (
        sitemap.replace("\n", "").replace(" ", "")
    )


def test_v2_and_v3_give_the_same_seo_and_dates(client, newsroom):
    for page in (newsroom["lead"], newsroom["world"]):
        v2 = get_json(client, f"/api/v2/pages/{page.pk}/")
        v3 = get_json(client, f"/api/v3/pages/{page.pk}/")
        for field in ("seo", "last_published_at", "last_modified"):
            assert v2[field] == v3[field], (page, field)


def test_article_cards_leave_the_head_metadata_out_unless_asked(client, newsroom):
    card = get_json(client, "/api/v2/articles/?limit=1")["items"][0]
    assert "last_modified" in card and "seo" not in card
    asked = get_json(client, "/api/v2/articles/?limit=1&fields=seo")["items"][0]
    assert asked["seo"]["canonical_url"].startswith("http://testserver/")


def test_section_listings_with_seo_cost_a_fixed_number_of_queries(client, newsroom):
    url = "/api/v2/pages/?type=news.NewsIndexPage&fields=*"

    def queries():
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            data = get_json(client, url)
        return len(captured), data

    world = newsroom["world"]
    world.social_image = small_image("World")
    world.save_revision().publish()
    few, _ = queries()
    for n in range(4):
        section = make_section(f"Desk {n}", social_image=small_image(f"Desk {n}"))
        make_article(section, publication_date=NOW - timedelta(minutes=n))
    many, data = queries()
    assert many == few <= 10, (few, many)
    assert len(data["items"]) == 6
    assert all(item["seo"]["social_image"]["url"] for item in data["items"])


def test_article_listings_with_social_images_cost_a_fixed_number_of_queries(client, newsroom):
    url = "/api/v3/articles/?limit=20"

    def queries():
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            data = get_json(client, url)
        return len(captured), data

    social = small_image("Social")
    for article in (newsroom["lead"], newsroom["newest"]):
        article.social_image = social
        # Related to each other from the start: a listing whose related lists are all
        # empty loads no related rows (one query fewer), which is not what is measured.
        article.tags.add("Harbour")
        article.save_revision().publish()
    few, _ = queries()
    for n in range(6):
        make_article(
            newsroom["world"],
            authors=[rich_author(f"Writer {n}")],
            tags=[f"t{n}", "Harbour"],
            lead_image=small_image(f"Lead {n}"),
            social_image=small_image(f"Social {n}"),
            publication_date=NOW - timedelta(hours=2, minutes=n),
        )
    many, data = queries()
    assert many == few, (few, many)
    assert len(data["items"]) == 8
    assert all(item["seo"]["social_image"]["renditions"] for item in data["items"])
