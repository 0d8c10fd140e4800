"""Article body blocks: each block's HTML and its API JSON come from the same value."""

import json

import pytest
from bs4 import BeautifulSoup

from news.blocks import CORE_BODY_BLOCKS
from news.models import ArticlePage
from tests.factories import make_article, make_embed, make_image, make_section
from tests.html_support import text

pytestmark = pytest.mark.django_db

CORE_BLOCK_NAMES = [name for name, _block in CORE_BODY_BLOCKS]


def body_block(name):
    """The block as ArticlePage.body really uses it (core blocks plus plugins)."""
    return ArticlePage._meta.get_field("body").stream_block.child_blocks[name]


def render(name, raw):
    """(parsed HTML, API representation) of one block from its stored JSON."""
    block = body_block(name)
    value = block.to_python(raw)
    html = BeautifulSoup(block.render(value), "html.parser")
    api = block.get_api_representation(value)
    json.dumps(api)  # the API answer must be plain JSON
    return html, api


@pytest.fixture
def image():
    # Narrower than the largest responsive width: cheap renditions (480 and 500 wide).
    return make_image(
        "Lifeboat launch",
        width=500,
        height=250,
        description="The lifeboat leaves the slipway",
        default_caption="The crew's first launch of the year.",
        credit="Harbour Trust",
    )


def test_every_core_block_is_in_the_article_body_with_a_template():
    stream = ArticlePage._meta.get_field("body").stream_block
    assert CORE_BLOCK_NAMES == [
        "paragraph",
        "heading",
        "quotation",
        "pull_quote",
        "image",
        "embed",
        "list",
        "table",
        "separator",
        "fact_box",
        "related_article",
        "live_updates",
    ]
    for name in CORE_BLOCK_NAMES:
        block = stream.child_blocks[name]
        assert block.meta.template.startswith("news/blocks/"), name
        assert block.meta.description, name


# Paragraph --------------------------------------------------------------------


def test_paragraph_renders_rich_text_with_internal_links_resolved():
    target = make_article(make_section("Coast"), title="Tide tables")
    html, api = render(
        "paragraph",
        f'<p>See the <a linktype="page" id="{target.pk}">tide tables</a> and <i>more</i>.</p>',
    )
    div = html.select_one("div.block-paragraph")
    assert div.select_one("a")["href"] == "/coast/tide-tables/"
    assert text(div.select_one("i")) == "more"
    # The API gives finished HTML, not Wagtail's database format.
    assert isinstance(api, str)
    assert 'href="/coast/tide-tables/"' in api
    assert "linktype" not in api


# Heading ----------------------------------------------------------------------


@pytest.mark.parametrize("level", ["h2", "h3", "h4"])
def test_heading_level_picks_the_tag(level):
    html, api = render("heading", {"text": "Where the money went", "level": level})
    heading = html.find(level)
    assert text(heading) == "Where the money went"
    assert heading["id"] == "where-the-money-went"
    assert api == {"text": "Where the money went", "level": int(level[1]), "anchor": heading["id"]}


def test_heading_without_a_level_is_a_section_heading():
    html, api = render("heading", {"text": "Background"})
    assert html.find("h2")
    assert api["level"] == 2


@pytest.mark.parametrize(
    ("heading", "anchor"),
    [("Новости порта", "новости-порта"), ("Crème brûlée", "creme-brulee"), ("?!", None)],
)
def test_heading_anchor_is_never_empty(heading, anchor):
    html, api = render("heading", {"text": heading, "level": "h2"})
    assert html.find("h2").get("id") == anchor
    assert api["anchor"] == (anchor or "")


# Quotation and pull quote -------------------------------------------------------


def test_quotation_with_attribution_and_source():
    html, api = render(
        "quotation",
        {
            "quote": "The bridge stays shut\nuntil the survey is done.",
            "attribution": "Priya Shah",
            "source": "Council briefing",
            "source_url": "https://council.example/briefing",
        },
    )
    figure = html.select_one("figure.block-quotation")
    blockquote = figure.select_one("blockquote")
    assert blockquote["cite"] == "https://council.example/briefing"
    assert blockquote.select("br")  # line breaks in the quote are kept
    assert (
        " ".join(figure.select_one("figcaption").get_text().split())
        == "— Priya Shah, Council briefing"
    )
    assert figure.select_one("figcaption cite a")["href"] == "https://council.example/briefing"
    assert api == {
        "quote": "The bridge stays shut\nuntil the survey is done.",
        "attribution": "Priya Shah",
        "source": "Council briefing",
        "source_url": "https://council.example/briefing",
    }


