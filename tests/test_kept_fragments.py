"""Kept fragments (cms/kept_fragments.py, the ``{% keep %}`` tag): an article's body and its
related articles are rendered once for every reader and made again exactly when something
they show changes, with the page cache off as on; signed-in editors and previews always get
them rendered afresh."""

from datetime import timedelta

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.db import connection
from django.template import Context, Template, TemplateSyntaxError
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Page

from cms.kept_fragments import keep
from cms.page_cache import store
from tests.factories import make_article, make_embed, make_image, make_section

pytestmark = pytest.mark.django_db


def page_link(page, text):
    return f'<p>Read <a linktype="page" id="{page.pk}">{text}</a> first.</p>'


def body_of(client, url, **extra):
    response = client.get(url, **extra)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser").select_one(".article__body")


def image_block(image):
    return ("image", {"image": image, "caption": "", "credit": "", "alt_text": "", "alignment": ""})


@pytest.fixture
def world():
    return make_section("World", slug="world")


def test_a_body_is_rendered_once_for_every_reader(client, world):
    image = make_image("Quay", default_caption="The quay at dawn")
    linked = make_article(world, title="Ferry timetable", slug="ferry")
    article = make_article(
        world,
        slug="harbour",
        body=[("paragraph", page_link(linked, "the timetable")), image_block(image)],
    )
    first = body_of(client, article.url)
    with CaptureQueriesContext(connection) as kept:
        again = body_of(client, article.url)
    assert str(again) == str(first)
    assert again.select_one('a[href="/world/ferry/"]').text == "the timetable"
    assert "The quay at dawn" in again.text
    # Neither the body's images nor its links were looked up: the body was not made again.
    sql = "\n".join(query["sql"] for query in kept.captured_queries)
    assert '"news_newsimage"."id" IN' not in sql
    assert f'"wagtailcore_page"."id" IN (\'{linked.pk}\')' not in sql
    assert f'"wagtailcore_page"."id" IN ({linked.pk})' not in sql


def test_a_missing_body_costs_no_more_than_the_page_budget(client, world):
    from byline_comments.models import ArticleCommentOptions

    from tests.comment_support import make_comment
    from tests.test_query_counts import ISSUE_BUDGET, author_with_portrait

    linked = make_article(world, slug="ferry", tags=["Harbour"])
    article = make_article(
        world,
        slug="harbour",
        authors=[author_with_portrait("Writer One"), author_with_portrait("Writer Two")],
        tags=["Harbour", "Ferries"],
        lead_image=make_image(width=48, height=32),
        body=[
            ("paragraph", page_link(linked, "the timetable")),
            image_block(make_image(width=48, height=32)),
        ],
    )
    article.corrections.create(kind="correction", note="An earlier version misspelt a name.")
    ArticleCommentOptions.objects.create(article_id=article.pk)
    make_comment(article)
    client.get(article.url)
    store.purge(f"page:{article.pk}")  # the kept body is stale: it is made again
    with CaptureQueriesContext(connection) as missed:
        response = client.get(article.url)
    assert response.status_code == 200
    html = BeautifulSoup(response.content, "html.parser")
    assert len(html.select(".author-box")) == 2 and html.select(".article__lead-image img")
    assert html.select(".related-articles__link") and html.select(".comment")
    with CaptureQueriesContext(connection) as kept:
        assert client.get(article.url).status_code == 200
    assert len(kept) < len(missed) <= ISSUE_BUDGET, "\n".join(q["sql"][-300:] for q in missed)


def test_a_link_follows_its_page_being_unpublished_and_published(client, world):
    linked = make_article(world, title="Ferry timetable", slug="ferry")
    article = make_article(world, slug="harbour", body=[("paragraph", page_link(linked, "ferry"))])
    assert body_of(client, article.url).select_one('a[href="/world/ferry/"]')
    linked.unpublish()
    assert body_of(client, article.url).select_one("a").attrs == {}
    Page.objects.get(pk=linked.pk).specific.save_revision().publish()
    assert body_of(client, article.url).select_one('a[href="/world/ferry/"]')


