"""The article page: everything a reader sees above the comments, as rendered HTML."""

import datetime as dt
import itertools
import re

import pytest
from bs4 import BeautifulSoup
from django.core.cache import cache
from django.db import transaction
from django.test import Client

from news.dates import format_publication_datetime
from news.models import ArticlePage
from tests.factories import (
    body_with_every_block,
    make_article,
    make_author,
    make_embed,
    make_image,
    make_section,
)
from tests.html_support import text

pytestmark = pytest.mark.django_db

UTC = dt.UTC
PUBLISHED = dt.datetime(2023, 2, 7, 20, 4, tzinfo=UTC)


def parse(response):
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content, "html.parser")


def prose(node):
    """Text as a reader sees it: inline tags add no spaces."""
    return " ".join(node.get_text().split())


def make_bylines():
    """Three authors whose byline order is not alphabetical, so order is tested."""
    zofia = make_author(
        "Zofia Marsh",
        role="Editor of the coast desk",
        short_bio="Zofia has reported on ports and shipping for twelve years.",
        portrait=make_image("Zofia Marsh", width=320, height=320),
        profile_links=[
            ("link", {"service": "mastodon", "url": "https://social.example/@zofia"}),
            ("link", {"service": "website", "url": "https://zofiamarsh.example/"}),
        ],
    )
    ben = make_author("Ben Adeyemi", role="Data reporter", short_bio="Ben builds the charts.")
    carla = make_author("Carla Okoro", role="", short_bio="")
    return [zofia, ben, carla]


