"""Every reader page type at phone, tablet and desktop widths, in headless Chromium.

- No horizontal scroll: `document.documentElement.scrollWidth <= innerWidth`
  at 320, 390, 768 and 1280 px, on content built to push the edges (a wide
  table, an embed, floated pictures, long words and addresses in comments).
- `sizes` tells the truth: for every picture, the width the browser computes
  from its `sizes` attribute equals the width it renders at, and the file it
  picks (`currentSrc`) is wide enough without being the next size up, unless
  the bigger file is one the browser already fetched: Chromium then reuses it
  from its memory cache rather than download a smaller one (the home page
  shows the lead story's picture twice, large and small).
"""

import pytest

from tests.browser_support import wait_until
from tests.comment_support import make_comment
from tests.factories import (
    body_with_every_block,
    make_article,
    make_author,
    make_embed,
    make_image,
    make_section,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

WIDTHS = (320, 390, 768, 1280)
LONG_WORD = "Pneumonoultramicroscopicsilicovolcanoconiosis" * 2
LONG_ADDRESS = "https://harbour.example/" + "very-long-path-segment-" * 6

PAGES = {
    "home": "/",
    "section": "/politics/",
    "section, page 2": "/politics/?page=2",
    "tag": "/tags/harbour/",
    "author": "/authors/ada-quill/",
    "authors": "/authors/",
    "article": "/politics/harbour-dredging-plan-approved/",
    "search": "/search/?q=harbour",
    "search, nothing found": "/search/?q=zeppelin",
    "not found": "/no/such/page/",
}

# For each <img>: its rendered width, the width its `sizes` gives (evaluated by
# the browser: the first matching media condition's length, in a probe element),
# and the width descriptor of the file it chose.
MEASURE_IMAGES = """
() => Array.from(document.querySelectorAll('main img[srcset]')).map(img => {
    const source = img.closest('picture')?.querySelector('source');
    const candidates = {};
    for (const srcset of [img.srcset, source ? source.srcset : '']) {
        for (const part of srcset.split(',')) {
            const [url, descriptor] = part.trim().split(/\\s+/);
            if (url) candidates[new URL(url, location.href).href] = parseInt(descriptor, 10);
        }
    }
    let length = null;
    for (const entry of img.sizes.split(/,(?![^(]*\\))/)) {
        const text = entry.trim();
        const match = text.match(/^(\\(.*\\))\\s+(.+)$/);
        if (!match) { length = text; break; }
        if (matchMedia(match[1]).matches) { length = match[2]; break; }
    }
    const probe = document.createElement('div');
    probe.style.width = length;
    probe.style.position = 'absolute';
    document.body.appendChild(probe);
    const sizesWidth = probe.getBoundingClientRect().width;
    probe.remove();
    return {
        alt: img.alt,
        rendered: img.getBoundingClientRect().width,
        sizes: sizesWidth,
        chosen: candidates[img.currentSrc] || null,
        url: img.currentSrc,
        available: Object.values(candidates).sort((a, b) => a - b),
    };
})
"""


# What sticks out, for the failure message.
WIDEST = """
Array.from(document.querySelectorAll('body *'))
    .filter(e => e.getBoundingClientRect().right > innerWidth + 1)
    .slice(-3)
    .map(e => `${e.tagName}.${e.className} ${Math.round(e.getBoundingClientRect().right)}px`)
"""


def build_newsroom():
    politics = make_section("Politics", introduction="Votes, councils and campaigns.")
    make_section("Science")
    ada = make_author(
        "Ada Quill",
        role="Political editor",
        short_bio=f"Ada writes about {LONG_WORD}.",
        portrait=make_image("Ada Quill", width=400, height=400, description="Ada Quill"),
        profile_links=[
            ("link", {"service": "mastodon", "url": "https://social.example/@ada"}),
            ("link", {"service": "website", "url": LONG_ADDRESS}),
        ],
    )
    ben = make_author("Ben Ledger")
    picture = make_image("Quay", description="Boats along the quay")
    earlier = make_article(
        politics, title="Harbour board sets a date", authors=[ben], tags=["harbour"]
    )
    for n in range(13):  # a second page of the section
        make_article(
            politics,
            title=f"Council notebook {n}",
            authors=[ben],
            lead_image=picture if n % 4 == 0 else None,
        )
    make_embed()
    body = body_with_every_block(image=picture, related_article=earlier)
    wide_table = [[f"Column {c}" for c in range(12)]] + [[LONG_WORD[:12]] * 12 for _ in range(3)]
    body += [
        ("image", {"image": picture, "alignment": "left", "caption": "On the left"}),
        ("paragraph", f"<p>Left and right pictures float beside text. {LONG_WORD}</p>"),
        ("image", {"image": picture, "alignment": "right", "caption": "On the right"}),
        ("paragraph", f'<p>A long address: <a href="{LONG_ADDRESS}">{LONG_ADDRESS}</a></p>'),
        (
            "table",
            {"data": wide_table, "first_row_is_table_header": True, "table_caption": "Wide"},
        ),
    ]
    article = make_article(
        politics,
        title="Harbour dredging plan approved",
        standfirst="The board voted seven to two on Tuesday night.",
        authors=[ada, ben],
        tags=["harbour", "council"],
        lead_image=make_image("Dredger", description="A dredger in the harbour mouth"),
        body=body,
    )
    first = make_comment(article, author_name="Tamsin Orr", body=f"See {LONG_ADDRESS} {LONG_WORD}")
    reply = make_comment(article, parent=first, author_name="Joel Brandt", body="A reply.")
    make_comment(article, parent=reply, author_name="Tamsin Orr", body="A reply to the reply.")
    make_comment(
        article,
        kind="pingback",
        author_name="Harbour Lights",
        author_url="https://harbourlights.example/",
        source_url=LONG_ADDRESS,
        source_title=LONG_WORD,
        body="An excerpt.",
    )


def only_local(live_server_url):
    def handle(route):
        if route.request.url.startswith(live_server_url):
            route.continue_()
        else:  # an embed's player: this test never leaves the machine
            route.abort()

    return handle


def test_no_page_scrolls_sideways_and_sizes_match_rendered_widths(browser, live_server):
    build_newsroom()
    overflowing, wrong_sizes, checked = {}, {}, 0
    for width in WIDTHS:
        shown_before = set()  # files earlier pages of this context showed
        context = browser.new_context(viewport={"width": width, "height": 900})
        context.set_default_navigation_timeout(90_000)  # first views make renditions
        page = context.new_page()
        page.route("**/*", only_local(live_server.url))
        try:
            for name, url in PAGES.items():
                response = page.goto(live_server.url + url, wait_until="load")
                assert response.status in (200, 404), (name, response.status)
                scroll_width, inner_width = page.evaluate(
                    "[document.documentElement.scrollWidth, window.innerWidth]"
                )
                if scroll_width > inner_width:
                    overflowing[(name, width)] = (scroll_width, page.evaluate(WIDEST))
                if width not in (390, 1280):
                    continue
                page.evaluate("document.querySelectorAll('img').forEach(i => i.loading='eager')")
                wait_until(page, "Array.from(document.images).every(i => i.complete)")
                images = page.evaluate(MEASURE_IMAGES)
                for n, image in enumerate(images):
                    checked += 1
                    others = {other["url"] for other in images[:n] + images[n + 1 :]}
                    problem = sizes_problem(image, shown_before | others)
                    if problem:
                        wrong_sizes[(name, width, image["alt"])] = problem
                shown_before.update(image["url"] for image in images)
        finally:
            context.close()
    assert overflowing == {}, "\n".join(f"{k}: {v}" for k, v in overflowing.items())
    assert wrong_sizes == {}, "\n".join(f"{k}: {v}" for k, v in wrong_sizes.items())
    assert checked >= 20  # lead, cards, body pictures: the check really ran


def sizes_problem(image, already_shown=frozenset()):
    rendered, sizes, chosen = image["rendered"], image["sizes"], image["chosen"]
    if abs(sizes - rendered) > max(2, rendered * 0.02):
        return f"sizes gives {sizes:.0f}px, rendered {rendered:.0f}px"
    if chosen is None:
        return "no file chosen"
    larger = [w for w in image["available"] if w >= rendered]
    expected = larger[0] if larger else image["available"][-1]
    if chosen > expected and image["url"] in already_shown:
        return None  # Chromium reuses the bigger file it has
    if chosen != expected:
        return f"chose the {chosen}w file for {rendered:.0f}px, not {expected}w"
    return None