def test_quotation_without_attribution_has_no_caption():
    html, api = render("quotation", {"quote": "Nobody saw it coming."})
    figure = html.select_one("figure.block-quotation")
    assert text(figure.select_one("blockquote")) == "Nobody saw it coming."
    assert figure.select("figcaption") == []
    assert not figure.select_one("blockquote").has_attr("cite")
    assert api == {
        "quote": "Nobody saw it coming.",
        "attribution": None,
        "source": None,
        "source_url": None,
    }


def test_quotation_with_source_only():
    html, _api = render("quotation", {"quote": "Closed for repairs.", "source": "Notice"})
    assert text(html.select_one("figcaption")) == "— Notice"
    assert html.select_one("figcaption cite a") is None


def test_pull_quote():
    html, api = render("pull_quote", {"text": "It was never about the money.", "attribution": "A"})
    aside = html.select_one("aside.block-pull-quote")
    assert text(aside.select_one("blockquote")) == "It was never about the money."
    assert text(aside.select_one(".block-pull-quote__attribution")) == "— A"
    assert api == {"text": "It was never about the money.", "attribution": "A"}

    html, api = render("pull_quote", {"text": "Alone."})
    assert html.select(".block-pull-quote__attribution") == []
    assert api == {"text": "Alone.", "attribution": None}


# Captioned image ----------------------------------------------------------------


def test_image_falls_back_to_the_image_caption_credit_and_alt(image):
    html, api = render(
        "image",
        {"image": image.pk, "caption": "", "credit": "", "alt_text": "", "alignment": "full"},
    )
    figure = html.select_one("figure.block-image")
    img = figure.select_one("picture img")
    assert img["alt"] == "The lifeboat leaves the slipway"
    assert text(figure.select_one(".caption")) == "The crew's first launch of the year."
    assert text(figure.select_one(".credit")) == "Image: Harbour Trust"
    assert api["image"]["alt"] == "The lifeboat leaves the slipway"
    assert api["image"]["caption"] == "The crew's first launch of the year."
    assert api["image"]["credit"] == "Harbour Trust"


def test_image_overrides_win(image):
    html, api = render(
        "image",
        {
            "image": image.pk,
            "caption": "Volunteers haul the boat back.",
            "credit": "Sam Lee/Byline",
            "alt_text": "Six volunteers pulling a rope",
            "alignment": "left",
        },
    )
    figure = html.select_one("figure")
    assert figure.select_one("img")["alt"] == "Six volunteers pulling a rope"
    assert text(figure.select_one(".caption")) == "Volunteers haul the boat back."
    assert text(figure.select_one(".credit")) == "Image: Sam Lee/Byline"
    assert (api["image"]["alt"], api["image"]["caption"], api["image"]["credit"]) == (
        "Six volunteers pulling a rope",
        "Volunteers haul the boat back.",
        "Sam Lee/Byline",
    )


def test_image_alt_falls_back_to_title_when_the_image_has_no_description():
    untitled = make_image("Harbour wall at high tide", width=500, height=300)
    html, api = render("image", {"image": untitled.pk})
    assert html.select_one("img")["alt"] == "Harbour wall at high tide"
    assert api["image"]["alt"] == "Harbour wall at high tide"
    # No caption and no credit: no empty figcaption.
    assert html.select("figcaption") == []


@pytest.mark.parametrize(
    ("alignment", "sizes"),
    [
        ("full", "(min-width: 42rem) 40rem, calc(100vw - 2rem)"),
        ("wide", "(min-width: 42rem) 40rem, calc(100vw - 2rem)"),
        (
            "left",
            "(min-width: 42rem) 18rem, (min-width: 36rem) calc(45vw - 0.9rem), calc(100vw - 2rem)",
        ),
        (
            "right",
            "(min-width: 42rem) 18rem, (min-width: 36rem) calc(45vw - 0.9rem), calc(100vw - 2rem)",
        ),
    ],
)
def test_image_alignment_sets_class_and_sizes(image, alignment, sizes):
    html, api = render("image", {"image": image.pk, "alignment": alignment})
    figure = html.select_one("figure")
    assert f"figure--{alignment}" in figure["class"]
    assert figure.select_one("source")["sizes"] == sizes
    assert figure.select_one("img")["sizes"] == sizes
    assert api["alignment"] == alignment