def test_a_link_to_a_page_not_yet_public_gains_its_address_when_it_goes_live(client, world):
    # The draft was never loaded while the body was made (only visible pages are): the
    # body is still filed under it, so its publication makes the body again.
    draft = make_article(world, slug="embargoed", publish=False)
    article = make_article(world, slug="harbour", body=[("paragraph", page_link(draft, "soon"))])
    assert body_of(client, article.url).select_one("a").attrs == {}
    draft.save_revision().publish()
    assert body_of(client, article.url).select_one('a[href="/world/embargoed/"]')


def test_a_link_to_a_page_that_expires_is_kept_no_longer_than_its_expiry(client, world):
    soon = timezone.now() + timedelta(minutes=5)
    linked = make_article(world, slug="short-lived", expire_at=soon)
    article = make_article(world, slug="harbour", body=[("paragraph", page_link(linked, "it"))])
    assert body_of(client, article.url).select_one('a[href="/world/short-lived/"]')
    with time_machine.travel(soon + timedelta(seconds=1)):
        assert body_of(client, article.url).select_one("a").attrs == {}


def test_an_image_edited_in_the_library_shows_at_once(client, world):
    image = make_image("Quay", default_caption="The quay at dawn")
    article = make_article(world, slug="harbour", body=[image_block(image)])
    assert "The quay at dawn" in body_of(client, article.url).text
    image.default_caption = "The quay at dusk"
    image.save()
    assert "The quay at dusk" in body_of(client, article.url).text


def test_an_embed_fetched_later_shows_at_once(client, world):
    url = "https://video.example/watch/late-tour"
    article = make_article(world, slug="harbour", body=[("embed", {"embed": url, "caption": ""})])
    assert not body_of(client, article.url).select("iframe")
    make_embed(url, title="Late tour")
    # The worker stores the answer and purges the article (news.embeds.fetch_article_embeds).
    store.purge(f"page:{article.pk}")
    assert body_of(client, article.url).select_one('iframe[title="Late tour"]')


def test_a_new_revision_renders_its_own_body(client, world):
    article = make_article(world, slug="harbour", body=[("paragraph", "<p>First words.</p>")])
    assert "First words." in body_of(client, article.url).text
    article.body = [("paragraph", "<p>Second words.</p>")]
    article.save_revision().publish()
    body = body_of(client, article.url)
    assert "Second words." in body.text and "First words." not in body.text


def test_editors_and_previews_never_get_a_kept_body(client, world):
    linked = make_article(world, slug="ferry")
    article = make_article(world, slug="harbour", body=[("paragraph", page_link(linked, "ferry"))])
    assert body_of(client, article.url).select_one('a[href="/world/ferry/"]')
    # Unpublished behind the page's back (no signal, so no purge): readers are served
    # the kept body until its staleness bound; a signed-in editor sees the truth.
    Page.objects.filter(pk=linked.pk).update(live=False)
    assert body_of(client, article.url).select_one('a[href="/world/ferry/"]')
    editor = get_user_model().objects.create_superuser("editor", "editor@example.test", "pw")
    client.force_login(editor)
    assert body_of(client, article.url).select_one("a").attrs == {}
    preview = client.get(f"/admin/pages/{article.pk}/edit/preview/?mode=")
    assert preview.status_code == 200
    assert 'href="/world/ferry/"' not in preview.content.decode()


def test_related_articles_follow_a_new_article_in_the_section(client, world):
    article = make_article(world, slug="harbour", title="Harbour reopens")

    def related():
        response = client.get(article.url)
        html = BeautifulSoup(response.content, "html.parser")
        return [a.text for a in html.select(".related-articles__link")]

    assert related() == []
    make_article(world, slug="ferry", title="Ferry returns")
    assert related() == ["Ferry returns"]
    ferry = Page.objects.get(slug="ferry").specific
    ferry.title = "Ferry returns on Monday"
    ferry.save_revision().publish()
    assert related() == ["Ferry returns on Monday"]