@pytest.fixture(scope="module")
def full_article(django_db_setup, django_db_blocker):
    """The seed-shaped article, built and rendered once for this module, then rolled back.

    Building it (pages, revisions, images and their renditions) is the slow part, so the
    structural tests below share one rendering instead of each building their own.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        cache.clear()
        section = make_section("Coast")
        related = make_article(section, title="Dredging begins at the harbour mouth")
        make_embed()
        article = make_article(
            section,
            title="Harbour board approves spring dredging",
            standfirst="The vote ends a year of delay over the shipping channel.",
            publication_date=PUBLISHED,
            authors=make_bylines(),
            tags=["Harbour", "Shipping", "Port authority"],
            lead_image=make_image(
                "Cranes at the container berth",
                description="Three cranes over an empty container berth at dawn",
                default_caption="The container berth before the morning shift.",
                credit="Ines Duarte/Byline",
            ),
            body=body_with_every_block(
                image=make_image("Dredger", width=900, height=600), related_article=related
            ),
        )
        response = Client().get(article.url)
        assert response.status_code == 200
        rendered = {"html": response.content, "reading_time": article.reading_time}
        transaction.set_rollback(True)
    cache.clear()
    return rendered


@pytest.fixture
def page(full_article):
    return BeautifulSoup(full_article["html"], "html.parser")


def test_headline_standfirst_and_section(page):
    h1 = page.select("h1")
    assert [text(h) for h in h1] == ["Harbour board approves spring dredging"]
    header = page.select_one("article header")
    assert h1[0] in header.find_all("h1")
    assert text(header.select_one(".article__standfirst")) == (
        "The vote ends a year of delay over the shipping channel."
    )
    section_link = header.select_one(".article__section a")
    assert section_link["href"] == "/coast/"
    assert text(section_link) == "Coast"
    assert page.title.string.startswith("Harbour board approves spring dredging")


def test_byline_links_each_author_in_byline_order(page):
    byline = page.select_one("article header .byline")
    links = byline.select("a[rel~=author]")
    assert [(text(a), a["href"]) for a in links] == [
        ("Zofia Marsh", "/authors/zofia-marsh/"),
        ("Ben Adeyemi", "/authors/ben-adeyemi/"),
        ("Carla Okoro", "/authors/carla-okoro/"),
    ]
    assert prose(byline).startswith("By Zofia Marsh, Ben Adeyemi and Carla Okoro - 7 Feb")


def test_byline_with_two_authors_reads_a_and_b(client):
    article = make_article(authors=[make_author("Ben Adeyemi"), make_author("Carla Okoro")])
    byline = parse(client.get(article.url)).select_one(".byline")
    assert prose(byline).startswith("By Ben Adeyemi and Carla Okoro - ")


def test_byline_shows_date_time_and_reading_time(page, full_article):
    time = page.select_one("article header .byline time")
    assert text(time) == "7 February 2023 at 8:04 pm"
    assert dt.datetime.fromisoformat(time["datetime"]) == PUBLISHED
    assert f"{full_article['reading_time']} min read" in text(page.select_one(".byline"))


@pytest.mark.parametrize(
    ("published_utc", "shown"),
    [
        # Winter: London is on GMT.
        (dt.datetime(2023, 2, 7, 20, 4, tzinfo=UTC), "7 February 2023 at 8:04 pm"),
        # Summer: London is on BST, an hour ahead of UTC.
        (dt.datetime(2023, 7, 14, 19, 4, tzinfo=UTC), "14 July 2023 at 8:04 pm"),
        (dt.datetime(2023, 7, 14, 11, 0, tzinfo=UTC), "14 July 2023 at 12:00 pm"),
        # 23:05 UTC on the 13th is five past midnight on the 14th in London.
        (dt.datetime(2023, 7, 13, 23, 5, tzinfo=UTC), "14 July 2023 at 12:05 am"),
        (dt.datetime(2023, 1, 2, 0, 0, tzinfo=UTC), "2 January 2023 at 12:00 am"),
        (dt.datetime(2023, 1, 2, 12, 30, tzinfo=UTC), "2 January 2023 at 12:30 pm"),
        (dt.datetime(2023, 12, 31, 23, 59, tzinfo=UTC), "31 December 2023 at 11:59 pm"),
        # The morning the clocks go forward: 01:30 UTC is 02:30 BST.
        (dt.datetime(2023, 3, 26, 1, 30, tzinfo=UTC), "26 March 2023 at 2:30 am"),
    ],
)
def test_publication_time_is_shown_in_site_time_zone(client, published_utc, shown):
    assert format_publication_datetime(published_utc) == shown
    article = make_article(publication_date=published_utc)
    time = parse(client.get(article.url)).select_one(".byline time")
    assert text(time) == shown
    machine = dt.datetime.fromisoformat(time["datetime"])
    assert machine.tzinfo is not None
    assert machine == published_utc


def test_lead_image_is_a_responsive_picture_with_credit(page):
    figure = page.select_one("figure.article__lead-image")
    webp = figure.select_one("picture > source[type='image/webp']")
    widths = [int(entry.split()[1][:-1]) for entry in webp["srcset"].split(", ")]
    assert widths == [480, 800, 1200]
    assert all(".webp" in entry for entry in webp["srcset"].split(", "))
    img = figure.select_one("picture > img")
    assert img["alt"] == "Three cranes over an empty container berth at dawn"
    assert (img["width"], img["height"]) == ("1200", "675")
    assert img["src"].endswith(".jpg")
    assert len(img["srcset"].split(", ")) == 3
    assert "sizes" in img.attrs
    caption = figure.select_one("figcaption")
    assert text(caption.select_one(".caption")) == "The container berth before the morning shift."
    assert text(caption.select_one(".credit")) == "Image: Ines Duarte/Byline"


def test_lead_image_caption_credit_and_alt_can_be_overridden(client):
    image = make_image(
        width=500,
        height=300,
        description="Cranes over the berth",
        default_caption="The berth.",
        credit="Ines Duarte/Byline",
    )
    article = make_article(
        lead_image=image,
        lead_image_caption="Cranes idle during the strike.",
        lead_image_credit="Port of Example",
        lead_image_alt="Idle cranes under a grey sky",
    )
    figure = parse(client.get(article.url)).select_one("figure.article__lead-image")
    assert figure.select_one("img")["alt"] == "Idle cranes under a grey sky"
    assert text(figure.select_one(".caption")) == "Cranes idle during the strike."
    assert text(figure.select_one(".credit")) == "Image: Port of Example"


def test_article_without_lead_image_has_no_empty_figure(client):
    article = make_article()
    page = parse(client.get(article.url))
    assert page.select("figure.article__lead-image") == []
    assert page.select("article header h1")


def test_body_renders_every_block_in_order(page):
    body = page.select_one(".article__body")
    blocks = [
        (child.name, child.get("class", [None])[0]) for child in body.find_all(recursive=False)
    ]
    assert blocks == [
        ("div", "block-paragraph"),
        ("h2", "block-heading"),
        ("figure", "block-quotation"),
        ("aside", "block-pull-quote"),
        ("figure", "block-image"),
        ("figure", "block-embed"),
        ("h3", "block-heading"),
        ("ol", "block-list"),
        ("div", "block-table"),
        ("aside", "block-fact-box"),
        ("aside", "block-related"),
    ]
    assert "Tuesday" in text(body.select_one(".block-paragraph b"))
    assert body.select_one("h2")["id"] == "what-the-board-decided"
    assert [text(li) for li in body.select("ol.block-list > li")] == [
        "Survey the channel",
        "Dredge the berth",
    ]
    assert text(body.select_one("table caption")) == "Dredging costs by year"
    assert [text(th) for th in body.select("table thead th")] == ["Year", "Cost"]
    assert text(body.select_one(".block-fact-box")).startswith("The harbour in numbers")
    embed = body.select_one(".block-embed")
    assert embed.select_one("iframe")["src"] == "https://video.example/watch/harbour-tour/player"
    assert text(embed.select_one("figcaption")) == "A tour of the harbour works"


def test_quotation_is_a_figure_with_blockquote_and_attribution(page):
    figure = page.select_one(".article__body figure.block-quotation")
    blockquote = figure.select_one("blockquote")
    assert blockquote["cite"] == "https://harbour.example/minutes"
    assert text(blockquote) == "We dredge in spring or we lose the autumn sailings."
    caption = figure.select_one("figcaption")
    assert " ".join(caption.get_text().split()) == "— Edda Morrow, harbour master, Board minutes"
    assert caption.select_one("cite a")["href"] == "https://harbour.example/minutes"
    pull = page.select_one(".block-pull-quote blockquote")
    assert text(pull) == "Spring or nothing."


def test_body_image_falls_back_to_the_image_defaults(client):
    image = make_image(
        "Dredger",
        description="A dredger in the channel",
        credit="Harbour Board",
        width=600,
        height=400,
    )
    article = make_article(
        body=[("image", {"image": image, "caption": "", "credit": "", "alignment": "left"})]
    )
    figure = parse(client.get(article.url)).select_one("figure.block-image")
    assert "figure--left" in figure["class"]
    assert figure.select_one("img")["alt"] == "A dredger in the channel"
    assert text(figure.select_one(".credit")) == "Image: Harbour Board"
    # Narrower than the 800 and 1200 widths: offered at 480 and at its own width, once.
    srcset = figure.select_one("source")["srcset"].split(", ")
    assert [entry.split()[1] for entry in srcset] == ["480w", "600w"]


def test_related_article_link(page):
    related = page.select_one(".block-related a")
    assert related["href"] == "/coast/dredging-begins-at-the-harbour-mouth/"
    assert text(related) == "Dredging begins at the harbour mouth"


def test_tags_link_to_tag_pages(page):
    links = page.select("nav.article__tags a[rel~=tag]")
    assert [(text(a), a["href"]) for a in links] == [
        ("Harbour", "/tags/harbour/"),
        ("Port authority", "/tags/port-authority/"),
        ("Shipping", "/tags/shipping/"),
    ]


def test_an_author_box_per_author(page):
    boxes = page.select("article .author-box")
    names = [box.select_one(".author-box__name a") for box in boxes]
    assert [(text(a), a["href"]) for a in names] == [
        ("Zofia Marsh", "/authors/zofia-marsh/"),
        ("Ben Adeyemi", "/authors/ben-adeyemi/"),
        ("Carla Okoro", "/authors/carla-okoro/"),
    ]
    zofia, ben, carla = boxes
    portrait = zofia.select_one("img.portrait")
    assert portrait["src"].endswith(".webp")
    assert (portrait["width"], portrait["height"]) == ("160", "160")
    assert text(zofia.select_one(".author-box__role")) == "Editor of the coast desk"
    assert text(zofia.select_one(".author-box__bio")) == (
        "Zofia has reported on ports and shipping for twelve years."
    )
    mastodon, website = zofia.select(".profile-links a")
    assert mastodon["href"] == "https://social.example/@zofia"
    assert "me" in mastodon["rel"]
    assert "@zofia@social.example" in text(mastodon)
    assert website["href"] == "https://zofiamarsh.example/"
    assert "me" not in website["rel"]
    # Only the Mastodon link claims the profile with rel="me".
    assert len(page.select("a[rel~=me]")) == 1

    assert ben.select("img") == []
    assert text(ben.select_one(".author-box__role")) == "Data reporter"
    assert ben.select(".profile-links") == []
    # Empty role and bio leave no empty paragraphs behind.
    assert carla.select(".author-box__role, .author-box__bio") == []


def test_reading_time_counts_standfirst_and_body(client):
    def article(words_in_body):
        return make_article(
            standfirst="Three word standfirst",
            body=[("paragraph", "<p>" + " ".join(["word"] * words_in_body) + "</p>")],
        )

    # 230 words a minute, rounded up, never less than one minute.
    assert article(0).reading_time == 1
    assert article(227).reading_time == 1  # 230 words
    assert article(228).reading_time == 2  # 231 words
    long_read = article(917)  # 920 words
    assert long_read.reading_time == 4
    byline = text(parse(client.get(long_read.url)).select_one(".byline"))
    assert re.search(r"\b4 min read\b", byline)


def test_headings_are_in_order(page):
    levels = [int(h.name[1]) for h in page.find_all(re.compile(r"^h[1-6]$"))]
    assert levels.count(1) == 1
    assert levels[0] == 1
    for previous, current in itertools.pairwise(levels):
        assert current <= previous + 1, levels


def test_skip_link_and_landmarks(page):
    skip = page.body.find("a")
    assert skip["href"] == "#main"
    assert "skip" in text(skip).lower()
    main = page.select("main")
    assert len(main) == 1
    assert main[0]["id"] == "main"
    top_level = [child.name for child in page.body.find_all(recursive=False)]
    assert top_level.index("header") < top_level.index("main") < top_level.index("footer")
    assert page.select_one("body > header nav[aria-label]")
    assert page.select_one("main article")
    assert page.html["lang"].lower().startswith("en")


def test_every_image_has_alt_text(page):
    images = page.find_all("img")
    assert len(images) >= 3  # lead image, body image, portrait
    assert all(img.has_attr("alt") for img in images)
    # Content images carry real descriptions; only the portrait beside a name and the
    # logo beside the site's name are decorative.
    decorative = {"portrait", "masthead__logo"}
    assert all(img["alt"] for img in images if not decorative & set(img.get("class", [])))


def test_comment_slot_is_below_the_article(page):
    """The comments plugin renders after the article; nothing sits between body and authors."""
    article = page.select_one("main article")
    children = [child.get("class", [None])[0] for child in article.find_all(recursive=False)]
    assert children[-1] == "article__authors"
    assert children.index("article__body") < children.index("article__tags")


def test_draft_article_is_not_found(client):
    article = make_article(title="Not yet", publish=False)
    assert not ArticlePage.objects.get(pk=article.pk).live
    assert article.url == "/world/not-yet/"
    assert client.get(article.url).status_code == 404


def test_unpublished_article_is_not_found(client):
    article = make_article(title="Withdrawn story")
    url = article.url
    assert client.get(url).status_code == 200
    article.unpublish()
    assert client.get(url).status_code == 404


def test_unpublished_changes_stay_out_of_the_live_page(client):
    article = make_article(title="Original headline")
    draft = ArticlePage.objects.get(pk=article.pk)
    draft.title = "Draft headline"
    draft.save_revision()
    page = parse(client.get(article.url))
    assert text(page.select_one("h1")) == "Original headline"
    assert "Draft headline" not in page.get_text()


def test_related_article_that_was_unpublished_is_not_linked(client):
    section = make_section("Coast")
    related = make_article(section, title="Pulled story")
    article = make_article(
        section, body=[("related_article", {"article": related, "label": "Read the background"})]
    )
    assert parse(client.get(article.url)).select(".block-related")
    related.unpublish()
    page = parse(client.get(article.url))
    assert page.select(".block-related") == []
    assert "Read the background" not in page.get_text()
    assert "Pulled story" not in page.get_text()


@pytest.mark.django_db
def test_related_article_behind_a_privacy_restriction_is_not_linked(client):
    from wagtail.models import PageViewRestriction

    private_section = make_section("Members")
    target = make_article(private_section, title="Members-only briefing")
    restriction = PageViewRestriction.objects.create(page=private_section, restriction_type="login")
    article = make_article(
        make_section("Open"),
        title="Public pointer",
        body=[("related_article", {"article": target, "label": ""})],
    )
    soup = BeautifulSoup(client.get(article.url).content, "html.parser")
    assert soup.select_one(".block-related") is None
    assert "Members-only briefing" not in soup.get_text()
    restriction.delete()
    soup = BeautifulSoup(client.get(article.url).content, "html.parser")
    assert soup.select_one(".block-related a").text == "Members-only briefing"