def test_image_api_and_html_offer_the_same_renditions():
    image = make_image("Lifeboat launch", width=1300, height=650)
    html, api = render("image", {"image": image.pk})
    picture = api["image"]
    assert set(picture) == {
        "id",
        "alt",
        "caption",
        "credit",
        "width",
        "height",
        "src",
        "renditions",
    }
    assert picture["id"] == image.pk
    assert (picture["width"], picture["height"]) == (1200, 600)
    assert [r["width"] for r in picture["renditions"]["webp"]] == [480, 800, 1200]
    assert [r["width"] for r in picture["renditions"]["jpeg"]] == [480, 800, 1200]
    assert all(r["url"].endswith(".webp") for r in picture["renditions"]["webp"])
    webp_srcset = html.select_one("source[type='image/webp']")["srcset"]
    assert webp_srcset == ", ".join(
        f"{r['url']} {r['width']}w" for r in picture["renditions"]["webp"]
    )
    img = html.select_one("img")
    assert img["src"] == picture["src"]
    assert (img["width"], img["height"]) == ("1200", "600")


def test_image_that_was_deleted_renders_nothing(image):
    block = body_block("image")
    image.delete()
    value = block.to_python({"image": image.pk, "caption": "Gone"})
    assert block.render(value).strip() == ""
    assert block.get_api_representation(value) == {"alignment": "full", "image": None}


# Embed --------------------------------------------------------------------------


def test_embed_renders_the_stored_oembed_html():
    make_embed("https://video.example/watch/launch", title="The launch")
    html, api = render(
        "embed", {"embed": "https://video.example/watch/launch", "caption": "The launch, filmed"}
    )
    figure = html.select_one("figure.block-embed")
    iframe = figure.select_one("iframe")
    assert iframe["src"] == "https://video.example/watch/launch/player"
    assert iframe["title"] == "The launch"
    assert text(figure.select_one("figcaption")) == "The launch, filmed"
    assert api["url"] == "https://video.example/watch/launch"
    assert "<iframe" in api["html"]
    assert api["caption"] == "The launch, filmed"


def test_embed_without_caption():
    make_embed("https://video.example/watch/quiet")
    html, api = render("embed", {"embed": "https://video.example/watch/quiet"})
    assert html.select("figure iframe")
    assert html.select("figcaption") == []
    assert api["caption"] is None


def test_embed_that_cannot_be_fetched_falls_back_to_a_link():
    """An unknown provider gives no embed HTML: readers still get a link, never a blank box."""
    html, api = render(
        "embed", {"embed": "https://unknown-provider.example/clip/7", "caption": "The clip"}
    )
    link = html.select_one("a")
    assert link["href"] == "https://unknown-provider.example/clip/7"
    assert text(link) == "The clip"
    assert api == {
        "url": "https://unknown-provider.example/clip/7",
        "html": "",
        "caption": "The clip",
    }


# List ---------------------------------------------------------------------------


@pytest.mark.parametrize(("style", "tag"), [("ordered", "ol"), ("unordered", "ul")])
def test_list_style_picks_the_tag(style, tag):
    html, api = render("list", {"style": style, "items": ["Close the road", "Open the <school>"]})
    listing = html.select_one(f"{tag}.block-list")
    assert [text(li) for li in listing.find_all("li")] == ["Close the road", "Open the <school>"]
    assert html.find("school") is None  # items are text, escaped
    assert api == {"ordered": style == "ordered", "items": ["Close the road", "Open the <school>"]}


def test_list_defaults_to_bullets():
    html, api = render("list", {"items": ["One"]})
    assert html.select("ul.block-list > li")
    assert api["ordered"] is False


# Table --------------------------------------------------------------------------

TABLE_DATA = [["Ward", "Votes"], ["North", "1,204"], ["South", "988"]]