def test_the_keep_tag_renders_plainly_without_a_request_and_needs_a_name():
    template = Template(
        '{% load kept_fragments %}{% keep "greeting" who %}Hello {{ who }}{% endkeep %}'
    )
    assert template.render(Context({"who": "reader"})) == "Hello reader"
    with pytest.raises(TemplateSyntaxError):
        Template("{% load kept_fragments %}{% keep %}x{% endkeep %}")


def test_a_kept_value_is_filed_under_what_it_loaded_and_the_keys_given(rf, world):
    article = make_article(world, slug="harbour")
    calls = []

    def render():
        calls.append(1)
        return Page.objects.get(pk=article.pk).specific.title

    request = rf.get("/anything/")
    assert keep(request, "test-title", render) == article.title
    assert keep(request, "test-title", render) == article.title
    assert len(calls) == 1
    store.purge(f"page:{article.pk}")  # what it loaded
    keep(request, "test-title", render)
    assert len(calls) == 2
    keep(request, "test-keys", render, keys=["nav"])
    store.purge("nav")  # a key it was given
    keep(request, "test-keys", render, keys=["nav"])
    assert len(calls) == 4
    # A request with a session cookie renders every time.
    request.COOKIES["sessionid"] = "x"
    keep(request, "test-title", render)
    assert len(calls) == 5


# Listing cards ----------------------------------------------------------------------


def cards(client, url="/world/", **extra):
    response = client.get(url, **extra)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser").select("article.card")


def test_a_card_is_kept_and_editors_get_it_fresh(client, world):
    from news.models import NewsImage

    image = make_image("Quay", description="The quay at dawn")
    make_article(world, slug="harbour", title="Harbour reopens", lead_image=image)
    [card] = cards(client)
    assert card.select_one("img")["alt"] == "The quay at dawn"
    # Changed behind the image's back (no signal, so no purge): readers keep the card
    # until its staleness bound; a signed-in editor gets it made afresh.
    NewsImage.objects.filter(pk=image.pk).update(description="The quay at dusk")
    [card] = cards(client)
    assert card.select_one("img")["alt"] == "The quay at dawn"
    editor = get_user_model().objects.create_superuser("editor", "editor@example.test", "pw")
    client.force_login(editor)
    [card] = cards(client)
    assert card.select_one("img")["alt"] == "The quay at dusk"


def test_a_card_follows_its_article_author_image_and_section(client, world):
    from tests.factories import make_author

    author = make_author("Ada Reporter")
    image = make_image("Quay", description="The quay at dawn")
    article = make_article(
        world, slug="harbour", title="Harbour reopens", authors=[author], lead_image=image
    )
    assert cards(client, "/")[0].select_one(".card__title").text == "Harbour reopens"

    article.title = "Harbour reopens on Monday"
    article.save_revision().publish()
    assert cards(client, "/")[0].select_one(".card__title").text == "Harbour reopens on Monday"

    author.name = "Ada Lovelace-Reporter"
    author.save()
    assert "Ada Lovelace-Reporter" in cards(client, "/")[0].select_one(".card__meta").text

    image.description = "The quay at dusk"
    image.save()
    assert cards(client, "/")[0].select_one("img")["alt"] == "The quay at dusk"

    world.title = "Globe"
    world.save()  # saved without publishing (a script): the card names it at once
    assert cards(client, "/")[0].select_one(".card__section").text == "Globe"


def test_a_card_marks_breaking_news_while_it_is_breaking(client, world):
    article = make_article(world, slug="harbour", title="Harbour closes", breaking=True)
    flags = [card.select_one(".card__flag") for card in cards(client, "/")]
    assert any(flag is not None and flag.text == "Breaking" for flag in flags)
    with time_machine.travel(article.publication_date + timedelta(days=2)):
        flags = [card.select_one(".card__flag") for card in cards(client, "/")]
        assert not any(flags)
