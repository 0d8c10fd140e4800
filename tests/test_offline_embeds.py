"""Embeds that save offline: the URL is kept whatever the provider says, readers see a
link card until the worker has the provider's answer, then the player (issue 14).

The provider is an oEmbed endpoint on this machine (pytest-httpserver), configured
through WAGTAILEMBEDS_FINDERS; nothing leaves the machine.
"""

import datetime as dt
import json

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.utils import timezone
from wagtail.embeds.blocks import EmbedBlock
from wagtail.embeds.models import Embed

from cms.runtime import clock
from news.models import ArticlePage
from tests.factories import make_article, make_section
from tests.runtime_support import free_port, run_worker

pytestmark = pytest.mark.django_db

CLIP = "https://clips.example/watch/harbour-storm"
PLAYER = "https://clips.example/player/harbour-storm"
CACHE_HEADER = "X-Byline-Cache"


def finders(endpoint):
    return [
        {
            "class": "wagtail.embeds.finders.oembed",
            "providers": [{"endpoint": endpoint, "urls": [r"^https://clips\.example/watch/.+$"]}],
        }
    ]


@pytest.fixture
def provider(httpserver, settings):
    """The clips.example oEmbed provider, answering 503 until `answer()` is called."""
    settings.WAGTAILEMBEDS_FINDERS = finders(httpserver.url_for("/oembed"))
    httpserver.expect_request("/oembed").respond_with_data("Down for maintenance", status=503)

    def answer():
        httpserver.clear_all_handlers()
        httpserver.expect_request("/oembed").respond_with_json(
            {
                "type": "video",
                "version": "1.0",
                "title": "Storm over the harbour",
                "provider_name": "Clips",
                "width": 640,
                "height": 360,
                "html": f'<iframe src="{PLAYER}" width="640" height="360" title="Storm"></iframe>',
            }
        )

    httpserver.answer = answer
    return httpserver


@pytest.fixture
def unreachable(settings):
    """A provider whose address answers nothing at all (connection refused)."""
    settings.WAGTAILEMBEDS_FINDERS = finders(f"http://127.0.0.1:{free_port()}/oembed")


def embed_block():
    return ArticlePage._meta.get_field("body").stream_block.child_blocks["embed"]


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def test_the_block_saves_the_url_when_the_provider_cannot_be_reached(unreachable):
    value = embed_block().to_python({"embed": CLIP, "caption": "The storm, filmed"})
    # Wagtail's own block refuses it: this is what editors met.
    with pytest.raises(ValidationError, match="Cannot find an embed"):
        EmbedBlock().clean(EmbedBlock().to_python(CLIP))
    cleaned = embed_block().clean(value)
    assert cleaned["embed"].url == CLIP
    # ... and through the whole body, as the admin saves it.
    stream_block = ArticlePage._meta.get_field("body").stream_block
    body = stream_block.to_python(
        [{"type": "embed", "value": {"embed": CLIP, "caption": "The storm, filmed"}}]
    )
    assert stream_block.get_prep_value(stream_block.clean(body))[0]["value"]["embed"] == CLIP


@pytest.mark.parametrize(
    "url",
    [
        "ftp://clips.example/watch/harbour-storm",
        "javascript:alert(1)",
        "clips example watch",
        "https://",
        "https://exa mple.com/clip",
    ],
)
def test_addresses_that_are_not_web_addresses_are_refused_with_a_clear_message(unreachable, url):
    value = embed_block().to_python({"embed": url, "caption": ""})
    with pytest.raises(ValidationError) as error:
        embed_block().clean(value)
    message = " ".join(
        " ".join(e.messages)
        for e in error.value.block_errors.values()  # StructBlock errors
    )
    assert "starting with https://" in message, message