def test_table_with_header_row_and_caption():
    html, api = render(
        "table",
        {
            "data": TABLE_DATA,
            "first_row_is_table_header": True,
            "first_col_is_header": False,
            "table_caption": "Votes by ward",
        },
    )
    region = html.select_one("div.block-table")
    assert region["role"] == "region"
    assert region["aria-label"] == "Votes by ward"
    assert region["tabindex"] == "0"  # keyboard users can scroll wide tables
    table = region.select_one("table")
    assert text(table.select_one("caption")) == "Votes by ward"
    headers = table.select("thead th")
    assert [text(th) for th in headers] == ["Ward", "Votes"]
    assert all(th["scope"] == "col" for th in headers)
    rows = [[text(td) for td in tr.find_all(["td", "th"])] for tr in table.select("tbody tr")]
    assert rows == [["North", "1,204"], ["South", "988"]]
    assert api == {
        "caption": "Votes by ward",
        "header": ["Ward", "Votes"],
        "rows": [["North", "1,204"], ["South", "988"]],
    }


def test_table_without_header_or_caption():
    html, api = render(
        "table",
        {"data": TABLE_DATA, "first_row_is_table_header": False, "first_col_is_header": True},
    )
    table = html.select_one("table")
    assert table.select("thead") == []
    assert table.select("caption") == []
    assert html.select_one("div.block-table")["aria-label"] == "Table"
    row_headers = table.select("tbody th[scope=row]")
    assert [text(th) for th in row_headers] == ["Ward", "North", "South"]
    assert api == {"caption": None, "header": None, "rows": TABLE_DATA}


# Separator ----------------------------------------------------------------------


def test_separator_is_a_rule_with_no_value():
    html, api = render("separator", None)
    assert [hr["class"] for hr in html.select("hr")] == [["block-separator"]]
    assert api is None


# Fact box -----------------------------------------------------------------------


def test_fact_box():
    html, api = render(
        "fact_box",
        {"title": "The lifeboat station", "body": "<p>Founded in <b>1864</b>.</p>"},
    )
    aside = html.select_one("aside.block-fact-box")
    assert aside["aria-label"] == "The lifeboat station"
    assert text(aside.select_one(".block-fact-box__title")) == "The lifeboat station"
    assert text(aside.select_one("p b")) == "1864"
    assert api == {"title": "The lifeboat station", "body": "<p>Founded in <b>1864</b>.</p>"}


def test_fact_box_title_defaults_to_key_facts():
    assert body_block("fact_box").child_blocks["title"].get_default() == "Key facts"


# Related article -----------------------------------------------------------------


def test_related_article_links_to_a_live_article():
    target = make_article(make_section("Coast"), title="Storm closes the ferry")
    html, api = render("related_article", {"article": target.pk, "label": ""})
    link = html.select_one("aside.block-related a")
    assert link["href"] == "/coast/storm-closes-the-ferry/"
    assert text(link) == "Storm closes the ferry"
    assert api == {"id": target.pk, "title": "Storm closes the ferry", "url": target.url}


def test_related_article_label_overrides_the_headline():
    target = make_article(title="Storm closes the ferry")
    html, api = render("related_article", {"article": target.pk, "label": "The ferry story"})
    assert text(html.select_one("a")) == "The ferry story"
    assert api["title"] == "The ferry story"


def test_related_article_that_is_not_live_is_left_out():
    draft = make_article(title="Still a draft", publish=False)
    html, api = render("related_article", {"article": draft.pk})
    assert html.select("a") == []
    assert api is None


def test_related_article_that_was_deleted_is_left_out():
    target = make_article(title="Deleted later")
    pk = target.pk
    target.delete()
    html, api = render("related_article", {"article": pk})
    assert html.select("a") == []
    assert api is None


# The whole body ------------------------------------------------------------------


def test_body_api_lists_every_block_with_type_value_and_id(image):
    from tests.factories import body_with_every_block

    make_embed()
    related = make_article(title="Background")
    article = make_article(body=body_with_every_block(image=image, related_article=related))
    stream = article.body
    api = stream.stream_block.get_api_representation(stream)
    json.dumps(api)
    assert [item["type"] for item in api] == [
        "paragraph",
        "heading",
        "quotation",
        "pull_quote",
        "image",
        "embed",
        "heading",
        "list",
        "table",
        "fact_box",
        "related_article",
    ]
    assert all(set(item) == {"type", "value", "id"} and item["id"] for item in api)
    by_type = {item["type"]: item["value"] for item in api}
    assert by_type["image"]["image"]["credit"] == "Harbour Trust"
    assert by_type["related_article"]["title"] == "Background"
    assert by_type["table"]["header"] == ["Year", "Cost"]
