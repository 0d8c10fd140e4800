"""Embeds render in a frame of the player's own shape: as wide as the column on a phone,
no blank band under a video on a desktop (issue 14). Measured in Debian's Chromium."""

import pytest
from wagtail.embeds.embeds import get_embed_hash
from wagtail.embeds.models import Embed

from tests.factories import make_article, make_section

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

VIDEO = "https://clips.example/watch/harbour-storm"
POST = "https://social.example/@harbour/1"
PENDING = "https://clips.example/watch/" + "very-long-address-" * 6

WIDTHS = {"phone": 360, "desktop": 1280}


def store(url, *, type, html, width, height, title):
    return Embed.objects.create(
        url=url,
        hash=get_embed_hash(url),
        type=type,
        html=html,
        title=title,
        provider_name="Example",
        width=width,
        height=height,
    )


def build_article():
    # A 4:3 player (archive footage), 560 px wide as YouTube's: its shape comes from
    # the provider's answer, not from a 16:9 guess.
    store(
        VIDEO,
        type="video",
        html=f'<iframe src="{VIDEO}/player" width="560" height="420" title="Storm"></iframe>',
        width=560,
        height=420,
        title="Storm",
    )
    # What Mastodon answers: a 400-wide post whose height is not known.
    store(
        POST,
        type="rich",
        html=f'<iframe src="{POST}/embed" width="400" title="A post"></iframe>',
        width=400,
        height=None,
        title="A post",
    )
    return make_article(
        make_section("Local"),
        title="Storm over the harbour",
        body=[
            ("paragraph", "<p>The storm reached the harbour at dawn.</p>"),
            ("embed", {"embed": VIDEO, "caption": "The storm, filmed from the pier"}),
            ("paragraph", "<p>Boats stayed in.</p>"),
            ("embed", {"embed": POST, "caption": ""}),
            ("embed", {"embed": PENDING, "caption": ""}),
        ],
    )


MEASURE = """() => Array.from(document.querySelectorAll('figure.block-embed')).map(figure => {
    const box = node => node ? node.getBoundingClientRect().toJSON() : null;
    const content = figure.querySelector('iframe') || figure.querySelector('.embed-card');
    const caption = figure.querySelector('figcaption');
    return {
        figure: box(figure),
        frame: box(figure.querySelector('.embed-frame')),
        content: box(content),
        caption: box(caption),
        captionGap: caption
            ? caption.getBoundingClientRect().top - content.getBoundingClientRect().bottom
            : null,
        scrollWidth: document.documentElement.scrollWidth,
    };
})"""


def only_local(live_server_url):
    def handle(route):
        if route.request.url.startswith(live_server_url):
            route.continue_()
        else:  # the players themselves: this test never leaves the machine
            route.abort()

    return handle


@pytest.mark.parametrize("device", WIDTHS)
def test_embeds_fit_the_column_and_keep_the_players_shape(browser, live_server, device):
    article = build_article()
    width = WIDTHS[device]
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.route("**/*", only_local(live_server.url))
    try:
        page.goto(live_server.url + article.url, wait_until="load")
        video, post, pending = page.evaluate(MEASURE)
        column = page.evaluate(
            "() => document.querySelector('.article__body').getBoundingClientRect().width"
        )
    finally:
        context.close()
    print(device, "column", column, "video", video["content"], "post", post["content"])

    for figure in (video, post, pending):
        assert figure["scrollWidth"] <= width, figure  # nothing pushes the page sideways
        assert figure["content"]["width"] <= figure["figure"]["width"] + 0.5, figure

    player = video["content"]
    # The player takes the column's width (not its fixed 560 px) ...
    assert abs(player["width"] - video["figure"]["width"]) <= 1, video
    if device == "phone":
        assert player["width"] < 560
    # ... and the height its shape gives at that width: no blank band under it.
    assert abs(player["height"] - player["width"] * 420 / 560) <= 1.5, video
    assert abs(video["frame"]["height"] - player["height"]) <= 1, video
    assert 0 <= video["captionGap"] <= 16, video

    # A post without a known height stays within the column, in no fixed-shape frame.
    assert post["frame"] is not None and post["content"]["width"] <= column + 0.5, post

    # The link card of an embed not fetched yet wraps its long address in the column.
    assert pending["frame"] is None
    assert pending["content"]["width"] <= pending["figure"]["width"] + 0.5, pending