def test_readers_see_a_link_card_while_the_provider_is_down(
    client, provider, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        article = make_article(
            make_section("Local"),
            body=[("embed", {"embed": CLIP, "caption": "The storm, filmed"})],
        )
    # Publishing asked the provider once (tasks run inline in tests); it was down.
    assert len(provider.log) == 1
    figure = page(client, article.url).select_one("figure.block-embed")
    assert "block-embed--pending" in figure["class"]
    assert figure.select_one("iframe") is None
    card = figure.select_one(".embed-card")
    link = card.select_one("a")
    assert link["href"] == CLIP
    assert link.get_text(strip=True) == "The storm, filmed"
    assert card.select_one(".embed-card__site").get_text(strip=True) == "clips.example"
    assert card.select_one(".embed-card__url").get_text(strip=True) == CLIP
    # Readers' requests never ask the provider themselves.
    assert len(provider.log) == 1
    api_body = client.get(f"/api/v2/pages/{article.pk}/").json()["body"]
    assert api_body[0]["value"] == {"url": CLIP, "html": "", "caption": "The storm, filmed"}
    assert len(provider.log) == 1
    assert not Embed.objects.filter(url=CLIP).exists()


def test_a_card_without_caption_names_the_address_once(client, unreachable):
    article = make_article(body=[("embed", {"embed": CLIP, "caption": ""})])
    card = page(client, article.url).select_one(".embed-card")
    assert card.select_one("a").get_text(strip=True) == CLIP
    assert card.select_one(".embed-card__url") is None


def test_published_while_up_the_worker_fetches_it_and_readers_get_the_player(
    client, provider, task_queue, django_capture_on_commit_callbacks
):
    provider.answer()
    with django_capture_on_commit_callbacks(execute=True):
        article = make_article(body=[("embed", {"embed": CLIP, "caption": "Storm"})])
    assert provider.log == []  # queued, not fetched in the editor's request
    assert page(client, article.url).select_one(".embed-card") is not None
    run_worker()
    assert len(provider.log) == 1
    figure = page(client, article.url).select_one("figure.block-embed")
    frame = figure.select_one(".embed-frame")
    assert frame["style"] == "aspect-ratio: 640 / 360"
    assert frame.select_one("iframe")["src"] == PLAYER
    assert figure.select_one("figcaption").get_text(strip=True) == "Storm"
    assert figure.select_one(".embed-card") is None


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_clock_retries_until_the_provider_answers_and_the_cached_page_is_purged(
    client, provider, task_queue, settings
):
    settings.BYLINE_PAGE_CACHE = True
    start = timezone.now().replace(hour=12, minute=14, second=0, microsecond=0)
    with time_machine.travel(start, tick=False) as clock_hand:
        article = make_article(body=[("embed", {"embed": CLIP, "caption": "Storm"})])
        run_worker()  # the publish-time fetch: the provider is down
        assert len(provider.log) == 1
        assert client.get(article.url)[CACHE_HEADER] == "miss"
        cached = client.get(article.url)
        assert cached[CACHE_HEADER] == "hit"
        assert b"embed-card" in cached.content

        clock_hand.shift(dt.timedelta(minutes=1))  # 12:15, still down
        assert "fetch_pending_embeds" in clock.tick()
        run_worker()
        assert len(provider.log) == 2
        assert client.get(article.url)[CACHE_HEADER] == "hit"  # nothing new to show

        provider.answer()
        clock_hand.shift(dt.timedelta(minutes=15))  # 12:30, up
        assert "fetch_pending_embeds" in clock.tick()
        run_worker()
        assert len(provider.log) == 3
        response = client.get(article.url)
        assert response[CACHE_HEADER] == "miss"  # purged when the player arrived
        figure = BeautifulSoup(response.content, "html.parser").select_one("figure.block-embed")
        assert figure.select_one(".embed-frame iframe")["src"] == PLAYER
        api_value = json.loads(client.get(f"/api/v2/pages/{article.pk}/").content)["body"][0]
        assert PLAYER in api_value["value"]["html"]

        clock_hand.shift(dt.timedelta(minutes=15))  # 12:45: nothing left to fetch
        assert "fetch_pending_embeds" in clock.tick()
        run_worker()
        assert len(provider.log) == 3


def test_embeds_no_provider_knows_stay_cards_and_are_never_asked_for(client, provider):
    article = make_article(body=[("embed", {"embed": "https://elsewhere.example/v/1"})])
    assert page(client, article.url).select_one(".embed-card a")["href"] == (
        "https://elsewhere.example/v/1"
    )
    assert provider.log == []


# In the admin, as editors meet it -------------------------------------------------------


def admin_article(admin_client, url, body_embed_url):
    """The add form's data with an embed in the body (and every inline left empty)."""
    from wagtail.test.utils.form_data import rich_text, streamfield

    from tests.factories import make_author
    from tests.test_admin import article_form

    data = article_form(
        make_author("Nia Berg"),
        body=streamfield(
            [
                ("paragraph", rich_text("<p>The storm reached the harbour.</p>")),
                ("embed", {"embed": body_embed_url, "caption": "The storm, filmed"}),
            ]
        ),
    )
    form = BeautifulSoup(admin_client.get(url).content, "html.parser")
    for field in form.select("input[name$='-TOTAL_FORMS'], input[name$='-INITIAL_FORMS']"):
        data.setdefault(field["name"], "0")
    return data


def errors(response):
    """The admin's error messages, for an assertion's explanation."""
    html = BeautifulSoup(response.content, "html.parser")
    found = [
        node.get_text(" ", strip=True) for node in html.select(".error-message, .help-critical")
    ]
    return found + [line for line in response.content.decode().split("\\n") if "rror" in line][:5]


def test_an_editor_publishes_an_embed_while_its_provider_is_down(
    admin_client, client, unreachable, django_capture_on_commit_callbacks
):
    from django.urls import reverse

    section = make_section("Coast")
    url = reverse("wagtailadmin_pages:add", args=("news", "articlepage", section.pk))
    data = {**admin_article(admin_client, url, CLIP), "action-publish": "Publish"}
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url, data)
    assert response.status_code == 302, errors(response)
    article = ArticlePage.objects.get(slug="ferry-timetable-changes")
    assert article.live
    assert article.body[1].value["embed"].url == CLIP
    card = page(client, article.url).select_one(".embed-card a")
    assert card["href"] == CLIP


def test_an_editor_is_told_what_is_wrong_with_an_address_that_is_not_one(admin_client):
    from django.urls import reverse

    section = make_section("Coast")
    url = reverse("wagtailadmin_pages:add", args=("news", "articlepage", section.pk))
    data = {
        **admin_article(admin_client, url, "ftp://clips.example/storm"),
        "action-publish": "Publish",
    }
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert not ArticlePage.objects.filter(slug="ferry-timetable-changes").exists()
    assert "starting with https://" in response.content.decode()
