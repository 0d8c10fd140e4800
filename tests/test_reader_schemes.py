"""The dark scheme follows the reader's setting and print leaves the chrome out (Chromium)."""

import pytest

from tests.test_reader_responsive import PAGES, build_newsroom, only_local

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

LOOK = """() => {
    const style = (selector, property) => {
        const element = document.querySelector(selector);
        return element ? getComputedStyle(element)[property] : null;
    };
    return {
        paper: style('body', 'backgroundColor'),
        ink: style('body', 'color'),
        nav: style('.masthead__nav', 'display'),
        search: style('.site-search', 'display'),
    };
}"""


def test_dark_scheme_and_print_stylesheet(browser, live_server):
    build_newsroom()
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.route("**/*", only_local(live_server.url))
    page = context.new_page()
    try:
        looks = {}
        for media, scheme in [("screen", "light"), ("screen", "dark"), ("print", "light")]:
            page.emulate_media(media=media, color_scheme=scheme)
            page.goto(live_server.url + PAGES["article"], wait_until="load")
            looks[(media, scheme)] = page.evaluate(LOOK)
    finally:
        context.close()
    light, dark, printed = (
        looks[("screen", "light")],
        looks[("screen", "dark")],
        looks[("print", "light")],
    )
    # Light paper and dark ink by day, the other way round in the dark scheme.
    assert light["paper"] == "rgb(255, 253, 249)" and dark["paper"] == "rgb(20, 20, 20)"
    assert light["ink"] != dark["ink"]
    # The chrome shows on screen and is left out on paper, which is white.
    assert light["nav"] != "none" and printed["nav"] == "none"
    assert printed["search"] in ("none", None)
    assert printed["paper"] == "rgb(255, 255, 255)" and printed["ink"] == "rgb(0, 0, 0)"
